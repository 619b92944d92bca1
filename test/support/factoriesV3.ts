/** Valid GPD v3 inputs: payment options that are plans of installments, with their own debtors. */
import type { Debtor } from "../../src/domain/position.ts";
import type { InstallmentInputV3, PaymentOptionInputV3, PositionInputV3 } from "../../src/domain/positionV3.ts";
import { makeTransfer, nextNotice } from "./factories.ts";

export const DEBTOR: Debtor = { type: "F", fiscalCode: "RSSMRA80A01H501U", fullName: "Mario Rossi", city: "Roma", country: "IT" };
export const CO_OBLIGOR: Debtor = { type: "F", fiscalCode: "VRDLGU75B02F205X", fullName: "Luigi Verdi", email: "luigi.verdi@example.org" };

export function makeInstallment(overrides: Partial<InstallmentInputV3> = {}): InstallmentInputV3 {
  const { iuv } = nextNotice();
  const amount = overrides.amount ?? 10000;
  return { iuv, amount, description: "Tassa rifiuti", dueDate: "2099-12-31T23:59:59+01:00", transfer: [makeTransfer({ amount })], ...overrides };
}

/** A payment option of `count` installments adding up to `total` (one installment: a single payment). */
export function makeOptionV3(total: number, count: number, overrides: Partial<PaymentOptionInputV3> = {}): PaymentOptionInputV3 {
  const share = Math.floor(total / count);
  const installments = Array.from({ length: count }, (_, i) =>
    makeInstallment({
      amount: i === count - 1 ? total - share * (count - 1) : share,
      description: count === 1 ? "Rata unica" : `Rata ${i + 1} di ${count}`,
      dueDate: `2099-${String(i + 1).padStart(2, "0")}-28T12:00:00Z`,
    }),
  );
  return { switchToExpired: false, debtor: DEBTOR, installments, ...overrides };
}

let counter = 0;

/** A position with one option per entry of `counts` (installments each), all of `total` cents. */
export function makePositionV3(counts: readonly number[] = [1], overrides: Partial<PositionInputV3> = {}, total = 30000): PositionInputV3 {
  counter += 1;
  return {
    iupd: `IUPD-V3-${Date.now()}-${counter}`,
    companyName: "Comune di Esempio",
    officeName: "Ufficio Tributi",
    paymentOption: counts.map((count, k) => makeOptionV3(total, count, { description: count === 1 ? "Soluzione unica" : `Piano ${k} in ${count} rate` })),
    ...overrides,
  };
}
