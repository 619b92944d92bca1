/**
 * Positions in a chosen state for the direct tests of the payment functions: loaded through the
 * position service (as REST loads them), then moved by SQL where time or payments would move them.
 */
import type { PositionInput } from "../../src/domain/position.ts";
import { createPositionService } from "../../src/services/positions.ts";
import { EC } from "../support/app.ts";
import { expireNotice, testDatabase } from "../support/db.ts";
import { makeOption, makePlan, makePosition, makeTransfer } from "../support/factories.ts";

export type PositionState = "draft" | "publishedNotYetValid" | "valid" | "expired" | "invalid";

export interface Seeded {
  iupd: string;
  positionId: number;
  /** Notice numbers and option ids in the order given: a plan's single payment first, then its installments. */
  options: Array<{ nav: string; id: number; amount: number; plan: number }>;
}

const STAMP = { hashDocument: "wHpFSLCGZjIvNSXxqtGbxg7275t446DRTk5ZrsdUQ6E=", stampType: "01", provincialResidence: "RM" };

export const shapes = {
  single: () => makePosition(),
  /** One single payment of 300.00 and two installments. */
  plan: () => makePlan(30000, 2),
  /** One option with an @e.bollo transfer beside the ordinary one. */
  stamp: () =>
    makePosition({
      paymentOption: [
        makeOption({
          amount: 11600,
          transfer: [
            makeTransfer({ amount: 10000 }),
            makeTransfer({ idTransfer: "2", amount: 1600, iban: undefined, stamp: STAMP, remittanceInformation: "Marca da bollo digitale", category: "0115103TS" }),
          ],
        }),
      ],
    }),
};

export async function seed(state: PositionState, input: PositionInput = makePosition()): Promise<Seeded> {
  const db = await testDatabase();
  const service = createPositionService({ db, scheme: { auxDigit: "3", segregationCodes: [] } });
  const toLoad = state === "publishedNotYetValid" ? { ...input, validityDate: "2098-01-01T00:00:00Z" } : state === "expired" ? { ...input, switchToExpired: true } : input;
  const created = await service.create(EC, toLoad, state !== "draft");
  const [{ id: positionId }] = (await db.query<{ id: number }>("SELECT id FROM payment_position WHERE organization_fiscal_code = $1 AND iupd = $2", [EC, input.iupd])) as [{ id: number }];
  const ids = await db.query<{ id: number; nav: string; plan: number }>("SELECT id, nav, payment_plan_id AS plan FROM payment_option WHERE payment_position_id = $1", [positionId]);
  const options = created.options.map((o) => {
    const row = ids.find((r) => r.nav === o.nav)!;
    return { nav: o.nav, amount: o.amount, id: row.id, plan: row.plan };
  });
  if (state === "expired") for (const o of options) await expireNotice(EC, o.nav, input.iupd);
  if (state === "invalid") await db.query("UPDATE payment_position SET status = 'INVALID' WHERE id = $1", [positionId]);
  return { iupd: input.iupd, positionId, options };
}
