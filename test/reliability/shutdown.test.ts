/** SIGTERM: in-flight requests finish, new connections are refused, the pool closes, exit code 0. */
import { expect } from "chai";
import { ADMIN_KEY, EC } from "../support/app.ts";
import { resetDatabase, skipUnlessPostgres, TEST_DATABASE_URL, testDatabase } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { rest } from "./client.ts";
import { startInstance, type Instance } from "./processes.ts";

describe("graceful shutdown on SIGTERM (PostgreSQL)", function () {
  this.timeout(120_000);
  let app: Instance | undefined;

  before(async function () {
    skipUnlessPostgres(this, "the test watches the pool close");
    await testDatabase();
    await resetDatabase();
    app = await startInstance(TEST_DATABASE_URL!);
  });

  after(() => {
    if (app && app.child.exitCode === null) app.child.kill("SIGKILL");
  });

  it("finishes the request in flight, refuses new ones, closes the pool and exits 0", async () => {
    const positions = Array.from({ length: 500 }, () => makePosition());
    const inFlight = rest(app!, "POST", `/v2/organizations/${EC}/debtpositions?toPublish=true`, ADMIN_KEY, { paymentPositions: positions });
    await new Promise((r) => setTimeout(r, 40));
    const stoppedAt = Date.now();
    app!.child.kill("SIGTERM");

    expect((await inFlight).status, "the request in flight completes").to.equal(201);
    expect(await app!.exited).to.equal(0);
    expect(Date.now() - stoppedAt, "exits once drained, not at the end of the grace period").to.be.below(10_000);
    let refused = false;
    try {
      await fetch(`${app!.url}/health`, { signal: AbortSignal.timeout(2000) });
    } catch {
      refused = true;
    }
    expect(refused, "new connections are refused").to.equal(true);

    const db = await testDatabase();
    const [{ count }] = (await db.query<{ count: number }>("SELECT count(*) AS count FROM payment_position")) as [{ count: number }];
    expect(count).to.equal(500);
    // backends notice a closed connection a moment after the client is gone
    let open = -1;
    for (let i = 0; i < 30 && open !== 0; i++) {
      [{ open }] = (await db.query<{ open: number }>("SELECT count(*) AS open FROM pg_stat_activity WHERE application_name = 'stazione' AND datname = current_database()")) as [{ open: number }];
      if (open !== 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(open, "connections left open by the stopped instance").to.equal(0);
  });
});
