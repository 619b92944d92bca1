/**
 * Settings of the station's PostgreSQL sessions, whichever connection of the pool a statement lands on.
 */
import { expect } from "chai";
import { openDatabase } from "../../src/store/db.ts";
import { skipUnlessPostgres, TEST_DATABASE_URL } from "../support/db.ts";

describe("the PostgreSQL pool's sessions", function () {
  before(function () {
    skipUnlessPostgres(this);
  });

  it("run without JIT compilation, in a transaction or not", async () => {
    const db = await openDatabase({ url: TEST_DATABASE_URL, dataDir: "", poolSize: 2, connectTimeoutMs: 5000, statementTimeoutMs: 10_000 });
    try {
      const [outside] = await db.query<{ jit: string }>("SHOW jit");
      const inside = await db.transaction(async (tx) => (await tx.query<{ jit: string }>("SHOW jit"))[0]);
      expect([outside?.jit, inside?.jit]).to.deep.equal(["off", "off"]);
    } finally {
      await db.close();
    }
  });
});
