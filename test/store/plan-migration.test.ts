/**
 * The migration that groups options into plans, run on data written by the schema before it: in a
 * schema of its own inside one transaction, rolled back at the end.
 */
import { expect } from "chai";
import type { Knex } from "knex";
import { migrationSource } from "../../migrations/index.ts";
import type { Sql } from "../../src/store/db.ts";
import { testDatabase } from "../support/db.ts";

const PLANS = "20261202T0305_group_options_in_plans";

class RolledBack extends Error {}

/** Runs the migrations from..to (indexes in the list, `to` excluded) on the transaction's schema. */
async function runMigrations(tx: Sql, from: number, to: number): Promise<void> {
  const names = await migrationSource.getMigrations([]);
  const knex = { raw: (text: string) => tx.query(text) } as unknown as Knex;
  for (const name of names.slice(from, to)) await (await migrationSource.getMigration(name)).up(knex);
}

async function option(tx: Sql, position: number, nav: string, partial: boolean, retention: string | null): Promise<void> {
  await tx.query(
    `INSERT INTO payment_option (payment_position_id, organization_fiscal_code, iuv, nav, amount, description, is_partial_payment, due_date, retention_date)
     VALUES ($1, '77777777777', $2, $2, 100, 'd', $3, '2030-01-01T00:00:00Z', $4)`,
    [position, nav, partial, retention],
  );
}

describe("migration: options grouped into plans", () => {
  it("makes each single payment a plan and a position's installments one plan, with the position's debtor and dates", async () => {
    const db = await testDatabase();
    let plans: Array<Record<string, unknown>> = [];
    await db
      .transaction(async (tx) => {
        await tx.query("CREATE SCHEMA plan_migration_test");
        await tx.query("SET LOCAL search_path TO plan_migration_test");
        const plansAt = (await migrationSource.getMigrations([])).indexOf(PLANS);
        await runMigrations(tx, 0, plansAt);
        const [a, b] = await tx.query<{ id: number }>(
          `INSERT INTO payment_position (organization_fiscal_code, iupd, type, fiscal_code, full_name, company_name, validity_date, max_due_date, switch_to_expired, status)
           VALUES ('77777777777', 'A', 'F', 'RSSMRA80A01H501U', 'Mario Rossi', 'EC', '2029-01-01T00:00:00Z', '2030-01-01T00:00:00Z', true, 'VALID'),
                  ('77777777777', 'B', 'G', '12345678901', 'ACME', 'EC', NULL, '2030-01-01T00:00:00Z', false, 'DRAFT')
           RETURNING id`,
        );
        await option(tx, a!.id, "300000000000000001", false, "2031-01-01T00:00:00Z");
        await option(tx, a!.id, "300000000000000002", true, "2031-02-01T00:00:00Z");
        await option(tx, a!.id, "300000000000000003", true, "2031-03-01T00:00:00Z");
        await option(tx, b!.id, "300000000000000004", false, null);
        await option(tx, b!.id, "300000000000000005", false, null);
        await runMigrations(tx, plansAt, plansAt + 1);
        plans = await tx.query(
          `SELECT p.iupd, pl.ord, pl.debtor, pl.validity_date AS "validityDate", pl.retention_date AS "retentionDate",
                  pl.switch_to_expired AS "switchToExpired", array_agg(o.nav ORDER BY o.id) AS navs
             FROM payment_plan pl JOIN payment_position p ON p.id = pl.payment_position_id JOIN payment_option o ON o.payment_plan_id = pl.id
            GROUP BY p.iupd, pl.id ORDER BY p.iupd, pl.ord`,
        );
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    const debtorA = { type: "F", fiscalCode: "RSSMRA80A01H501U", fullName: "Mario Rossi" };
    expect(plans.map((p) => ({ ...p, validityDate: p.validityDate && new Date(p.validityDate as string).toISOString(), retentionDate: p.retentionDate && new Date(p.retentionDate as string).toISOString() }))).to.deep.equal([
      { iupd: "A", ord: 0, debtor: debtorA, validityDate: "2029-01-01T00:00:00.000Z", retentionDate: "2031-01-01T00:00:00.000Z", switchToExpired: true, navs: ["300000000000000001"] },
      { iupd: "A", ord: 1, debtor: debtorA, validityDate: "2029-01-01T00:00:00.000Z", retentionDate: "2031-03-01T00:00:00.000Z", switchToExpired: true, navs: ["300000000000000002", "300000000000000003"] },
      { iupd: "B", ord: 0, debtor: { type: "G", fiscalCode: "12345678901", fullName: "ACME" }, validityDate: null, retentionDate: null, switchToExpired: false, navs: ["300000000000000004"] },
      { iupd: "B", ord: 1, debtor: { type: "G", fiscalCode: "12345678901", fullName: "ACME" }, validityDate: null, retentionDate: null, switchToExpired: false, navs: ["300000000000000005"] },
    ]);
  });
});
