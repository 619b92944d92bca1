/** REST calls for tests: the API key header, keyed requests, and loading or reading a position. */
import { expect } from "chai";
import type { PositionInput } from "../../src/domain/position.ts";
import { ADMIN_KEY, EC, type TestApp } from "./app.ts";

export const KEY_HEADER = "Ocp-Apim-Subscription-Key";

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

/** Creates a position through the API (a draft unless toPublish) and returns the answer's body (asserts 201). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function createPosition(t: TestApp, input: PositionInput, options: { toPublish?: boolean; ec?: string } = {}): Promise<Record<string, any>> {
  const res = await api(t).post(`${positionsPath(options.ec)}${options.toPublish ? "?toPublish=true" : ""}`, input);
  expect(res.status, res.text).to.equal(201);
  return res.body;
}

/** A position as the API shows it (asserts 200). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readPosition(t: TestApp, iupd: string, ec = EC): Promise<Record<string, any>> {
  const res = await api(t).get(positionPath(iupd, ec));
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body;
}

/** The stored receipt as the REST API shows it, or undefined when there is none. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function readReceipt(t: TestApp, receiptId: string, ec = EC): Promise<Record<string, any> | undefined> {
  const res = await api(t).get(`/v1/organizations/${ec}/receipts/${receiptId}`);
  if (res.status === 404) return undefined;
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return res.body;
}
