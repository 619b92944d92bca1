/**
 * A made-up debt position (a single payment and a plan of 3 installments) for the README's example
 * notice and the notice benchmark: no database involved.
 */
import { iuvWithCheckDigit, navOfIuv } from "../domain/noticeNumber.ts";
import type { StoredOption, StoredPosition } from "../domain/stored.ts";

const EC = "77777777777";
const scheme = { auxDigit: "3" as const, segregationCodes: [] };

function option(base: string, amount: number, description: string, isPartialPayment: boolean, dueDate: string): StoredOption {
  const iuv = iuvWithCheckDigit(base, scheme);
  const at = "2026-03-02T09:00:00Z";
  return {
    nav: navOfIuv(iuv, scheme),
    iuv,
    organizationFiscalCode: EC,
    amount,
    description,
    isPartialPayment,
    dueDate,
    fee: 0,
    notificationFee: 0,
    status: "PO_UNPAID",
    insertedDate: at,
    lastUpdatedDate: at,
    metadata: [],
    transfers: [],
  };
}

export const examplePosition: StoredPosition = {
  organizationFiscalCode: EC,
  iupd: "TARI-2026-000123",
  debtor: { type: "F", fiscalCode: "RSSMRA80A01H501U", fullName: "Mario Rossi", streetName: "Via Roma", civicNumber: "1", postalCode: "00100", city: "Roma", province: "RM", country: "IT" },
  companyName: "Comune di Esempio",
  officeName: "Ufficio Tributi",
  switchToExpired: false,
  payStandIn: true,
  status: "VALID",
  insertedDate: "2026-03-02T09:00:00Z",
  lastUpdatedDate: "2026-03-02T09:00:00Z",
  version: 1,
  options: [
    option("020000000012345", 36000, "TARI 2026 - Tassa sui rifiuti, rata unica", false, "2026-05-31T21:59:59Z"),
    option("020000000012346", 12000, "TARI 2026 - Tassa sui rifiuti, rata 1 di 3", true, "2026-05-31T21:59:59Z"),
    option("020000000012347", 12000, "TARI 2026 - Tassa sui rifiuti, rata 2 di 3", true, "2026-07-31T21:59:59Z"),
    option("020000000012348", 12000, "TARI 2026 - Tassa sui rifiuti, rata 3 di 3", true, "2026-09-30T21:59:59Z"),
  ],
};
