/**
 * Spontaneous payments (GPS's catalogue): a service names the data a citizen gives and how the
 * amount is priced; an EC enrolled in it receives the money. A demand (service, properties, debtor)
 * becomes a one-option position, payable at once. The rules JSON Schema cannot say live here, for
 * both doors (REST and paDemandPaymentNotice).
 */
import { createHash, randomInt } from "node:crypto";
import { errors } from "./errors.ts";
import { iuvWithCheckDigit, type NoticeScheme } from "./noticeNumber.ts";
import type { Debtor, PositionInput } from "./position.ts";
import { romeDate } from "./time.ts";

export interface ServiceProperty {
  name: string;
  type?: "STRING" | "NUMBER";
  required?: boolean;
}

/** Amounts keyed by one property's value; `default` for any other value (none: such a value is refused). */
export interface Tariff {
  property: string;
  values: Record<string, number>;
  default?: number;
}

export type ServiceStatus = "ENABLED" | "DISABLED";

/** A catalogue entry: exactly one price (amount, tariff, or the EC's pricing service at endpoint + basePath). */
export interface CatalogueService {
  id: string;
  name: string;
  description: string;
  transferCategory: string;
  status: ServiceStatus;
  endpoint?: string;
  basePath?: string;
  properties: ServiceProperty[];
  amount?: number;
  tariff?: Tariff;
  /** The notice is due this many days after the demand (end of that day, Europe/Rome). */
  dueInDays: number;
}

export interface Enrolment {
  serviceId: string;
  iban: string;
  postalIban?: string;
  /** Not in GPS's enrolment (GPS keeps it on the organization); without it the EC's fiscal code is shown. */
  companyName?: string;
  officeName?: string;
  segregationCode: string;
  remittanceInformation: string;
}

export interface PropertyValue {
  name: string;
  value?: string;
}

export interface Demand {
  serviceId: string;
  properties: readonly PropertyValue[];
  debtor: Debtor;
}

export const DEFAULT_DUE_IN_DAYS = 30;

/**
 * Where a property's problem is reported, as the door reads the demand: the given property at
 * `index` (its name or its value), or the whole list (index undefined: a property is missing).
 */
export type PropertyField = (index: number | undefined, part: "name" | "value") => string;

/** Asserts that a service has exactly one price and that its tariff is keyed by one of its properties. */
export function assertServicePricing(service: CatalogueService): void {
  const prices = [service.amount !== undefined, service.tariff !== undefined, service.endpoint !== undefined].filter(Boolean).length;
  if (prices !== 1) throw errors.ruleViolation("amount", "or tariff or endpoint: a service has exactly one price (a fixed amount, a tariff, or the EC's pricing service at endpoint)");
  if (service.basePath !== undefined && service.endpoint === undefined) throw errors.ruleViolation("basePath", "is allowed only with an endpoint");
  const names = new Set<string>();
  for (const [i, p] of service.properties.entries()) {
    if (names.has(p.name)) throw errors.ruleViolation(`properties[${i}].name`, `repeats the property ${p.name}`);
    names.add(p.name);
  }
  if (service.tariff && !names.has(service.tariff.property)) throw errors.ruleViolation("tariff.property", `names ${service.tariff.property}, which is not one of the service's properties`);
}

/** A decimal number as GPS's NUMBER properties carry it; linear (no overlapping quantifiers). */
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * The demand's property values by name, after the service's rules: each name once and declared by
 * the service, every required one present and not blank, NUMBER values numeric.
 */
export function checkedProperties(service: CatalogueService, given: readonly PropertyValue[], field: PropertyField): Map<string, string> {
  const declared = new Map(service.properties.map((p) => [p.name, p]));
  const values = new Map<string, string>();
  const seen = new Set<string>();
  for (const [i, { name, value }] of given.entries()) {
    const property = declared.get(name);
    if (!property) throw errors.ruleViolation(field(i, "name"), `is ${name}, not a property of service ${service.id} (it has ${[...declared.keys()].join(", ") || "none"})`);
    if (seen.has(name)) throw errors.ruleViolation(field(i, "name"), `repeats the property ${name}`);
    seen.add(name);
    const text = value?.trim() ?? "";
    if (text === "") continue;
    if (property.type === "NUMBER" && !NUMBER.test(text)) throw errors.ruleViolation(field(i, "value"), `of ${name} must be a number, got "${text.slice(0, 40)}"`);
    values.set(name, text);
  }
  for (const p of service.properties) {
    if (p.required && !values.has(p.name)) throw errors.ruleViolation(field(undefined, "name"), `must include ${p.name} (not blank), required by service ${service.id}`);
  }
  return values;
}

/** The amount of a fixed or tariff price, or undefined when the EC's pricing service decides it. */
export function listedPrice(service: CatalogueService, given: readonly PropertyValue[], values: ReadonlyMap<string, string>, field: PropertyField): number | undefined {
  if (service.amount !== undefined) return service.amount;
  if (!service.tariff) return undefined;
  const { property, values: amounts, default: fallback } = service.tariff;
  const key = values.get(property);
  const amount = key !== undefined && Object.hasOwn(amounts, key) ? amounts[key] : fallback;
  if (amount === undefined) {
    const index = given.findIndex((p) => p.name === property);
    throw errors.ruleViolation(field(index < 0 ? undefined : index, "value"), `has no tariff for ${property} "${key ?? ""}" in service ${service.id}`);
  }
  return amount;
}

/** What identifies a demand: the same service, properties and debtor give the same key, in any property order. */
export function demandKey(serviceId: string, values: ReadonlyMap<string, string>, debtor: Debtor): string {
  const properties = [...values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const who = [debtor.type, debtor.fiscalCode.toUpperCase(), debtor.fullName];
  return createHash("sha256").update(JSON.stringify([serviceId, properties, who])).digest("hex");
}

/** IUV digits before the check digit, by aux digit (the segregation code is the first two). */
const IUV_BASE_LENGTH: Record<NoticeScheme["auxDigit"], number> = { "0": 13, "1": 17, "2": 15, "3": 15 };

/** A fresh IUV for an enrolment: its segregation code, then random digits, then the check digit. */
export function spontaneousIuv(segregationCode: string, scheme: NoticeScheme): string {
  let digits = segregationCode;
  while (digits.length < IUV_BASE_LENGTH[scheme.auxDigit]) digits += String(randomInt(10));
  return iuvWithCheckDigit(digits, scheme);
}

/** The one-option position a demand creates, in the shape the positions service takes. */
export function spontaneousPosition(ec: string, service: CatalogueService, enrolment: Enrolment, debtor: Debtor, amount: number, iuv: string, now: Date): PositionInput {
  const dueDate = romeDate(new Date(now.getTime() + service.dueInDays * 86_400_000));
  return {
    ...debtor,
    iupd: `SPONT-${service.id}-${iuv}`,
    companyName: enrolment.companyName ?? ec,
    officeName: enrolment.officeName,
    switchToExpired: true,
    paymentOption: [
      {
        iuv,
        amount,
        description: service.name,
        isPartialPayment: false,
        dueDate,
        transfer: [
          {
            idTransfer: "1",
            amount,
            remittanceInformation: enrolment.remittanceInformation,
            category: service.transferCategory,
            iban: enrolment.iban,
            postalIban: enrolment.postalIban,
          },
        ],
      },
    ],
  };
}
