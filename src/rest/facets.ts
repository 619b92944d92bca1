/** JSON Schema pieces shared by GPD's and GPS's schemas. */
export const text = (max: number) => ({ type: "string", minLength: 1, maxLength: max }) as const;
export const CENTS = { type: "integer", minimum: 1, maximum: 99_999_999_999, description: "euro cents" } as const;
export const IBAN = { type: "string", pattern: "^[A-Za-z0-9]{1,35}$" } as const;

/** The debtor's fields, as GPD's position and GPS's spontaneous payment both carry them. */
export const debtorProperties = {
  type: { type: "string", enum: ["F", "G"], description: "debtor: F natural person, G legal person" },
  fiscalCode: { type: "string", minLength: 2, maxLength: 16 },
  fullName: text(70),
  streetName: text(70),
  civicNumber: text(16),
  postalCode: text(16),
  city: text(35),
  province: text(35),
  region: text(35),
  country: { type: "string", pattern: "^[A-Z]{2}$" },
  email: { type: "string", maxLength: 256, pattern: "^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+(\\.[a-zA-Z0-9-]+)*$" },
  phone: text(35),
} as const;
