/**
 * The database goes away under load and comes back: SOAP answers KO PAA_SYSTEM_ERROR well within the
 * Node's 7 s, REST answers 503, /ready says not ready, and the app recovers without a restart.
 * Runs its own disposable PostgreSQL cluster (initdb + pg_ctl on a free loopback port).
 */
import { expect } from "chai";
import { ADMIN_KEY, EC } from "../support/app.ts";
import { onPostgres } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { verifyRequest } from "../support/soap.ts";
import { rest, soap, type Answer } from "./client.ts";
import { postgresBinariesAvailable, startCluster, startInstance, stopInstance, type Cluster, type Instance } from "./processes.ts";

/** The Node waits 7 s for verify and activation; we must answer well before. */
const NODE_TIMEOUT_MS = 7000;

describe("a database outage under load (PostgreSQL)", function () {
  this.timeout(180_000);
  let cluster: Cluster | undefined;
  let app: Instance | undefined;

  before(async function () {
    if (!onPostgres || !postgresBinariesAvailable()) {
      console.log("      skipped: needs the PostgreSQL server binaries (/usr/lib/postgresql) and TEST_DATABASE_URL");
      this.skip();
    }
    cluster = await startCluster();
    app = await startInstance(cluster.url, { DB_CONNECT_TIMEOUT_MS: "1000", DB_STATEMENT_TIMEOUT_MS: "2000" });
  });

  after(async () => {
    if (app) await stopInstance(app, "SIGKILL");
    cluster?.destroy();
  });

  it("answers KO PAA_SYSTEM_ERROR fast, 503 on REST and /ready, then recovers without a restart", async () => {
    const position = makePosition();
    expect((await rest(app!, "POST", `/v1/organizations/${EC}/debtpositions?toPublish=true`, ADMIN_KEY, position)).status).to.equal(201);
    const nav = `3${position.paymentOption[0]!.iuv}`;
    expect((await soap(app!, "paVerifyPaymentNotice", verifyRequest(nav))).outcome).to.equal("OK");

    // load: 8 clients verifying in a loop while the database stops and starts again
    const answers: Answer[] = [];
    let running = true;
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (running) answers.push(await soap(app!, "paVerifyPaymentNotice", verifyRequest(nav), 15_000));
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    cluster!.stop("immediate");
    await new Promise((r) => setTimeout(r, 3000));

    const during = answers.length;
    const ready = await fetch(`${app!.url}/ready`);
    expect(ready.status).to.equal(503);
    const listed = await rest(app!, "GET", `/v1/organizations/${EC}/debtpositions`, ADMIN_KEY);
    expect(listed.status).to.equal(503);
    expect(listed.body.code).to.equal("unavailable");

    cluster!.start();
    const until = Date.now() + 20_000;
    let recovered = false;
    while (!recovered && Date.now() < until) {
      recovered = (await fetch(`${app!.url}/ready`)).ok && (await soap(app!, "paVerifyPaymentNotice", verifyRequest(nav))).outcome === "OK";
      if (!recovered) await new Promise((r) => setTimeout(r, 250));
    }
    running = false;
    await load;

    expect(recovered, "recovered without a restart").to.equal(true);
    expect(during, "answers kept coming while the database was down").to.be.greaterThan(8);
    const failures = answers.filter((x) => x.outcome !== "OK");
    expect(failures.length, "some answers saw the outage").to.be.greaterThan(0);
    const slowest = Math.max(...answers.map((x) => x.ms));
    console.log(`      figures: ${answers.length} verify requests under load, database stopped for 3 s, ${failures.length} answered KO PAA_SYSTEM_ERROR, slowest answer ${slowest} ms, recovered without a restart`);
    for (const x of answers) {
      expect(x.status, x.body).to.equal(200);
      expect(x.ms, "answered before the Node's timeout").to.be.below(NODE_TIMEOUT_MS);
      if (x.outcome === "KO") expect(x.faultCode, x.body).to.equal("PAA_SYSTEM_ERROR");
    }
  });
});
