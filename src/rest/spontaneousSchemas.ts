/**
 * JSON Schemas of the spontaneous-payments API, with GPS's field names (ServiceDetailModel,
 * EnrollmentModel, SpontaneousPaymentModel) plus the price (`amount` or `tariff`) and `dueInDays`.
 */
import { CENTS, debtorProperties, IBAN, text } from "./facets.ts";

const SERVICE_ID = { type: "string", pattern: "^[A-Za-z0-9]{5}$", description: "5 characters (paDemandPaymentNotice's idServizio)" } as const;
const STATUS = { type: "string", enum: ["ENABLED", "DISABLED"] } as const;
/** An XML element name, since paDemandPaymentNotice carries each property as an element. */
const PROPERTY_NAME = { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_.-]{0,34}$" } as const;

const serviceFields = {
  name: text(140),
  description: text(512),
  transferCategory: { ...text(140), description: "taxonomy code of the transfer" },
  status: STATUS,
  endpoint: { type: "string", pattern: "^https?://[^\\s]{1,500}$", description: "the EC's pricing service (POSTed the properties, answers {amount}); its price when there is no amount or tariff" },
  basePath: { type: "string", pattern: "^[^\\s]{0,500}$", description: "appended to endpoint" },
  properties: {
    type: "array",
    maxItems: 50,
    items: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: { name: PROPERTY_NAME, type: { type: "string", enum: ["STRING", "NUMBER"] }, required: { type: "boolean" } },
    },
  },
  amount: { ...CENTS, description: "fixed price in euro cents" },
  tariff: {
    type: "object",
    additionalProperties: false,
    required: ["property", "values"],
    description: "price by the value of one property; default for any other value",
    properties: {
      property: PROPERTY_NAME,
      values: { type: "object", maxProperties: 1000, additionalProperties: CENTS },
      default: CENTS,
    },
  },
  dueInDays: { type: "integer", minimum: 1, maximum: 366, description: "the notice is due this many days after the demand (default 30)" },
} as const;

export const serviceCreate = {
  $id: "service-create",
  type: "object",
  additionalProperties: false,
  required: ["id", "name", "description", "transferCategory", "status"],
  properties: { id: SERVICE_ID, ...serviceFields },
} as const;

export const serviceUpdate = {
  $id: "service-update",
  type: "object",
  additionalProperties: false,
  required: ["name", "description", "transferCategory", "status"],
  properties: { ...serviceFields, id: SERVICE_ID },
} as const;

export const serviceResponse = {
  $id: "service-response",
  type: "object",
  required: ["id", "name", "description", "transferCategory", "status", "properties", "dueInDays"],
  properties: { id: SERVICE_ID, ...serviceFields },
} as const;

export const servicesList = {
  $id: "services-list",
  type: "object",
  properties: { transferCategory: text(140), status: STATUS },
} as const;

const enrolmentFields = {
  serviceId: SERVICE_ID,
  iban: IBAN,
  postalIban: IBAN,
  officeName: text(140),
  companyName: { ...text(140), description: "shown on the notice; without it, the organization's fiscal code" },
  segregationCode: { type: "string", pattern: "^[0-9]{2}$", description: "first two digits of the IUVs of this service's notices" },
  remittanceInformation: text(140),
} as const;

export const enrolmentBody = {
  $id: "enrolment-body",
  type: "object",
  additionalProperties: false,
  required: ["iban", "segregationCode", "remittanceInformation"],
  properties: enrolmentFields,
} as const;

export const enrolmentResponse = {
  $id: "enrolment-response",
  type: "object",
  required: ["serviceId", "iban", "segregationCode", "remittanceInformation"],
  properties: enrolmentFields,
} as const;

/** GPS answers an enrolment's creation or replacement with the organization and all its enrolments. */
export const organizationResponse = {
  $id: "organization-response",
  type: "object",
  required: ["fiscalCode", "companyName", "status", "enrollments"],
  properties: {
    fiscalCode: { type: "string", pattern: "^[0-9]{11}$" },
    companyName: { type: "string", description: "the companyName of the enrolment just written, else the fiscal code" },
    status: { type: "string", enum: ["ENABLED"] },
    enrollments: { type: "array", items: { $ref: "enrolment-response" } },
  },
} as const;

export const spontaneousPayment = {
  $id: "spontaneous-payment",
  type: "object",
  additionalProperties: false,
  required: ["debtor", "service"],
  properties: {
    debtor: {
      type: "object",
      additionalProperties: false,
      required: ["type", "fiscalCode", "fullName"],
      properties: debtorProperties,
    },
    service: {
      type: "object",
      additionalProperties: false,
      required: ["id", "properties"],
      properties: {
        id: SERVICE_ID,
        properties: {
          type: "array",
          maxItems: 50,
          items: { type: "object", additionalProperties: false, required: ["name"], properties: { name: text(35), value: { type: "string", maxLength: 140 } } },
        },
      },
    },
  },
} as const;

export const spontaneousSchemas = [serviceCreate, serviceUpdate, serviceResponse, servicesList, enrolmentBody, enrolmentResponse, organizationResponse, spontaneousPayment] as const;
