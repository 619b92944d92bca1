/** Shared steps of the REST tests: authenticated calls, problem and schema assertions, row counts. */
import { expect } from "chai";
import type { Response } from "supertest";
import { centsToAmount } from "../../src/domain/money.ts";
import type { PositionInput } from "../../src/domain/position.ts";
import { createValidators, type SchemaId } from "../../src/rest/validate.ts";
import { ADMIN_KEY, EC, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { getPaymentRequest, postSoap, receiptRequest } from "../support/soap.ts";

export const KEY_HEADER = "Ocp-Apim-Subscription-Key";

const validators = createValidators();

/** The collection path of one EC's positions under a prefix ("/v1", "/gpd/debt-positions-service/v1", "/v2"…). */
export const positionsPath = (ec = EC, prefix = "/v1") => `${prefix}/organizations/${ec}/debtpositions`;
export const positionPath = (iupd: string, ec = EC, prefix = "/v1") => `${positionsPath(ec, prefix)}/${encodeURIComponent(iupd)}`;

/** Requests that carry an API key (the admin's unless told). */
export function api(t: TestApp, key = ADMIN_KEY) {
  return {
    get: (path: string) => t.http.get(path).set(KEY_HEADER, key),
    post: (path: string, body?: unknown) => (body === undefined ? t.http.post(path).set(KEY_HEADER, key) : t.http.post(path).set(KEY_HEADER, key).send(body as object)),
    put: (path: string, body?: unknown) => (body === undefined ? t.http.put(path).set(KEY_HEADER, key) : t.http.put(path).set(KEY_HEADER, key).send(body as object)),
    patch: (path: string, body: unknown) => t.http.patch(path).set(KEY_HEADER, key).send(body as object),
    delete: (path: string, body?: unknown) => (body === undefined ? t.http.delete(path).set(KEY_HEADER, key) : t.http.delete(path).set(KEY_HEADER, key).send(body as object)),
  };
}

/** Asserts the body against one of the API's JSON Schemas. */
export function expectValid(id: SchemaId, body: unknown): void {
  const validate = validators.compiled(id);
  expect(validate(body), `${id}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`).to.equal(true);
}

/** Asserts an RFC 7807 answer: status, media type, the field it names (undefined = names none), problem schema. */
export function expectProblem(res: Response, status: number, field: string | undefined): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.headers["content-type"], res.text).to.match(/^application\/problem\+json/);
  expect(res.body.status, res.text).to.equal(status);
  expect(res.body.field, res.text).to.equal(field);
  expectValid("problem", res.body);
}

export interface RowCounts {
  positions: number;
  options: number;
  transfers: number;
}

/** Rows in the three tables a position is written to. */
export async function rowCounts(): Promise<RowCounts> {
  const db = await testDatabase();
  const [row] = await db.query<RowCounts>(
    `SELECT (SELECT count(*) FROM payment_position)::int AS positions,
            (SELECT count(*) FROM payment_option)::int AS options,
            (SELECT count(*) FROM transfer)::int AS transfers`,
  );
  return row!;
}

/** Rows one position input becomes. */
export function rowsOf(...inputs: PositionInput[]): RowCounts {
  return {
    positions: inputs.length,
    options: inputs.reduce((n, p) => n + p.paymentOption.length, 0),
    transfers: inputs.reduce((n, p) => n + p.paymentOption.reduce((m, o) => m + o.transfer.length, 0), 0),
  };
}

/** Creates a position through the API and returns the answer's body (asserts 201). */
export async function createPosition(t: TestApp, input: PositionInput, options: { toPublish?: boolean; ec?: string } = {}) {
  const res = await api(t).post(`${positionsPath(options.ec)}${options.toPublish ? "?toPublish=true" : ""}`, input);
  expect(res.status, res.text).to.equal(201);
  return res.body;
}

/** Locks an option as the Node does when a payment starts (paGetPaymentV2). */
export async function lockOption(t: TestApp, nav: string, ec = EC): Promise<void> {
  const res = await postSoap(t, getPaymentRequest(nav, { v2: true, ec }), "paGetPaymentV2");
  expect(res.body.outcome, res.text).to.equal("OK");
}

/** Pays an option with a receipt (paSendRTV2), as the Node does at the end of a payment. */
export async function payOption(
  t: TestApp,
  option: { nav: string; iuv: string; amount: number },
  receiptId: string,
  paymentDateTime?: string,
): Promise<void> {
  const res = await postSoap(
    t,
    receiptRequest({ receiptId, nav: option.nav, iuv: option.iuv, amount: centsToAmount(option.amount), v2: true, extra: paymentDateTime ? { paymentDateTime } : undefined }),
    "paSendRTV2",
  );
  expect(res.body.outcome, res.text).to.equal("OK");
}
