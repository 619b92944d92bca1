/**
 * Deterministic benchmark data: position i has notice number navOf(i) and 1–5 transfers.
 * The wrk script derives the same notice numbers from the same index (see wrk/paForNode.lua).
 */
import { iuvWithCheckDigit, navOfIuv } from "../src/domain/noticeNumber.ts";
import type { PositionInput } from "../src/domain/position.ts";

export const BENCH_EC = "77777777777";
const scheme = { auxDigit: "3" as const, segregationCodes: [] };

export const iuvOf = (i: number) => iuvWithCheckDigit(`02${String(i).padStart(13, "0")}`, scheme);
export const navOf = (i: number) => navOfIuv(iuvOf(i), scheme);
export const transfersOf = (i: number) => (i % 5) + 1;

export function benchPosition(i: number): PositionInput {
  const transfers = transfersOf(i);
  const each = 1000 + (i % 7) * 100;
  return {
    iupd: `BENCH-${i}`,
    type: "F",
    fiscalCode: "RSSMRA80A01H501U",
    fullName: `Contribuente ${i}`,
    city: "Roma",
    country: "IT",
    companyName: "Comune di Esempio",
    officeName: "Ufficio Tributi",
    switchToExpired: false,
    paymentOption: [
      {
        iuv: iuvOf(i),
        amount: each * transfers,
        description: `Tassa rifiuti 2026 n. ${i}`,
        isPartialPayment: false,
        dueDate: "2099-12-31T23:59:59+01:00",
        transfer: Array.from({ length: transfers }, (_, t) => ({
          idTransfer: String(t + 1),
          amount: each,
          organizationFiscalCode: BENCH_EC,
          remittanceInformation: `Quota ${t + 1}`,
          category: "0101100IM",
          iban: "IT60X0542811101000000123456",
        })),
      },
    ],
  };
}

/** Rows a position occupies: the position, its plan, its option and its transfers. */
export const rowsOf = (i: number) => 3 + transfersOf(i);
