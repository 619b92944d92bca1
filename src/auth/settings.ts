/**
 * Settings of the Node-facing surface's protection: HTTPS, the Node's client certificate, trusted
 * proxies and the allow-list. Read by config.ts (the only reader of the environment) into one object.
 * With none of them set the surface stays open, as a development default; main.ts warns at start.
 */
import { accessSync, constants } from "node:fs";
import { parseCidr, type Cidr } from "../http/addresses.ts";
import { normalizeFingerprint } from "./fingerprints.ts";

export interface NodeAccessConfig {
  /** Certificate and key (PEM files) of HTTPS served here; undefined: plain HTTP. Reloaded on SIGHUP. */
  tls: { certFile: string; keyFile: string } | undefined;
  /** CA file the Node's client certificate must chain to (checked in the handshake here, or by a trusted proxy). */
  clientCaFile: string | undefined;
  /** SHA-256 fingerprints (lowercase hex), one of which the Node's client certificate must have. */
  clientFingerprints: readonly string[];
  /** Addresses the Node-facing surface answers; empty: any. */
  allowedCidrs: readonly Cidr[];
  /** Peers whose X-Forwarded-For and client-certificate headers are believed. */
  trustedProxies: readonly Cidr[];
  /** Lowercase names of the headers a trusted proxy passes the client certificate in. */
  proxyHeaders: { verify: string; fingerprint: string; certificate: string };
}

type Env = Record<string, string | undefined>;

const HEADER_NAME = /^[A-Za-z0-9-]{1,64}$/;
const list = (value: string | undefined) => (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);

export function readNodeAccess(env: Env, problems: string[]): NodeAccessConfig {
  const file = (name: string): string | undefined => {
    const path = env[name] || undefined;
    if (path === undefined) return undefined;
    try {
      accessSync(path, constants.R_OK);
    } catch {
      problems.push(`${name} must name a readable file, got "${path}"`);
    }
    return path;
  };
  const cidrs = (name: string): Cidr[] =>
    list(env[name]).flatMap((text) => {
      const cidr = parseCidr(text);
      if (!cidr) problems.push(`${name} must list IPv4 or IPv6 addresses or CIDRs (e.g. 10.0.0.0/8, 2001:db8::/32), got "${text}"`);
      return cidr ? [cidr] : [];
    });
  const header = (name: string, fallback: string): string => {
    const value = env[name] || fallback;
    if (!HEADER_NAME.test(value)) problems.push(`${name} must be an HTTP header name, got "${value}"`);
    return value.toLowerCase();
  };

  const certFile = file("TLS_CERT_FILE");
  const keyFile = file("TLS_KEY_FILE");
  if ((certFile === undefined) !== (keyFile === undefined)) problems.push("TLS_CERT_FILE and TLS_KEY_FILE must be set together");
  const clientCaFile = file("NODE_CLIENT_CA_FILE");
  const clientFingerprints = list(env.NODE_CLIENT_CERT_FINGERPRINTS).flatMap((text) => {
    const fingerprint = normalizeFingerprint(text);
    if (!fingerprint) problems.push(`NODE_CLIENT_CERT_FINGERPRINTS must list SHA-256 fingerprints (64 hex digits, colons allowed), got "${text}"`);
    return fingerprint ? [fingerprint] : [];
  });
  const trustedProxies = cidrs("TRUSTED_PROXIES");
  const tls = certFile && keyFile ? { certFile, keyFile } : undefined;
  if ((clientCaFile || clientFingerprints.length > 0) && !tls && trustedProxies.length === 0)
    problems.push("NODE_CLIENT_CA_FILE and NODE_CLIENT_CERT_FINGERPRINTS need HTTPS here (TLS_CERT_FILE, TLS_KEY_FILE) or at a proxy (TRUSTED_PROXIES)");

  return {
    tls,
    clientCaFile,
    clientFingerprints,
    allowedCidrs: cidrs("NODE_ALLOWED_CIDRS"),
    trustedProxies,
    proxyHeaders: {
      verify: header("PROXY_CLIENT_VERIFY_HEADER", "X-SSL-Client-Verify"),
      fingerprint: header("PROXY_CLIENT_FINGERPRINT_HEADER", "X-SSL-Client-Fingerprint"),
      certificate: header("PROXY_CLIENT_CERT_HEADER", "X-SSL-Client-Cert"),
    },
  };
}
