/**
 * A receipt that breaks the schema is answered PAA_SINTASSI_XSD (the Node retries it), and its body is
 * kept for the EC so the payment is never invisible; the Node's retries count as attempts of one row.
 */
import { expect } from "chai";
import { EC, EC_KEY, OTHER_EC_KEY, UNSERVED_EC, startApp, type TestApp } from "../support/app.ts";
import { testDatabase } from "../support/db.ts";
import { faultCodeOf, postSoap, receiptRequest, verifyRequest } from "../support/soap.ts";
import { expectProblem, expectValid } from "../rest/helpers.ts";
import { KEY_HEADER } from "../support/rest.ts";

const NAV = "302000000001234559";
const IUV = "02000000001234559";
const rejectedPath = (ec = EC) => `/v1/organizations/${ec}/rejectedreceipts`;

/** A receipt whose transfer lacks transferCategory, as the 2021 examples did. */
const withoutCategory = (receiptId: string, idPA = EC) =>
  receiptRequest({ receiptId, nav: NAV, iuv: IUV, amount: "30.00", idPA, fiscalCode: idPA }).replace(/<transferCategory>[^<]*<\/transferCategory>/, "");

describe("receipts refused for breaking the schema", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  const rejected = async () => (await testDatabase()).query<{ receipt_id: string; attempts: number; reason: string }>("SELECT receipt_id, attempts, reason FROM rejected_receipt ORDER BY id");

  it("answers PAA_SINTASSI_XSD and keeps the body, with the receipt id and notice number it could read", async () => {
    const answer = await postSoap(t, withoutCategory("bad-1"), "paSendRT");
    expect(faultCodeOf(answer)).to.equal("PAA_SINTASSI_XSD");
    const rows = await rejected();
    expect(rows).to.have.length(1);
    expect(rows[0]!.receipt_id).to.equal("bad-1");
    expect(rows[0]!.reason).to.include("transferCategory");

    const res = await t.http.get(rejectedPath()).set(KEY_HEADER, EC_KEY);
    expect(res.status).to.equal(200);
    expect(res.body).to.have.length(1);
    expectValid("rejected-receipt-response", res.body[0]);
    expect(res.body[0]).to.include({ receiptId: "bad-1", noticeNumber: NAV, primitiveVersion: 1, attempts: 1 });
    expect(res.body[0].rawBody).to.include("<receiptId>bad-1</receiptId>");
  });

  it("answers PAA_SINTASSI_XSD for an empty receiptId (the receipt's identity) and keeps the body", async () => {
    const empty = receiptRequest({ receiptId: "", nav: NAV, iuv: IUV, amount: "30.00" });
    const answer = await postSoap(t, empty, "paSendRT");
    expect(faultCodeOf(answer)).to.equal("PAA_SINTASSI_XSD");
    expect(answer.body.fault.description).to.include("receipt.receiptId");
    const rows = await rejected();
    expect(rows).to.have.length(1);
    expect(rows[0]!.reason).to.include("receiptId");
    expect(await (await testDatabase()).query("SELECT 1 FROM receipt")).to.deep.equal([]);
  });

  it("counts the Node's retries of the same body as attempts of one row", async () => {
    for (let i = 0; i < 3; i++) expect(faultCodeOf(await postSoap(t, withoutCategory("bad-2"), "paSendRT"))).to.equal("PAA_SINTASSI_XSD");
    expect(await rejected()).to.deep.include({ receipt_id: "bad-2", attempts: 3, reason: (await rejected())[0]!.reason });
    expect(await rejected()).to.have.length(1);
  });

  it("keeps nothing for an EC this station does not serve, nor for other refused requests", async () => {
    expect(faultCodeOf(await postSoap(t, withoutCategory("bad-3", UNSERVED_EC), "paSendRT"))).to.equal("PAA_SINTASSI_XSD");
    expect(faultCodeOf(await postSoap(t, verifyRequest("12"), "paVerifyPaymentNotice"))).to.equal("PAA_SINTASSI_XSD");
    expect(await rejected()).to.deep.equal([]);
  });

  it("shows an EC only its own refused receipts, and checks the limit", async () => {
    await postSoap(t, withoutCategory("bad-4"), "paSendRT");
    const other = await t.http.get(rejectedPath()).set(KEY_HEADER, OTHER_EC_KEY);
    expect(other.status).to.equal(403);
    expectProblem(await t.http.get(`${rejectedPath()}?limit=0`).set(KEY_HEADER, EC_KEY), 400, "limit");
  });
});
