import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { DEMO_SERVICES, loadDemo } from "../../demo/catalogue.ts";
import { main as cli } from "../../src/cli/main.ts";
import { ADMIN_KEY, EC, EC_KEY, startApp } from "../support/app.ts";
import { api } from "../support/rest.ts";

describe("npm run demo and stazione demo", () => {
  it("loads the demo catalogue and enrolment into a running station, again without error, and a demand works", async () => {
    const t = await startApp();
    const server = t.app.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const target = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, adminKey: ADMIN_KEY, ec: EC };
      expect(await loadDemo(target)).to.deep.equal(DEMO_SERVICES.map((s) => s.id));
      await loadDemo(target);
      expect((await api(t, EC_KEY).get(`/v1/organizations/${EC}/services`)).body).to.have.length(DEMO_SERVICES.length);
      const out: string[] = [];
      const io = { env: {}, stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => out.push(text) } };
      expect(await cli(["demo", "--url", target.url, "--key", ADMIN_KEY, "--ec", EC], io as never), out.join("")).to.equal(0);
      expect(out.join("")).to.include(`Loaded services ${DEMO_SERVICES.map((s) => s.id).join(", ")} and enrolled ${EC}`);
      const res = await api(t, EC_KEY).post(`/v1/organizations/${EC}/spontaneouspayments`, {
        service: { id: "PASSO", properties: [{ name: "indirizzo", value: "Via Roma 1" }, { name: "metri", value: "4" }] },
        debtor: { type: "F", fiscalCode: "RSSMRA80A01H501U", fullName: "Mario Rossi" },
      });
      expect(res.status, res.text).to.equal(201);
      expect(res.body.paymentOption[0].amount).to.equal(6000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
