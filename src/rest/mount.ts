/**
 * Express routes derived from the operation table: each operation at its documented path and, for
 * /v1 and /v2, under /gpd/debt-positions-service too. Input is validated against the operation's
 * schemas before its handler runs; Express 5 forwards rejections to the error middleware.
 */
import type { Express, Request, RequestHandler, Response } from "express";
import { errors, isDomainError } from "../domain/errors.ts";
import { UNSTORABLE, unstorableText } from "./body.ts";
import type { Principal } from "./auth.ts";
import type { Operation } from "./operations.ts";
import type { Reply } from "./reply.ts";
import type { Validators } from "./validate.ts";

/** The paths a documented path is served at: a /v1 or /v2 path also under /gpd/debt-positions-service. */
function withGpdPrefix(path: string): string[] {
  const gpd = /^\/(v\d)\//.exec(path);
  return gpd ? [path, path.replace(/^\/v\d\//, `/gpd/debt-positions-service/${gpd[1]}/`)] : [path];
}

/** Every path an operation is served at. */
export const servedPaths = (operation: Pick<Operation, "path" | "aliases">): string[] => [operation.path, ...(operation.aliases ?? [])].flatMap(withGpdPrefix);

/**
 * "/v1/organizations/{organizationfiscalcode}" -> "/v1/organizations/:organizationfiscalcode"; a
 * hyphenated name (the payment-options contract's) reaches the handler with underscores.
 */
const expressPath = (path: string) => path.replace(/\{([\w-]+)\}/g, (_, name: string) => `:${name.replace(/-/g, "_")}`);

/** The organization scopes of the table ("/v1/organizations/{organizationfiscalcode}", ...), where keys are checked. */
function scopes(table: readonly Operation[]): string[] {
  const found = new Set<string>();
  for (const { path } of table) {
    const scope = /^.*?\{organizationfiscalcode\}/.exec(path)?.[0];
    if (scope) for (const served of withGpdPrefix(scope)) found.add(served);
  }
  return [...found];
}

function send(res: Response, { status = 200, body, type, headers }: Reply): void {
  res.status(status);
  if (headers) res.set(headers);
  if (body === undefined) res.end();
  else if (type) res.type(type).send(body);
  else res.json(body);
}

/** What runs before an operation, by who may call it. */
export interface Guards {
  /** Under each organization scope, first. */
  scoped: RequestHandler[];
  /** Before admin-only operations. */
  admin: RequestHandler[];
  /** Before station-wide operations any key reaches (it sets res.locals.principal). */
  keyed: RequestHandler[];
  /** Before the operations of the admin key and the testers' keys. */
  tester: RequestHandler[];
}

/** Adds every operation of the table to the app, each behind the guards of who may call it. */
export function mountOperations(app: Express, table: readonly Operation[], validators: Validators, guardsOf: Guards): void {
  for (const scope of scopes(table)) app.use(expressPath(scope), ...guardsOf.scoped);
  for (const operation of table) {
    const handler = async (req: Request, res: Response) => {
      try {
        const unstorable = unstorableText(req.params);
        if (unstorable) throw errors.badRequest(unstorable, UNSTORABLE);
        const query = operation.query === undefined ? undefined : validators.query(operation.query, req.query as Record<string, unknown>);
        const body = operation.body === undefined ? undefined : validators.body(operation.body, req.body);
        send(res, await operation.handle({ params: req.params as Record<string, string>, query, body, principal: res.locals.principal as Principal | undefined }));
      } catch (error) {
        // an operation with an error contract of its own answers its refusals in it, input checks included
        if (operation.answerError && isDomainError(error)) return send(res, operation.answerError(error));
        throw error;
      }
    };
    const guards = operation.admin ? guardsOf.admin : operation.keyed ? guardsOf.keyed : operation.tester ? guardsOf.tester : [];
    for (const path of servedPaths(operation)) app[operation.method](expressPath(path), ...guards, handler);
  }
}
