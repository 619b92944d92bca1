import { copyFileSync, writeFileSync } from "node:fs";
import { Agent } from "node:https";
import path from "node:path";
import { connect } from "node:tls";
import { X509Certificate } from "node:crypto";
import { expect } from "chai";
import pino from "pino";
import { reloadCertificates } from "../../src/http/server.ts";
import { ADMIN_KEY, EC, EC_KEY } from "../support/app.ts";
import { testCertificates, type Pair } from "./certificates.ts";
import { call, loadNotice, paymentState, soapCalls, startHttpsStation, type CallOptions, type HttpsStation } from "./support.ts";

const certs = testCertificates();
const quiet = pino({ level: "silent" });
const tlsEnv = (extra: Record<string, string> = {}) => ({ TLS_CERT_FILE: certs.server.certFile, TLS_KEY_FILE: certs.server.keyFile, ...extra });
let receiptCounter = 0;
const nextReceiptId = () => `mtls-${Date.now()}-${++receiptCounter}`;

describe("HTTPS and the Node's client certificate", function () {
  this.timeout(30_000);
  let s: HttpsStation;
  afterEach(async () => {
    await s?.close();
  });
  const send = (o: CallOptions) => call(s, certs.serverCa.cert, o);

  /** A refused call: bare 403, closed connection, nothing stored, and one log line with the reason. */
  async function expectRefused(o: CallOptions, reason: string): Promise<void> {
    const before = await paymentState();
    const logged = s.logs.length;
    const res = await send(o);
    expect(res.status, res.text).to.equal(403);
    expect(res.text).to.equal("");
    expect(await paymentState()).to.deep.equal(before);
    const lines = s.logs.slice(logged).filter((line) => line.msg === "refused a call to the Node-facing surface");
    expect(lines, JSON.stringify(s.logs.slice(logged))).to.have.length(1);
    expect(lines[0]).to.include({ reason, address: "127.0.0.1" });
  }

  async function expectReceiptStored(client: Pair): Promise<void> {
    const notice = await loadNotice(s.http);
    const calls = soapCalls(notice, nextReceiptId());
    const verify = await send({ path: "/paForNode", ...calls.verify, client });
    expect(verify.status, verify.text).to.equal(200);
    expect(verify.text).to.include("<outcome>OK</outcome>");
    const receipt = await send({ path: "/paForNode", ...calls.receipt, client });
    expect(receipt.text).to.include("<outcome>OK</outcome>");
    expect(await paymentState()).to.deep.equal({ receipts: 1, paidOptions: 1 });
  }

  describe("client certificates chained to NODE_CLIENT_CA_FILE", () => {
    beforeEach(async () => {
      s = await startHttpsStation(tlsEnv({ NODE_CLIENT_CA_FILE: certs.nodeCa.certFile }));
    });

    it("lets the Node's CA-issued certificate verify and send a receipt, which is stored", async () => {
      await expectReceiptStored(certs.node);
    });

    it("refuses a receipt without a client certificate: bare 403, no receipt, option unpaid", async () => {
      const notice = await loadNotice(s.http);
      await expectRefused({ path: "/paForNode", ...soapCalls(notice, nextReceiptId()).receipt }, "no_client_certificate");
      expect(await paymentState()).to.deep.equal({ receipts: 0, paidOptions: 0 });
    });

    it("refuses a self-signed certificate and one issued by another CA, storing nothing", async () => {
      const notice = await loadNotice(s.http);
      await expectRefused({ path: "/paForNode", ...soapCalls(notice, nextReceiptId()).receipt, client: certs.stranger }, "certificate_not_verified");
      await expectRefused({ path: "/paForNode", ...soapCalls(notice, nextReceiptId()).receipt, client: certs.foreign }, "certificate_not_verified");
      expect(await paymentState()).to.deep.equal({ receipts: 0, paidOptions: 0 });
    });

    it("guards /payment-options/… too: only the Node reaches paVerifyPaymentOptions", async () => {
      await expectRefused({ path: `/payment-options/organizations/${EC}/notices/302000000000000001` }, "no_client_certificate");
      // past the guard, the route answers: without idPA, idBrokerPA and idStation, the contract's ODP-101
      const reached = await send({ path: `/payment-options/organizations/${EC}/notices/302000000000000001`, client: certs.node });
      expect(reached.status).to.equal(400);
      expect(reached.text).to.include("ODP-101");
    });

    it("serves REST with API keys, and /wsdl, /xsd, /docs, /health without a client certificate", async () => {
      expect((await send({ path: `/v1/organizations/${EC}/debtpositions`, headers: { "ocp-apim-subscription-key": EC_KEY } })).status).to.equal(200);
      expect((await send({ path: `/v1/organizations/${EC}/debtpositions` })).status).to.equal(401);
      for (const p of ["/wsdl", "/paForNode?wsdl", "/health", "/docs", "/openapi.json"]) expect((await send({ path: p })).status, p).to.equal(200);
      const wsdl = await send({ path: "/wsdl" });
      const xsd = /schemaLocation="[^"]*(\/xsd\/[^"]+)"/.exec(wsdl.text)?.[1];
      expect(xsd, wsdl.text).to.be.a("string");
      expect((await send({ path: xsd! })).status).to.equal(200);
    });

    it("counts refusals per reason for the admin key only", async () => {
      await send({ path: "/paForNode", method: "POST", body: "<x/>" });
      await send({ path: "/paForNode", method: "POST", body: "<x/>", client: certs.stranger });
      await send({ path: "/paForNode", method: "POST", body: "<x/>", client: certs.stranger });
      const res = await send({ path: "/admin/node-access", headers: { "ocp-apim-subscription-key": ADMIN_KEY } });
      expect(res.status).to.equal(200);
      expect(JSON.parse(res.text)).to.deep.equal({
        open: false,
        refusals: { address_not_allowed: 0, no_client_certificate: 1, certificate_not_verified: 2, fingerprint_not_pinned: 0 },
      });
      expect((await send({ path: "/admin/node-access", headers: { "ocp-apim-subscription-key": EC_KEY } })).status).to.equal(403);
      expect((await send({ path: "/admin/node-access" })).status).to.equal(401);
    });

    it("speaks TLS 1.2 and 1.3, and refuses older versions in the handshake", async () => {
      expect((await send({ path: "/health", maxVersion: "TLSv1.2" })).status).to.equal(200);
      expect((await send({ path: "/health", maxVersion: "TLSv1.3" })).status).to.equal(200);
      let failure: unknown;
      await send({ path: "/health", maxVersion: "TLSv1.1" }).catch((error: unknown) => (failure = error));
      expect(failure, "a TLS 1.1 client is refused").to.be.instanceOf(Error);
    });
  });

  describe("client certificates pinned by NODE_CLIENT_CERT_FINGERPRINTS", () => {
    beforeEach(async () => {
      // The two spellings operators copy: openssl's colon-separated upper case, and plain lower-case hex.
      const pins = `${certs.stranger.fingerprint}, ${certs.node.fingerprint.replaceAll(":", "").toLowerCase()}`;
      s = await startHttpsStation(tlsEnv({ NODE_CLIENT_CERT_FINGERPRINTS: pins }));
    });

    it("lets a pinned certificate through, self-signed or not", async () => {
      await expectReceiptStored(certs.stranger);
      expect((await send({ path: "/paForNode", ...soapCalls(await loadNotice(s.http), nextReceiptId()).verify, client: certs.node })).status).to.equal(200);
    });

    it("refuses a certificate that is not pinned, even from the Node's CA, and one without a certificate", async () => {
      const notice = await loadNotice(s.http);
      await expectRefused({ path: "/paForNode", ...soapCalls(notice, nextReceiptId()).receipt, client: certs.nodeSibling }, "fingerprint_not_pinned");
      await expectRefused({ path: "/paForNode", ...soapCalls(notice, nextReceiptId()).receipt }, "no_client_certificate");
    });
  });

  describe("both a CA and pins", () => {
    beforeEach(async () => {
      s = await startHttpsStation(tlsEnv({ NODE_CLIENT_CA_FILE: certs.nodeCa.certFile, NODE_CLIENT_CERT_FINGERPRINTS: `${certs.node.fingerprint},${certs.stranger.fingerprint}` }));
    });

    it("requires both: chained and pinned", async () => {
      await expectReceiptStored(certs.node);
      const notice = await loadNotice(s.http);
      await expectRefused({ path: "/paForNode", ...soapCalls(notice, nextReceiptId()).receipt, client: certs.nodeSibling }, "fingerprint_not_pinned");
      await expectRefused({ path: "/paForNode", ...soapCalls(notice, nextReceiptId()).receipt, client: certs.stranger }, "certificate_not_verified");
    });
  });

  describe("certificate reload", () => {
    let files: { certFile: string; keyFile: string };
    beforeEach(async () => {
      files = { certFile: path.join(certs.dir, "live.pem"), keyFile: path.join(certs.dir, "live.key") };
      copyFileSync(certs.server.certFile, files.certFile);
      copyFileSync(certs.server.keyFile, files.keyFile);
      s = await startHttpsStation({ TLS_CERT_FILE: files.certFile, TLS_KEY_FILE: files.keyFile });
    });

    /** The fingerprint of the certificate a new connection is served. */
    const servedFingerprint = () =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: "127.0.0.1", port: s.port, servername: "localhost", ca: certs.serverCa.cert }, () => {
          resolve(new X509Certificate(socket.getPeerX509Certificate()!.raw).fingerprint256);
          socket.end();
        });
        socket.on("error", reject);
      });

    it("serves a renewed certificate to new connections while an open connection carries on", async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        expect((await send({ path: "/health", agent })).status).to.equal(200);
        const sockets = () => Object.values(agent.freeSockets).flat().length;
        expect(sockets()).to.equal(1);
        expect(await servedFingerprint()).to.equal(certs.server.fingerprint);

        copyFileSync(certs.renewedServer.certFile, files.certFile);
        copyFileSync(certs.renewedServer.keyFile, files.keyFile);
        expect(reloadCertificates(s.server, s.config.nodeAccess, quiet)).to.equal(true);

        expect(await servedFingerprint()).to.equal(certs.renewedServer.fingerprint);
        expect((await send({ path: "/health", agent })).status).to.equal(200);
        expect(sockets(), "the keep-alive connection was reused, not dropped").to.equal(1);
      } finally {
        agent.destroy();
      }
    });

    it("keeps the previous certificate when the new files cannot be used", async () => {
      writeFileSync(files.certFile, "not a certificate");
      expect(reloadCertificates(s.server, s.config.nodeAccess, quiet)).to.equal(false);
      expect(await servedFingerprint()).to.equal(certs.server.fingerprint);
    });
  });
});
