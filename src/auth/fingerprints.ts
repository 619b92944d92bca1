/**
 * SHA-256 certificate fingerprints, as operators copy them (`AB:CD:…` from openssl, plain hex from
 * HAProxy, any case) and as a front proxy passes a whole certificate (nginx's URL-escaped PEM).
 */
import { X509Certificate } from "node:crypto";

const HEX_64 = /^[0-9a-f]{64}$/;

/** Lowercase hex without separators, or undefined when the text is not a SHA-256 fingerprint. */
export function normalizeFingerprint(text: string): string | undefined {
  const hex = text.trim().replaceAll(":", "").toLowerCase();
  return HEX_64.test(hex) ? hex : undefined;
}

/** The fingerprint of a PEM certificate, URL-escaped (nginx's $ssl_client_escaped_cert) or not; undefined when unreadable. */
export function fingerprintOfPem(text: string): string | undefined {
  try {
    const pem = text.includes("%") ? decodeURIComponent(text) : text;
    return normalizeFingerprint(new X509Certificate(pem).fingerprint256);
  } catch {
    return undefined;
  }
}
