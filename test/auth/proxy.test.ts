import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { createStationServer } from "../../src/http/server.ts";
import { ADMIN_KEY, EC } from "../support/app.ts";
import { testCertificates } from "./certificates.ts";
import { loadNotice, paymentState, soapCalls, startStation, type Station } from "./support.ts";
import { KEY_HEADER } from "../support/rest.ts";

// supertest connects from 127.0.0.1: the peer is a trusted proxy when TRUSTED_PROXIES covers it.
const LOOPBACK = "127.0.0.1/32,::1/128";
const certs = testCertificates();
let receiptCounter = 0;
const nextReceiptId = () => `proxy-${Date.now()}-${++receiptCounter}`;

describe("behind a proxy: TRUSTED_PROXIES, forwarded certificates and NODE_ALLOWED_CIDRS", () => {
  let s: Station;

  /** POSTs a receipt for a fresh notice with these headers; returns the status and what was stored. */
  async function sendReceipt(headers: Record<string, string>) {
    const notice = await loadNotice(s.http);
    const { receipt } = soapCalls(notice, nextReceiptId());
    const before = await paymentState();
    const res = await s.http.post("/paForNode").set({ ...receipt.headers, ...headers }).send(receipt.body);
    const after = await paymentState();
    return { status: res.status, text: res.text, stored: after.receipts - before.receipts, refusals: s.logs.filter((l) => l.msg === "refused a call to the Node-facing surface") };
  }

  describe("certificate headers from a trusted proxy", () => {
    beforeEach(async () => {
      s = await startStation({ TRUSTED_PROXIES: LOOPBACK, NODE_CLIENT_CA_FILE: certs.nodeCa.certFile, NODE_CLIENT_CERT_FINGERPRINTS: certs.node.fingerprint });
    });

    it("believes the verified flag and the fingerprint, and stores the receipt", async () => {
      const r = await sendReceipt({ "X-SSL-Client-Verify": "SUCCESS", "X-SSL-Client-Fingerprint": certs.node.fingerprint.replaceAll(":", "") });
      expect(r.status, r.text).to.equal(200);
      expect(r.stored).to.equal(1);
    });

    it("reads the fingerprint from nginx's URL-escaped certificate", async () => {
      const r = await sendReceipt({ "X-SSL-Client-Verify": "SUCCESS", "X-SSL-Client-Cert": encodeURIComponent(certs.node.cert.toString("utf8")) });
      expect(r.status, r.text).to.equal(200);
      expect(r.stored).to.equal(1);
    });

    it("refuses what the proxy did not verify, another fingerprint, or no certificate headers, storing nothing", async () => {
      const cases: Array<[Record<string, string>, string]> = [
        [{ "X-SSL-Client-Verify": "FAILED:unable to verify the first certificate", "X-SSL-Client-Fingerprint": certs.node.fingerprint }, "certificate_not_verified"],
        [{ "X-SSL-Client-Verify": "NONE" }, "certificate_not_verified"],
        [{ "X-SSL-Client-Verify": "SUCCESS", "X-SSL-Client-Fingerprint": certs.nodeSibling.fingerprint }, "fingerprint_not_pinned"],
        [{ "X-SSL-Client-Verify": "SUCCESS", "X-SSL-Client-Cert": encodeURIComponent(certs.stranger.cert.toString("utf8")) }, "fingerprint_not_pinned"],
        [{ "X-SSL-Client-Verify": "SUCCESS", "X-SSL-Client-Fingerprint": "not a fingerprint" }, "fingerprint_not_pinned"],
        [{}, "no_client_certificate"],
      ];
      for (const [headers, reason] of cases) {
        const r = await sendReceipt(headers);
        expect(r.status, JSON.stringify(headers)).to.equal(403);
        expect(r.text).to.equal("");
        expect(r.stored).to.equal(0);
        expect(r.refusals.at(-1), JSON.stringify(headers)).to.include({ reason });
      }
      expect(s.logs.filter((l) => l.msg === "refused a call to the Node-facing surface")).to.have.length(cases.length);
    });
  });

  describe("the same headers from a peer that is not a trusted proxy", () => {
    beforeEach(async () => {
      s = await startStation({ TRUSTED_PROXIES: "10.0.0.0/8,fd00::/8", NODE_CLIENT_CA_FILE: certs.nodeCa.certFile, NODE_CLIENT_CERT_FINGERPRINTS: certs.node.fingerprint });
    });

    it("are ignored: the call is refused and stores nothing", async () => {
      const r = await sendReceipt({ "X-SSL-Client-Verify": "SUCCESS", "X-SSL-Client-Fingerprint": certs.node.fingerprint, "X-Forwarded-For": "10.1.2.3" });
      expect(r.status).to.equal(403);
      expect(r.stored).to.equal(0);
      expect(r.refusals).to.have.length(1);
      expect(r.refusals[0]).to.include({ reason: "no_client_certificate", address: "127.0.0.1" });
    });
  });

  describe("header names", () => {
    beforeEach(async () => {
      s = await startStation({ TRUSTED_PROXIES: LOOPBACK, NODE_CLIENT_CERT_FINGERPRINTS: certs.node.fingerprint, PROXY_CLIENT_FINGERPRINT_HEADER: "X-Client-Cert-SHA256" });
    });

    it("are configurable, and the default name is then ignored", async () => {
      expect((await sendReceipt({ "X-Client-Cert-SHA256": certs.node.fingerprint })).stored).to.equal(1);
      expect((await sendReceipt({ "X-SSL-Client-Fingerprint": certs.node.fingerprint })).status).to.equal(403);
    });
  });

  describe("NODE_ALLOWED_CIDRS with the address a trusted proxy reports", () => {
    beforeEach(async () => {
      s = await startStation({ TRUSTED_PROXIES: `${LOOPBACK},192.0.2.0/24`, NODE_ALLOWED_CIDRS: "203.0.113.0/24,2001:db8:1::/48" });
    });

    it("lets the Node's egress addresses through, IPv4 and IPv6", async () => {
      expect((await sendReceipt({ "X-Forwarded-For": "203.0.113.7" })).stored).to.equal(1);
      expect((await sendReceipt({ "X-Forwarded-For": "2001:db8:1::42" })).stored).to.equal(1);
      // Right to left, past the trusted hop 192.0.2.1: the caller is 203.0.113.7; what it wrote on the left proves nothing.
      expect((await sendReceipt({ "X-Forwarded-For": "198.51.100.1, 203.0.113.7, 192.0.2.1" })).stored).to.equal(1);
    });

    it("refuses other callers with a bare 403, even when they write an allowed address on the left", async () => {
      for (const forwardedFor of ["198.51.100.1", "203.0.113.7, 198.51.100.1", "2001:db8:2::1", "garbage", ""]) {
        const r = await sendReceipt(forwardedFor ? { "X-Forwarded-For": forwardedFor } : {});
        expect(r.status, forwardedFor).to.equal(403);
        expect(r.text).to.equal("");
        expect(r.stored).to.equal(0);
        expect(r.refusals.at(-1)).to.include({ reason: "address_not_allowed" });
      }
      expect(s.logs.filter((l) => l.msg === "refused a call to the Node-facing surface").map((l) => l.address)).to.deep.equal([
        "198.51.100.1",
        "198.51.100.1",
        "2001:db8:2::1",
        "garbage",
        "127.0.0.1",
      ]);
    });

    it("guards every spelling of the Node-facing paths, and leaves REST, the WSDL and health alone", async () => {
      for (const path of ["/paForNode", "/PAFORNODE", "//paForNode", "/paForNode/", "/%70aForNode", "/payment-options/organizations/x", "/Payment-Options"])
        expect((await s.http.post(path).send("<x/>")).status, path).to.equal(403);
      expect((await s.http.get(`/payment-options/organizations/${EC}/notices/1`)).status).to.equal(403);
      for (const path of ["/wsdl", "/paForNode?wsdl", "/health"]) expect((await s.http.get(path)).status, path).to.equal(200);
      expect((await s.http.get(`/v1/organizations/${EC}/debtpositions`)).status).to.equal(401);
    });

    it("guards a request line in absolute form (http://host/path), which Express routes by its path", async () => {
      const server = createStationServer(s.app.listener, s.config.nodeAccess);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      const status = (path: string) =>
        new Promise<number>((resolve, reject) => {
          const req = httpRequest({ host: "127.0.0.1", port, path, agent: false }, (res) => resolve(res.resume().statusCode!));
          req.on("error", reject).end();
        });
      try {
        expect(await status(`http://station.example/payment-options/organizations/${EC}/notices/1`)).to.equal(403);
        expect(await status("http://station.example/health")).to.equal(200);
      } finally {
        server.close();
      }
    });
  });

  describe("NODE_ALLOWED_CIDRS without a proxy", () => {
    it("checks the peer address and ignores X-Forwarded-For", async () => {
      s = await startStation({ NODE_ALLOWED_CIDRS: "203.0.113.0/24" });
      expect((await sendReceipt({ "X-Forwarded-For": "203.0.113.7" })).status).to.equal(403);
      s = await startStation({ NODE_ALLOWED_CIDRS: "127.0.0.0/8,::1" });
      expect((await sendReceipt({ "X-Forwarded-For": "198.51.100.1" })).stored).to.equal(1);
    });
  });

  describe("with no NODE_* setting", () => {
    it("stays open, as before, and says so", async () => {
      s = await startStation({});
      expect((await sendReceipt({})).stored).to.equal(1);
      const state = await s.http.get("/admin/node-access").set(KEY_HEADER, ADMIN_KEY);
      expect(state.body).to.deep.include({ open: true });
    });
  });
});
