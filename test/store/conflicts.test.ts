/**
 * Conflicts between transactions (deadlock, serialization failure) are retried by the store, and one
 * that persists is answered "retry later": 503 on REST, PAA_SYSTEM_ERROR on SOAP, never an internal error.
 */
import { expect } from "chai";
import { isUnavailable, openDatabase } from "../../src/store/db.ts";
import { ADMIN_KEY, EC } from "../support/app.ts";
import { skipUnlessPostgres, TEST_DATABASE_URL } from "../support/db.ts";
import { makePosition } from "../support/factories.ts";
import { appOnFailingDatabase, expectFault, postSoap, receiptRequest } from "../support/soap.ts";
import { KEY_HEADER } from "../support/rest.ts";

const conflict = (code: string) => Object.assign(new Error(`conflict ${code}`), { code });

describe("conflicts between transactions", () => {
  for (const code of ["40P01", "40001"]) {
    it(`answers ${code} that persisted through its retries with 503 on REST and PAA_SYSTEM_ERROR on SOAP`, async () => {
      expect(isUnavailable(conflict(code))).to.equal(true);
      const t = appOnFailingDatabase(conflict(code));
      const res = await t.http.post(`/v1/organizations/${EC}/debtpositions`).set(KEY_HEADER, ADMIN_KEY).send(makePosition());
      expect(res.status).to.equal(503);
      expect(res.headers["retry-after"]).to.equal("5");
      const r = await postSoap(t, receiptRequest({ receiptId: "r", nav: "302000000001234559", iuv: "02000000001234559", amount: "30.00", v2: true }), "paSendRTV2");
      expectFault(r, "PAA_SYSTEM_ERROR");
    });
  }

  describe("on PostgreSQL", function () {
    before(function () {
      skipUnlessPostgres(this, "the retry wraps the pg pool");
    });

    const open = () => openDatabase({ url: TEST_DATABASE_URL, dataDir: "", poolSize: 2, connectTimeoutMs: 5000, statementTimeoutMs: 10_000 });

    it("runs a transaction again after a conflict, and gives up after five attempts", async () => {
      const db = await open();
      try {
        let calls = 0;
        const result = await db.transaction(async (tx) => {
          calls += 1;
          if (calls === 1) throw conflict("40P01");
          return (await tx.query<{ n: number }>("SELECT 1 AS n"))[0]!.n;
        });
        expect([result, calls]).to.deep.equal([1, 2]);
        calls = 0;
        const error = await db.transaction(async () => {
          calls += 1;
          throw conflict("40001");
        }).catch((e: unknown) => e);
        expect([(error as { code: string }).code, calls]).to.deep.equal(["40001", 5]);
        calls = 0;
        await db.transaction(async () => {
          calls += 1;
          throw new Error("not a conflict");
        }).catch(() => undefined);
        expect(calls, "other errors are not retried").to.equal(1);
      } finally {
        await db.close();
      }
    });

    it("runs again a transaction that PostgreSQL rolled back to break a real deadlock", async () => {
      const db = await open();
      try {
        await db.query("DROP TABLE IF EXISTS deadlock_probe");
        await db.query("CREATE TABLE deadlock_probe (id int PRIMARY KEY, n int NOT NULL DEFAULT 0)");
        await db.query("INSERT INTO deadlock_probe (id) VALUES (1), (2)");
        // two transactions updating the same two rows in opposite orders: PostgreSQL breaks the cycle, the store retries
        const swap = (first: number, second: number) =>
          db.transaction(async (tx) => {
            await tx.query("UPDATE deadlock_probe SET n = n + 1 WHERE id = $1", [first]);
            await tx.query("SELECT pg_sleep(0.2)");
            await tx.query("UPDATE deadlock_probe SET n = n + 1 WHERE id = $1", [second]);
          });
        await Promise.all([swap(1, 2), swap(2, 1)]);
        expect(await db.query("SELECT id, n FROM deadlock_probe ORDER BY id")).to.deep.equal([{ id: 1, n: 2 }, { id: 2, n: 2 }]);
      } finally {
        await db.query("DROP TABLE IF EXISTS deadlock_probe");
        await db.close();
      }
    });
  });
});
