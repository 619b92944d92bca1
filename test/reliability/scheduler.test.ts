/** The scheduler inside the running station: started with it, turns a position VALID at its validity date, stopped by SIGTERM. */
import { expect } from "chai";
import { ADMIN_KEY, EC } from "../support/app.ts";
import { resetDatabase, skipUnlessPostgres, TEST_DATABASE_URL, testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { rest } from "./client.ts";
import { startInstance, stopInstance, type Instance } from "./processes.ts";

describe("the lifecycle scheduler in a running station (PostgreSQL)", function () {
  this.timeout(60_000);
  let app: Instance | undefined;

  before(async function () {
    skipUnlessPostgres(this, "the test shares the database with a started station");
    await testDatabase();
    await resetDatabase();
    app = await startInstance(TEST_DATABASE_URL!, { SCHEDULER_INTERVAL_MS: "200" });
  });

  after(async () => {
    if (app) await stopInstance(app, "SIGKILL");
  });

  it("stores VALID at the validity date with its event, and stops with the station", async () => {
    const position = { ...makePosition(), validityDate: new Date(Date.now() + 2_000).toISOString() };
    expect((await rest(app!, "POST", `/v1/organizations/${EC}/debtpositions?toPublish=true`, ADMIN_KEY, position)).status).to.equal(201);
    const db = await testDatabase();
    const stored = async () =>
      (await db.query<{ status: string; events: string[] }>(
        `SELECT p.status, ARRAY(SELECT event_type FROM outbox o WHERE o.position_id = p.id ORDER BY o.sequence) AS events
           FROM payment_position p WHERE p.iupd = $1`,
        [position.iupd],
      ))[0]!;
    expect(await stored()).to.deep.equal({ status: "PUBLISHED", events: ["CREATED"] });
    const until = Date.now() + 20_000;
    while ((await stored()).status !== "VALID" && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await stored()).to.deep.equal({ status: "VALID", events: ["CREATED", "VALID"] });
    expect(await stopInstance(app!), "a clean stop with the scheduler running").to.equal(0);
  });
});
