/**
 * What GPD's clients send, read as GPD (Spring and Jackson) reads it: booleans in any of Spring's
 * spellings, JSON null for an optional field, a body on publish and invalidate. And text no store
 * can hold (NUL, lone surrogates, invalid UTF-8) refused with 400 wherever it comes.
 */
import { expect } from "chai";
import { EC, startApp, type TestApp } from "../support/app.ts";
import { makePosition } from "../support/factories.ts";
import { expectProblem, rowCounts } from "./helpers.ts";
import { api, createPosition, positionPath, positionsPath } from "../support/rest.ts";

describe("request input as GPD clients send it", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startApp();
  });

  describe("boolean query parameters (Spring's conversion)", () => {
    const truthy = ["true", "True", "TRUE", "1", "yes", "YES", "on", "On", " true "];
    const falsy = ["false", "False", "0", "no", "NO", "off", "OFF"];
    for (const word of truthy) {
      it(`publishes with toPublish=${JSON.stringify(word)}`, async () => {
        const res = await api(t).post(`${positionsPath()}?toPublish=${encodeURIComponent(word)}`, makePosition());
        expect(res.status, res.text).to.equal(201);
        expect(res.body.status).to.equal("VALID");
      });
    }
    for (const word of falsy) {
      it(`keeps a draft with toPublish=${JSON.stringify(word)}`, async () => {
        const res = await api(t).post(`${positionsPath()}?toPublish=${encodeURIComponent(word)}`, makePosition());
        expect(res.status, res.text).to.equal(201);
        expect(res.body.status).to.equal("DRAFT");
      });
    }
    it("refuses a word Spring does not read as a boolean, naming toPublish", async () => {
      expectProblem(await api(t).post(`${positionsPath()}?toPublish=maybe`, makePosition()), 400, "toPublish");
      expectProblem(await api(t).put(`${positionsPath(EC, "/v2")}?toPublish=2`, { paymentPositions: [makePosition()] }), 400, "toPublish");
      expect((await rowCounts()).positions).to.equal(0);
    });
    it("reads the bulk toPublish alike", async () => {
      const input = makePosition();
      const res = await api(t).post(`${positionsPath(EC, "/v2")}?toPublish=Yes`, { paymentPositions: [input] });
      expect(res.status, res.text).to.equal(201);
      expect((await api(t).get(positionPath(input.iupd))).body.status).to.equal("VALID");
    });
  });

  describe("JSON null for an optional field", () => {
    it("reads null as absent on the position, its options and its transfers", async () => {
      const input = makePosition();
      const body = {
        ...input,
        officeName: null,
        validityDate: null,
        payStandIn: null,
        email: null,
        paymentOption: input.paymentOption.map((o) => ({
          ...o,
          nav: null,
          retentionDate: null,
          paymentOptionMetadata: null,
          transfer: o.transfer.map((tr) => ({ ...tr, postalIban: null, stamp: null, companyName: null, transferMetadata: null })),
        })),
      };
      const res = await api(t).post(positionsPath(), body);
      expect(res.status, res.text).to.equal(201);
      expect(res.body).not.to.have.property("officeName");
      expect(res.body).not.to.have.property("email");
      expect(res.body.payStandIn).to.equal(true);
      expect(res.body.paymentOption[0].nav).to.equal(`3${input.paymentOption[0]!.iuv}`);
      expect(res.body.paymentOption[0].transfer[0]).not.to.have.property("postalIban");
    });
    it("reads null as absent in a bulk body too", async () => {
      const input = makePosition();
      const res = await api(t).post(positionsPath(EC, "/v2"), { paymentPositions: [{ ...input, officeName: null }] });
      expect(res.status, res.text).to.equal(201);
    });
    it("still refuses null for a required field, naming it", async () => {
      expectProblem(await api(t).post(positionsPath(), { ...makePosition(), companyName: null }), 400, "companyName");
      const input = makePosition();
      const option = { ...input.paymentOption[0]!, amount: null };
      expectProblem(await api(t).post(positionsPath(), { ...input, paymentOption: [option] }), 400, "paymentOption[0].amount");
    });
  });

  describe("a body on publish and invalidate", () => {
    for (const [name, send] of [
      ["an empty JSON string (axios)", '""'],
      ["an empty object", "{}"],
      ["null", "null"],
    ] as const) {
      it(`publishes and invalidates with ${name} as the body, ignoring it`, async () => {
        const input = makePosition();
        await createPosition(t, input);
        const published = await api(t).post(`${positionPath(input.iupd)}/publish`).set("content-type", "application/json").send(send);
        expect(published.status, published.text).to.equal(200);
        expect(published.body.status).to.equal("VALID");
        const invalidated = await api(t).post(`${positionPath(input.iupd)}/invalidate`).set("content-type", "application/json").send(send);
        expect(invalidated.status, invalidated.text).to.equal(200);
        expect(invalidated.body.status).to.equal("INVALID");
      });
    }
    it("still refuses a body that is not JSON", async () => {
      const input = makePosition();
      await createPosition(t, input);
      expectProblem(await api(t).post(`${positionPath(input.iupd)}/publish`).set("content-type", "application/json").send("{"), 400, "(body)");
    });
    it("refuses a body that is not an object where a position is expected", async () => {
      expectProblem(await api(t).post(positionsPath()).set("content-type", "application/json").send('""'), 400, "(body)");
      expectProblem(await api(t).post(positionsPath()).set("content-type", "application/json").send("[]"), 400, "(body)");
      expect((await rowCounts()).positions).to.equal(0);
    });
  });

  describe("text no store can hold", () => {
    it("refuses a NUL character in a body field with 400 naming it, writing nothing", async () => {
      const res = await api(t).post(positionsPath()).set("content-type", "application/json").send(JSON.stringify({ ...makePosition(), fullName: "Mario\u0000Rossi" }));
      expectProblem(res, 400, "fullName");
      expect((await rowCounts()).positions).to.equal(0);
    });
    it("refuses a lone surrogate escaped in JSON with 400 naming the field", async () => {
      const input = makePosition();
      const text = JSON.stringify(input).replace('"Mario Rossi"', '"Mario \\ud800 Rossi"');
      expectProblem(await api(t).post(positionsPath()).set("content-type", "application/json").send(text), 400, "fullName");
      const low = JSON.stringify(input).replace('"Comune di Esempio"', '"\\udc00"');
      expectProblem(await api(t).post(positionsPath()).set("content-type", "application/json").send(low), 400, "companyName");
    });
    it("accepts a surrogate pair (an emoji is valid Unicode)", async () => {
      const res = await api(t).post(positionsPath(), { ...makePosition(), fullName: "Mario \ud83d\ude00 Rossi" });
      expect(res.status, res.text).to.equal(201);
    });
    it("refuses a NUL or a lone surrogate in a key", async () => {
      const text = JSON.stringify(makePosition()).replace('"city"', '"ci\\u0000ty"');
      expectProblem(await api(t).post(positionsPath()).set("content-type", "application/json").send(text), 400, "ci\u0000ty");
    });
    it("refuses bytes that are not UTF-8 with 400", async () => {
      const bytes = Buffer.concat([Buffer.from(JSON.stringify(makePosition()).slice(0, -1) + ',"officeName":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
      expectProblem(await api(t).post(positionsPath()).set("content-type", "application/json").serialize((b: Buffer) => b as unknown as string).send(bytes), 400, "(body)");
      expect((await rowCounts()).positions).to.equal(0);
    });
    it("refuses a body in another charset or compressed with 400, not 500", async () => {
      const text = JSON.stringify(makePosition());
      expectProblem(await api(t).post(positionsPath()).set("content-type", "application/json; charset=latin1").send(text), 400, "(body)");
      expectProblem(await api(t).post(positionsPath()).set("content-type", "application/json").set("content-encoding", "br-x").send(text), 400, "(body)");
    });
    it("refuses NUL or invalid Unicode in a path or query parameter with 400, not 500", async () => {
      expectProblem(await api(t).get(`${positionsPath()}/IUPD%00X`), 400, "iupd");
      expectProblem(await api(t).get(`${positionsPath()}/IUPD%ED%A0%80`), 400, "(path)");
      expectProblem(await api(t).get(`${positionsPath()}/IUPD%E0%A4%A`), 400, "(path)");
      expectProblem(await api(t).get(`${positionsPath()}?status=%00`), 400, "status");
      expectProblem(await api(t).get(`/v1/organizations/${EC}/receipts/%00`), 400, "receiptId");
    });
  });
});
