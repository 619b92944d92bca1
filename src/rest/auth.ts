/**
 * API keys in the Ocp-Apim-Subscription-Key header, as GPD clients send them. An EC key reaches its
 * own organization only; the admin key reaches every organization this station serves. Several keys
 * of one principal may be valid at once (rotation), each configured in plain text or as its SHA-256
 * digest. Keys are compared as digests in constant time over all of them (no early exit) and never logged.
 */
import { timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { configuredKeyDigest, digestOf } from "../auth/keys.ts";
import { errors } from "../domain/errors.ts";

export type Principal = { kind: "admin" } | { kind: "organization"; organizationFiscalCode: string };

export const API_KEY_HEADER = "ocp-apim-subscription-key";

export function createAuthenticator(adminKeys: readonly string[], organizationKeys: ReadonlyArray<readonly [string, string]>) {
  const entries: Array<{ digest: Buffer; principal: Principal }> = [
    ...adminKeys.map((key) => ({ digest: configuredKeyDigest(key), principal: { kind: "admin" } as Principal })),
    ...organizationKeys.map(([ec, key]) => ({ digest: configuredKeyDigest(key), principal: { kind: "organization", organizationFiscalCode: ec } as Principal })),
  ];
  return (presented: string | undefined): Principal | undefined => {
    if (!presented) return undefined;
    const candidate = digestOf(presented);
    let found: Principal | undefined;
    for (const entry of entries) if (timingSafeEqual(entry.digest, candidate) && !found) found = entry.principal;
    return found;
  };
}

/** Middleware for routes under /organizations/:organizationfiscalcode. */
export function requireOrganizationAccess(authenticate: ReturnType<typeof createAuthenticator>, served: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const principal = authenticate(req.header(API_KEY_HEADER));
    if (!principal) throw errors.unauthenticated();
    const ec = req.params.organizationfiscalcode as string;
    if (principal.kind === "organization" && principal.organizationFiscalCode !== ec) throw errors.forbidden(ec);
    if (!served.includes(ec)) throw errors.forbidden(ec);
    next();
  };
}

/** A station-wide key: in the usual header or as a bearer token, which is what Prometheus' `authorization` setting sends. */
const stationKey = (req: Request) => req.header(API_KEY_HEADER) ?? /^Bearer (.+)$/i.exec(req.header("authorization") ?? "")?.[1];

/** Middleware for station-wide routes only the admin key reaches, and the keys of `alsoAllowed` when given. */
export function requireAdmin(authenticate: ReturnType<typeof createAuthenticator>, alsoAllowed?: ReturnType<typeof createAuthenticator>) {
  return (req: Request, _res: Response, next: NextFunction) => {
    const key = stationKey(req);
    const principal = authenticate(key);
    if (principal?.kind === "admin" || alsoAllowed?.(key)) return next();
    throw principal ? errors.adminOnly() : errors.unauthenticated();
  };
}

/** Middleware for station-wide routes any key reaches, each principal seeing its own share: the handler gets the caller. */
export function identifyCaller(authenticate: ReturnType<typeof createAuthenticator>) {
  return (req: Request, res: Response, next: NextFunction) => {
    const principal = authenticate(req.header(API_KEY_HEADER));
    if (!principal) throw errors.unauthenticated();
    res.locals.principal = principal;
    next();
  };
}
