/**
 * Audit of calls refused on the Node-facing surface: each one logged once (address, reason, certificate
 * fingerprint) and counted per reason in this process. refusalCounts() is the one reader, for the admin
 * endpoint now and for a metrics module later.
 */
import type { Logger } from "pino";

export const RefusalReason = {
  /** The caller's address is outside NODE_ALLOWED_CIDRS. */
  addressNotAllowed: "address_not_allowed",
  /** No client certificate was presented (or passed on by a trusted proxy). */
  noClientCertificate: "no_client_certificate",
  /** The certificate does not chain to NODE_CLIENT_CA_FILE (or the proxy did not verify it). */
  certificateNotVerified: "certificate_not_verified",
  /** The certificate's fingerprint is not in NODE_CLIENT_CERT_FINGERPRINTS. */
  fingerprintNotPinned: "fingerprint_not_pinned",
} as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];

export interface Refusal {
  reason: RefusalReason;
  address: string | undefined;
  fingerprint: string | undefined;
  method: string | undefined;
  path: string;
}

export function createRefusalAudit(log: Logger) {
  const counts = new Map<RefusalReason, number>(Object.values(RefusalReason).map((reason) => [reason, 0]));
  return {
    record(refusal: Refusal): void {
      counts.set(refusal.reason, (counts.get(refusal.reason) ?? 0) + 1);
      // Address and path may come from the caller (a forwarded hop, the request line): bounded in the log.
      log.warn({ ...refusal, address: refusal.address?.slice(0, 64), path: refusal.path.slice(0, 256) }, "refused a call to the Node-facing surface");
    },
    refusalCounts(): Record<RefusalReason, number> {
      return Object.fromEntries(counts) as Record<RefusalReason, number>;
    },
  };
}
