/** Shared steps of the REST tests: problem and schema assertions, row counts, locking and paying through SOAP. */
import { expect } from "chai";
import type { Response } from "supertest";
import { centsToAmount } from "../../src/domain/money.ts";
import type { PositionInput } from "../../src/domain/position.ts";
import { createValidators, type SchemaId } from "../../src/rest/validate.ts";
import { EC, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { getPaymentRequest, postSoap, receiptRequest } from "../support/soap.ts";

const validators = createValidators();

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
