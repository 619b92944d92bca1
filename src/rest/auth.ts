/**
 * API keys in the Ocp-Apim-Subscription-Key header, as GPD clients send them. An EC key reaches its
 * own organization only; the admin key reaches every organization this station serves. Keys are
 * compared in constant time over all of them (no early exit) and never logged.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { errors } from "../domain/errors.ts";

export type Principal = { kind: "admin" } | { kind: "organization"; organizationFiscalCode: string };

export const API_KEY_HEADER = "ocp-apim-subscription-key";

const digest = (key: string) => createHash("sha256").update(key).digest();

export function createAuthenticator(adminKey: string, organizationKeys: ReadonlyMap<string, string>) {
  const entries: Array<{ digest: Buffer; principal: Principal }> = [
    { digest: digest(adminKey), principal: { kind: "admin" } },
    ...[...organizationKeys].map(([ec, key]) => ({ digest: digest(key), principal: { kind: "organization", organizationFiscalCode: ec } as Principal })),
  ];
  return (presented: string | undefined): Principal | undefined => {
    if (!presented) return undefined;
    const candidate = digest(presented);
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
