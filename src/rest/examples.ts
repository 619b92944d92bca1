/**
 * Request bodies the OpenAPI document shows, by schema id: what Swagger UI's "Try it out" starts from.
 * Each is valid against its schema and accepted as it is by a station with the default notice settings
 * (aux digit 3, check digits on, no segregation codes) for any EC it serves (the transfers' beneficiary is
 * the position's EC), so a first try succeeds; a second create of the same body is a duplicate (409):
 * change the IUPD and the IUVs.
 */
import type { SchemaId } from "./validate.ts";

/** Due dates in next year, so the examples stay payable as years go by. */
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const JUNE_END = `${NEXT_YEAR}-06-30T23:59:59+02:00`;
const YEAR_END = `${NEXT_YEAR}-12-31T23:59:59+01:00`;

const transfer = (idTransfer: string, amount: number, remittanceInformation: string) => ({
  idTransfer,
  amount,
  remittanceInformation,
  category: "9/0101100IM/",
  iban: "IT60X0542811101000000123456",
});

const debtor = {
  type: "F",
  fiscalCode: "RSSMRA80A01H501U",
  fullName: "Mario Rossi",
  streetName: "Via Roma",
  civicNumber: "1",
  postalCode: "00100",
  city: "Roma",
  province: "RM",
  country: "IT",
  email: "mario.rossi@example.org",
};

/** A v1 position: one single payment of 150 € due at the end of next year. */
const positionV1 = {
  iupd: "TARI-EXAMPLE-0001",
  ...debtor,
  companyName: "Comune di Esempio",
  officeName: "Ufficio Tributi",
  switchToExpired: false,
  paymentOption: [
    {
      iuv: "01202600000000103",
      amount: 15000,
      description: "TARI - Tassa sui rifiuti",
      isPartialPayment: false,
      dueDate: YEAR_END,
      transfer: [transfer("1", 15000, "TARI")],
    },
  ],
};

export const requestExamples: Partial<Record<SchemaId, unknown>> = {
  "position-create": positionV1,
  "positions-bulk": {
    paymentPositions: [
      { ...positionV1, iupd: "TARI-EXAMPLE-0002", paymentOption: [{ ...positionV1.paymentOption[0]!, iuv: "01202600000000204" }] },
    ],
  },
  // v3: a single payment of 150 € or two installments of 75 €, each a payment option of the debtor
  "position-create-v3": {
    iupd: "TARI-EXAMPLE-0003",
    companyName: "Comune di Esempio",
    officeName: "Ufficio Tributi",
    paymentOption: [
      {
        description: "Rata unica",
        switchToExpired: false,
        debtor,
        installments: [{ iuv: "01202600000000305", amount: 15000, description: "TARI - rata unica", dueDate: JUNE_END, transfer: [transfer("1", 15000, "TARI")] }],
      },
      {
        description: "Due rate",
        switchToExpired: false,
        debtor,
        installments: [
          { iuv: "01202600000000406", amount: 7500, description: "TARI - rata 1 di 2", dueDate: JUNE_END, transfer: [transfer("1", 7500, "TARI rata 1")] },
          { iuv: "01202600000000507", amount: 7500, description: "TARI - rata 2 di 2", dueDate: YEAR_END, transfer: [transfer("1", 7500, "TARI rata 2")] },
        ],
      },
    ],
  },
  "webhook-put": { url: "https://backoffice.example.org/stazione/events", secret: "change-me-to-a-long-random-secret" },
  "scenario-create": { pattern: "30298*", behaviour: "delay", delayMs: 8000, ttlSeconds: 600 },
};
