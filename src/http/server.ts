/**
 * The listening server: plain HTTP, or HTTPS (TLS 1.2 and later) when a certificate and key are
 * configured. HTTPS asks for a client certificate whenever the Node is authenticated by one, but never
 * requires it in the handshake: REST, the contract and health are reached without one, and the Node
 * guard refuses certificate-less calls on the Node-facing surface.
 */
import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer, type Server as HttpsServer } from "node:https";
import type { SecureContextOptions } from "node:tls";
import type { Logger } from "pino";
import { checksClientCertificate } from "../auth/nodeGuard.ts";
import type { NodeAccessConfig } from "../auth/settings.ts";

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Read from disk each time, so a renewed certificate is picked up on reload. */
function secureContextOptions(access: NodeAccessConfig, tls: NonNullable<NodeAccessConfig["tls"]>): SecureContextOptions {
  return {
    cert: readFileSync(tls.certFile),
    key: readFileSync(tls.keyFile),
    ...(access.clientCaFile !== undefined ? { ca: readFileSync(access.clientCaFile) } : {}),
    minVersion: "TLSv1.2",
  };
}

export function createStationServer(listener: Listener, access: NodeAccessConfig): Server {
  if (!access.tls) return createHttpServer(listener);
  return createHttpsServer({ ...secureContextOptions(access, access.tls), requestCert: checksClientCertificate(access), rejectUnauthorized: false }, listener);
}

/**
 * Re-reads the certificate, key and client CA into the running server: new handshakes use them, open
 * connections carry on. A file that cannot be read or does not fit keeps the previous ones (logged).
 */
export function reloadCertificates(server: Server, access: NodeAccessConfig, log: Logger): boolean {
  if (!access.tls) return false;
  try {
    (server as HttpsServer).setSecureContext(secureContextOptions(access, access.tls));
    log.info({ certFile: access.tls.certFile }, "TLS certificates reloaded");
    return true;
  } catch (error) {
    log.error({ err: error }, "TLS certificates not reloaded: keeping the previous ones");
    return false;
  }
}
