/**
 * The guard in front of the Node-facing surface (the SOAP endpoint, /payment-options/…): only the pagoPA
 * Node gets through. It runs before anything reads the request, so a refused call reads and writes
 * nothing and gets a bare 403. Everything else (REST with its API keys, /wsdl, /xsd, /docs, health)
 * passes untouched, which is why HTTPS asks for a client certificate without requiring one.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";
import type { Logger } from "pino";
import { addressSet, clientAddress } from "../http/addresses.ts";
import { fingerprintOfPem, normalizeFingerprint } from "./fingerprints.ts";
import { createRefusalAudit, RefusalReason } from "./refusals.ts";
import type { NodeAccessConfig } from "./settings.ts";

/** Paths only the Node calls, besides the (configurable) SOAP path. Add a Node-facing route's prefix here. */
const NODE_FACING_PREFIXES: readonly string[] = ["/payment-options"];

/** The value of the verify header that means the proxy verified the certificate (nginx's $ssl_client_verify). */
const PROXY_VERIFIED = "SUCCESS";

/** True when a client certificate is checked at all (so HTTPS must ask for one). */
export const checksClientCertificate = (access: NodeAccessConfig) => access.clientCaFile !== undefined || access.clientFingerprints.length > 0;

/** True when the Node-facing surface is open to anyone: none of the NODE_* settings is given. */
export const isNodeSurfaceOpen = (access: NodeAccessConfig) => !checksClientCertificate(access) && access.allowedCidrs.length === 0;

/** The path of a request target, also in absolute form ("http://host/path", which Express routes by its path). */
function targetPath(url: string): string {
  const beforeQuery = url.split("?", 1)[0]!;
  if (beforeQuery.startsWith("/")) return beforeQuery;
  const scheme = beforeQuery.indexOf("://");
  const slash = scheme < 0 ? -1 : beforeQuery.indexOf("/", scheme + 3);
  return slash < 0 ? beforeQuery : beforeQuery.slice(slash);
}

/**
 * Whether a request targets the Node-facing surface. Compared in lower case with repeated slashes folded,
 * as loosely as any router could match it, so no spelling slips past. GET on the SOAP path serves only the
 * public WSDL (?wsdl) and stays open.
 */
function isNodeFacing(method: string | undefined, url: string | undefined, soapPath: string): boolean {
  const raw = targetPath(url ?? "/");
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Malformed escapes: judged on the raw path; no router matches it either.
  }
  const soap = soapPath.toLowerCase();
  return [raw, decoded].some((candidate) => {
    const path = candidate.replace(/\/{2,}/g, "/").toLowerCase();
    const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
    return (under(soap) && method !== "GET" && method !== "HEAD") || NODE_FACING_PREFIXES.some(under);
  });
}

interface PresentedCertificate {
  verified: boolean;
  fingerprint: string | undefined;
}

export function createNodeGuard(access: NodeAccessConfig, soapPath: string, log: Logger) {
  const trustedProxies = addressSet(access.trustedProxies);
  const allowed = addressSet(access.allowedCidrs);
  const pinned = new Set(access.clientFingerprints);
  const checksCertificate = checksClientCertificate(access);
  const open = isNodeSurfaceOpen(access);
  const audit = createRefusalAudit(log);
  const headers = access.proxyHeaders;

  /** A trusted proxy passes the certificate in headers; otherwise it is the TLS connection's own. */
  function presentedCertificate(req: IncomingMessage, viaProxy: boolean): PresentedCertificate | undefined {
    if (viaProxy) {
      const single = (name: string) => {
        const value = req.headers[name];
        return typeof value === "string" && value !== "" ? value : undefined;
      };
      const verify = single(headers.verify);
      const fingerprintText = single(headers.fingerprint);
      const pem = single(headers.certificate);
      const fingerprint = fingerprintText !== undefined ? normalizeFingerprint(fingerprintText) : pem !== undefined ? fingerprintOfPem(pem) : undefined;
      if (verify === undefined && fingerprint === undefined) return undefined;
      return { verified: verify === PROXY_VERIFIED, fingerprint };
    }
    const socket = req.socket as Partial<TLSSocket>;
    if (typeof socket.getPeerCertificate !== "function") return undefined;
    const certificate = socket.getPeerCertificate();
    if (!certificate?.fingerprint256) return undefined;
    return { verified: socket.authorized === true, fingerprint: normalizeFingerprint(certificate.fingerprint256) };
  }

  function refusalOf(address: string | undefined, certificate: PresentedCertificate | undefined): RefusalReason | undefined {
    if (!allowed.empty && !allowed.has(address)) return RefusalReason.addressNotAllowed;
    if (!checksCertificate) return undefined;
    if (!certificate) return RefusalReason.noClientCertificate;
    if (access.clientCaFile !== undefined && !certificate.verified) return RefusalReason.certificateNotVerified;
    if (pinned.size > 0 && !(certificate.fingerprint !== undefined && pinned.has(certificate.fingerprint))) return RefusalReason.fingerprintNotPinned;
    return undefined;
  }

  return {
    open,
    refusalCounts: audit.refusalCounts,
    /** Lets the request through (true) or answers it 403 and records why (false). */
    admit(req: IncomingMessage, res: ServerResponse): boolean {
      if (open || !isNodeFacing(req.method, req.url, soapPath)) return true;
      const peer = req.socket.remoteAddress;
      const forwardedFor = req.headers["x-forwarded-for"];
      const address = clientAddress(peer, typeof forwardedFor === "string" ? forwardedFor : undefined, trustedProxies);
      const certificate = checksCertificate ? presentedCertificate(req, trustedProxies.has(peer)) : undefined;
      const reason = refusalOf(address, certificate);
      if (reason === undefined) return true;
      audit.record({ reason, address, fingerprint: certificate?.fingerprint, method: req.method, path: req.url ?? "" });
      // The body is never read: close the connection rather than drain what the caller sent.
      res.writeHead(403, { "content-length": "0", connection: "close" }).end();
      return false;
    },
  };
}

export type NodeGuard = ReturnType<typeof createNodeGuard>;
