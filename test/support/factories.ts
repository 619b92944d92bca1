/** Valid inputs with unique identifiers, overridable per test. */
import { iuvWithCheckDigit, navOfIuv } from "../../src/domain/noticeNumber.ts";
import type { PaymentOptionInput, PositionInput, TransferInput } from "../../src/domain/position.ts";
import { EC } from "./app.ts";

const scheme = { auxDigit: "3" as const, segregationCodes: [] };
let counter = 0;

/** A fresh IUV (segregation code 02 unless told, valid check digit) and its NAV under aux digit 3. */
export function nextNotice(segregationCode = "02"): { iuv: string; nav: string } {
  counter += 1;
  const iuv = iuvWithCheckDigit(`${segregationCode}${String(Date.now() % 1e7).padStart(7, "0")}${String(counter).padStart(6, "0")}`, scheme);
  return { iuv, nav: navOfIuv(iuv, scheme) };
}

export function makeTransfer(overrides: Partial<TransferInput> = {}): TransferInput {
  return {
    idTransfer: "1",
    amount: 10000,
    organizationFiscalCode: EC,
    remittanceInformation: "Tassa rifiuti 2026",
    category: "0101100IM",
    iban: "IT60X0542811101000000123456",
    ...overrides,
  };
}

export function makeOption(overrides: Partial<PaymentOptionInput> = {}): PaymentOptionInput {
  const { iuv } = nextNotice();
  const amount = overrides.amount ?? 10000;
  return {
    iuv,
    amount,
    description: "Tassa rifiuti rata unica",
    isPartialPayment: false,
    dueDate: "2099-12-31T23:59:59+01:00",
    transfer: [makeTransfer({ amount })],
    ...overrides,
  };
}

export function makePosition(overrides: Partial<PositionInput> = {}): PositionInput {
  counter += 1;
  return {
    iupd: `IUPD-${Date.now()}-${counter}`,
    type: "F",
    fiscalCode: "RSSMRA80A01H501U",
    fullName: "Mario Rossi",
    city: "Roma",
    country: "IT",
    email: "mario.rossi@example.org",
    companyName: "Comune di Esempio",
    officeName: "Ufficio Tributi",
    switchToExpired: false,
    paymentOption: [makeOption()],
    ...overrides,
  };
}

/** A plan: one single payment of `total` and `count` installments that add up to it. */
export function makePlan(total: number, count: number, overrides: Partial<PositionInput> = {}): PositionInput {
  const share = Math.floor(total / count);
  const installments = Array.from({ length: count }, (_, i) => {
    const amount = i === count - 1 ? total - share * (count - 1) : share;
    return makeOption({ amount, isPartialPayment: true, description: `Rata ${i + 1} di ${count}`, dueDate: `2099-0${i + 1}-28T12:00:00Z` });
  });
  return makePosition({ paymentOption: [makeOption({ amount: total }), ...installments], ...overrides });
}
