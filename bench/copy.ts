/**
 * The bulk-load baseline: psql \copy of the same rows into empty copies of the three tables
 * (same indexes and constraints, ids given explicitly), timed end to end.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { benchPosition } from "./data.ts";

const csv = (values: unknown[]) =>
  values.map((v) => (v === undefined || v === null ? "" : `"${String(v).replace(/"/g, '""')}"`)).join(",");

export async function copyBaseline(databaseUrl: string, positions: number): Promise<{ rows: number; rowsPerSec: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "stazione-copy-"));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("DROP SCHEMA IF EXISTS bench_copy CASCADE");
    await client.query("CREATE SCHEMA bench_copy");
    for (const table of ["payment_position", "payment_plan", "payment_option", "transfer"]) {
      await client.query(`CREATE TABLE bench_copy.${table} (LIKE public.${table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`);
    }
    const positionLines: string[] = [];
    const planLines: string[] = [];
    const optionLines: string[] = [];
    const transferLines: string[] = [];
    let transferId = 0;
    for (let i = 0; i < positions; i++) {
      const p = benchPosition(i);
      const o = p.paymentOption[0]!;
      positionLines.push(csv([i + 1, "77777777777", p.iupd, p.type, p.fiscalCode, p.fullName, p.city, p.country, p.companyName, p.officeName, "2099-12-31T22:59:59Z", false, "VALID"]));
      planLines.push(csv([i + 1, i + 1, 0, JSON.stringify({ type: p.type, fiscalCode: p.fiscalCode, fullName: p.fullName, city: p.city, country: p.country })]));
      optionLines.push(csv([i + 1, i + 1, i + 1, "77777777777", o.iuv, `3${o.iuv}`, o.amount, o.description, false, "2099-12-31T22:59:59Z"]));
      for (const t of o.transfer) {
        transferId += 1;
        transferLines.push(csv([transferId, i + 1, t.idTransfer, t.organizationFiscalCode, t.amount, t.remittanceInformation, t.category, t.iban]));
      }
    }
    writeFileSync(path.join(dir, "positions.csv"), positionLines.join("\n"));
    writeFileSync(path.join(dir, "plans.csv"), planLines.join("\n"));
    writeFileSync(path.join(dir, "options.csv"), optionLines.join("\n"));
    writeFileSync(path.join(dir, "transfers.csv"), transferLines.join("\n"));
    const script = [
      `\\copy bench_copy.payment_position (id, organization_fiscal_code, iupd, type, fiscal_code, full_name, city, country, company_name, office_name, max_due_date, switch_to_expired, status) FROM '${dir}/positions.csv' CSV`,
      `\\copy bench_copy.payment_plan (id, payment_position_id, ord, debtor) FROM '${dir}/plans.csv' CSV`,
      `\\copy bench_copy.payment_option (id, payment_position_id, payment_plan_id, organization_fiscal_code, iuv, nav, amount, description, is_partial_payment, due_date) FROM '${dir}/options.csv' CSV`,
      `\\copy bench_copy.transfer (id, payment_option_id, id_transfer, organization_fiscal_code, amount, remittance_information, category, iban) FROM '${dir}/transfers.csv' CSV`,
    ].join("\n");
    writeFileSync(path.join(dir, "copy.sql"), script);
    const rows = positionLines.length + planLines.length + optionLines.length + transferLines.length;
    const started = process.hrtime.bigint();
    execFileSync("psql", ["-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-f", path.join(dir, "copy.sql")], { stdio: "inherit", timeout: 600_000 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { rows, rowsPerSec: Math.round(rows / seconds) };
  } finally {
    await client.query("DROP SCHEMA IF EXISTS bench_copy CASCADE").catch(() => undefined);
    await client.end();
    rmSync(dir, { recursive: true, force: true });
  }
}
