/**
 * JSON Schemas of the REST API, named <resource>-<action>. They validate requests (compiled once by
 * ajv at start) and are the components of the OpenAPI document. Facets follow paForNode's, so
 * whatever is accepted here can be sent on the SOAP wire as it is (GPD accepts empty descriptions
 * and any stamp type, which the Node would then reject).
 */

import { CENTS, debtorProperties, IBAN } from "./facets.ts";
import { eventSchemas } from "./eventSchemas.ts";
import { kitSchemas } from "./kitSchemas.ts";
import { spontaneousSchemas } from "./spontaneousSchemas.ts";

const text = (max: number, description?: string) => ({ type: "string", minLength: 1, maxLength: max, ...(description ? { description } : {}) }) as const;
const DATE_TIME = {
  type: "string",
  pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})?)?$",
  description: "ISO-8601; without an offset it is Europe/Rome time",
  examples: ["2026-12-31T23:59:59+01:00"],
} as const;
const FISCAL_CODE_PA = { type: "string", pattern: "^[0-9]{11}$" } as const;
const READ_ONLY_TIMESTAMP = { type: "string", readOnly: true } as const;

export const metadataEntry = {
  $id: "metadata-entry",
  type: "object",
  additionalProperties: false,
  required: ["key", "value"],
  properties: { key: text(140), value: text(140) },
} as const;

const metadataList = { type: "array", maxItems: 10, items: { $ref: "metadata-entry" }, description: "at most 10 entries, keys unique" } as const;

export const stamp = {
  $id: "stamp",
  type: "object",
  additionalProperties: false,
  required: ["hashDocument", "stampType", "provincialResidence"],
  properties: {
    hashDocument: { type: "string", pattern: "^[A-Za-z0-9+/=]{4,72}$", description: "base64 digest of the stamped document" },
    stampType: { type: "string", enum: ["01"] },
    provincialResidence: { type: "string", pattern: "^[A-Z]{2}$" },
  },
} as const;

export const transfer = {
  $id: "transfer",
  type: "object",
  additionalProperties: false,
  required: ["idTransfer", "amount", "remittanceInformation", "category"],
  properties: {
    idTransfer: { type: "string", enum: ["1", "2", "3", "4", "5"] },
    amount: CENTS,
    organizationFiscalCode: { ...FISCAL_CODE_PA, description: "beneficiary EC; defaults to the position's EC" },
    remittanceInformation: text(140),
    category: text(140, "taxonomy code"),
    iban: { ...IBAN, description: "exactly one of iban and stamp" },
    postalIban: { type: "string", pattern: "^$|^[A-Za-z0-9]{1,35}$", description: "only beside an iban" },
    stamp: { $ref: "stamp" },
    companyName: text(140),
    transferMetadata: metadataList,
    status: { type: "string", readOnly: true },
  },
} as const;

export const paymentOption = {
  $id: "payment-option",
  type: "object",
  additionalProperties: false,
  required: ["iuv", "amount", "description", "isPartialPayment", "dueDate", "transfer"],
  properties: {
    nav: { type: "string", pattern: "^[0-9]{18}$", description: "notice number; defaults to aux digit + IUV" },
    iuv: { type: "string", pattern: "^[0-9]{15}([0-9]{2})?$" },
    amount: CENTS,
    description: text(140),
    isPartialPayment: { type: "boolean", description: "true for an installment of a plan" },
    dueDate: DATE_TIME,
    retentionDate: DATE_TIME,
    fee: { type: "integer", readOnly: true },
    notificationFee: { type: "integer", readOnly: true },
    transfer: { type: "array", minItems: 1, maxItems: 5, items: { $ref: "transfer" } },
    paymentOptionMetadata: metadataList,
  },
} as const;

export const positionCreate = {
  $id: "position-create",
  type: "object",
  additionalProperties: false,
  required: ["iupd", "type", "fiscalCode", "fullName", "companyName", "switchToExpired", "paymentOption"],
  properties: {
    iupd: { type: "string", pattern: "^[A-Za-z0-9_.-]{1,70}$", description: "the EC's id of the position" },
    ...debtorProperties,
    companyName: text(140),
    officeName: text(140),
    validityDate: DATE_TIME,
    switchToExpired: { type: "boolean" },
    payStandIn: { type: "boolean" },
    paymentDate: READ_ONLY_TIMESTAMP,
    status: { type: "string", readOnly: true },
    paymentOption: { type: "array", minItems: 1, maxItems: 100, items: { $ref: "payment-option" } },
  },
} as const;

/** The most positions one bulk request may carry (one transaction). */
export const BULK_LIMIT = 500;

export const positionsBulk = {
  $id: "positions-bulk",
  type: "object",
  additionalProperties: false,
  required: ["paymentPositions"],
  properties: { paymentPositions: { type: "array", minItems: 1, maxItems: BULK_LIMIT, items: { $ref: "position-create" } } },
} as const;

export const iupdsBulkDelete = {
  $id: "iupds-bulk-delete",
  type: "object",
  additionalProperties: false,
  required: ["paymentPositionIUPDs"],
  properties: {
    paymentPositionIUPDs: { type: "array", minItems: 1, maxItems: BULK_LIMIT, uniqueItems: true, items: { type: "string", minLength: 1, maxLength: 70 } },
  },
} as const;

const DATE = { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" } as const;
/** The most a page may hold and the deepest page a list may ask for (bounded work per request). */
const PAGE_LIMIT = { type: "integer", minimum: 1, maximum: 100, default: 20 } as const;
const PAGE_NUMBER = { type: "integer", minimum: 0, maximum: 100_000, default: 0, description: "0-based" } as const;

const SEGREGATION_CODES = {
  type: "string",
  pattern: "^\\d{2}(,\\d{2})*$",
  maxLength: 299,
  description: "comma-separated two-digit segregation codes: the operation is limited to IUVs starting with one of them (403 for a position outside)",
} as const;

export const positionsList = {
  $id: "positions-list",
  type: "object",
  additionalProperties: false,
  properties: {
    limit: { type: "integer", minimum: 1, maximum: 100, default: 10 },
    page: PAGE_NUMBER,
    due_date_from: DATE,
    due_date_to: DATE,
    payment_date_from: DATE,
    payment_date_to: DATE,
    payment_date_time_from: DATE_TIME,
    payment_date_time_to: DATE_TIME,
    status: { type: "string", enum: ["DRAFT", "PUBLISHED", "VALID", "INVALID", "EXPIRED", "PARTIALLY_PAID", "PAID", "REPORTED"] },
    orderby: { type: "string", enum: ["INSERTED_DATE", "IUPD", "STATUS", "COMPANY_NAME"], default: "INSERTED_DATE" },
    ordering: { type: "string", enum: ["ASC", "DESC"], default: "DESC" },
    segregationCodes: { ...SEGREGATION_CODES, description: "only positions with an IUV starting with one of these two-digit codes" },
  },
} as const;

export const publishQuery = {
  $id: "publish-query",
  type: "object",
  additionalProperties: false,
  properties: {
    toPublish: { type: "boolean", default: false, description: "publish at once (VALID, or PUBLISHED until its validity date); true/false, 1/0, yes/no, on/off in any case" },
    segregationCodes: SEGREGATION_CODES,
  },
} as const;

export const segregationQuery = {
  $id: "segregation-query",
  type: "object",
  additionalProperties: false,
  properties: { segregationCodes: SEGREGATION_CODES },
} as const;

/** Whose notice, for a position with co-obligors (GPD v3 options of different debtors). */
export const noticeQuery = {
  $id: "notice-query",
  type: "object",
  additionalProperties: false,
  properties: {
    debtorFiscalCode: { type: "string", minLength: 2, maxLength: 16, description: "the notice of this debtor (any case): only the options whose debtor they are; required when the position has co-obligors" },
  },
} as const;

/** The notices of a position, one per debtor with an option payable now. */
export const positionNotices = {
  $id: "position-notices",
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["debtor", "noticeNumbers", "filename", "href"],
    properties: {
      debtor: {
        type: "object",
        required: ["type", "fiscalCode", "fullName"],
        properties: { type: { type: "string", enum: ["F", "G"] }, fiscalCode: { type: "string" }, fullName: { type: "string" } },
      },
      noticeNumbers: { type: "array", items: { type: "string" }, description: "the notices printed on it, in print order" },
      filename: { type: "string" },
      href: { type: "string", description: "where to get it: the position's notice.pdf with this debtor's fiscal code" },
    },
  },
} as const;

export const ibanChangeQuery = {
  $id: "iban-change-query",
  type: "object",
  additionalProperties: false,
  required: ["oldIban"],
  properties: {
    oldIban: { ...IBAN, description: "the IBAN to replace" },
    limit: { type: "integer", minimum: 1, maximum: 1000, default: 1000, description: "at most this many transfers change" },
  },
} as const;

export const ibanChange = {
  $id: "iban-change",
  type: "object",
  additionalProperties: false,
  required: ["newIban"],
  properties: { newIban: IBAN },
} as const;

export const ibanChangeResponse = {
  $id: "iban-change-response",
  type: "object",
  required: ["description", "updatedTransfers"],
  properties: { description: { type: "string" }, updatedTransfers: { type: "integer" } },
} as const;

export const optionPaid = {
  $id: "payment-option-paid",
  type: "object",
  additionalProperties: false,
  properties: { paymentDate: { ...DATE_TIME, description: "when the debtor paid (default: now); without an offset it is Europe/Rome time" } },
} as const;

/** GPD's PayPaymentOptionModel, which the node's side of GPD sends when a payment is made: what the receipt told. */
export const optionPay = {
  $id: "payment-option-pay",
  type: "object",
  additionalProperties: false,
  required: ["pspCompany", "idReceipt"],
  properties: {
    paymentDate: { ...DATE_TIME, description: "when the debtor paid (default: now); without an offset it is Europe/Rome time" },
    paymentMethod: { type: "string", maxLength: 35 },
    pspCode: { type: "string", maxLength: 35, description: "accepted as GPD does; not kept" },
    pspTaxCode: { type: "string", maxLength: 70, description: "accepted as GPD does; not kept" },
    pspCompany: { type: "string", minLength: 1, maxLength: 70, pattern: "\\S" },
    idReceipt: { type: "string", minLength: 1, maxLength: 140, pattern: "\\S" },
    fee: {
      anyOf: [{ type: "integer", minimum: 0, maximum: 99_999_999_999 }, { type: "string", pattern: "^[0-9]{1,11}$" }],
      description: "euro cents paid to the PSP (GPD sends it as a string)",
    },
  },
} as const;

export const notificationFeeUpdate = {
  $id: "notification-fee-update",
  type: "object",
  additionalProperties: false,
  required: ["notificationFee"],
  properties: { notificationFee: { type: "integer", minimum: 0, maximum: 99_999_999_999, description: "euro cents, replacing the fee set before" } },
} as const;

// Responses (documented in OpenAPI, checked by the tests).

export const nodeAccessResponse = {
  $id: "node-access-response",
  type: "object",
  required: ["open", "refusals"],
  properties: {
    open: { type: "boolean", description: "true when no NODE_* setting restricts the Node-facing surface" },
    refusals: { type: "object", additionalProperties: { type: "integer" }, description: "requests refused since start, by reason" },
  },
} as const;

const transferResponse = {
  $id: "transfer-response",
  type: "object",
  required: ["idTransfer", "organizationFiscalCode", "amount", "remittanceInformation", "category", "status"],
  properties: {
    ...transfer.properties,
    transferMetadata: { type: "array", items: { $ref: "metadata-entry" } },
    status: { type: "string", enum: ["T_UNREPORTED", "T_REPORTED"] },
    insertedDate: READ_ONLY_TIMESTAMP,
    lastUpdatedDate: READ_ONLY_TIMESTAMP,
  },
} as const;

export const paymentOptionResponse = {
  $id: "payment-option-response",
  type: "object",
  required: ["nav", "iuv", "organizationFiscalCode", "amount", "description", "isPartialPayment", "dueDate", "status", "transfer"],
  properties: {
    nav: { type: "string" },
    iuv: { type: "string" },
    organizationFiscalCode: FISCAL_CODE_PA,
    amount: CENTS,
    description: { type: "string" },
    isPartialPayment: { type: "boolean" },
    dueDate: { type: "string" },
    retentionDate: { type: "string" },
    paymentDate: { type: "string" },
    paymentMethod: { type: "string" },
    pspCompany: { type: "string" },
    idReceipt: { type: "string" },
    fee: { type: "integer" },
    notificationFee: { type: "integer" },
    status: { type: "string", enum: ["PO_UNPAID", "PO_PAID", "PO_PARTIALLY_REPORTED", "PO_REPORTED"] },
    lockedUntil: { type: "string", description: "set while a payment is in progress (paGetPayment lock)" },
    insertedDate: { type: "string" },
    lastUpdatedDate: { type: "string" },
    paymentOptionMetadata: { type: "array", items: { $ref: "metadata-entry" } },
    transfer: { type: "array", items: { $ref: "transfer-response" } },
  },
} as const;

/** GPD's PaymentOptionWithDebtorInfoModelResponse: the option with its position's id, status, debtor and company. */
export const paymentOptionWithPositionResponse = {
  $id: "payment-option-with-position-response",
  type: "object",
  required: [...paymentOptionResponse.required, "iupd", "debtPositionStatus", "type", "fiscalCode", "fullName", "companyName", "payStandIn"],
  properties: {
    ...paymentOptionResponse.properties,
    iupd: { type: "string" },
    debtPositionStatus: { type: "string", enum: ["DRAFT", "PUBLISHED", "VALID", "INVALID", "EXPIRED", "PARTIALLY_PAID", "PAID", "REPORTED"] },
    type: { type: "string", enum: ["F", "G"] },
    fiscalCode: { type: "string" },
    fullName: { type: "string" },
    streetName: { type: "string" },
    civicNumber: { type: "string" },
    postalCode: { type: "string" },
    city: { type: "string" },
    province: { type: "string" },
    region: { type: "string" },
    country: { type: "string" },
    email: { type: "string" },
    phone: { type: "string" },
    companyName: { type: "string" },
    officeName: { type: "string" },
    payStandIn: { type: "boolean" },
  },
} as const;

export const positionResponse = {
  $id: "position-response",
  type: "object",
  required: ["iupd", "organizationFiscalCode", "type", "fiscalCode", "fullName", "companyName", "switchToExpired", "status", "insertedDate", "lastUpdatedDate", "paymentOption"],
  properties: {
    ...positionCreate.properties,
    organizationFiscalCode: FISCAL_CODE_PA,
    status: { type: "string", enum: positionsList.properties.status.enum },
    insertedDate: { type: "string" },
    publishDate: { type: "string" },
    lastUpdatedDate: { type: "string" },
    paymentDate: { type: "string" },
    paymentOption: { type: "array", items: { $ref: "payment-option-response" } },
  },
} as const;

export const positionsPage = {
  $id: "positions-page",
  type: "object",
  required: ["payment_position_list", "page_info"],
  properties: {
    payment_position_list: { type: "array", items: { $ref: "position-response" } },
    page_info: { $ref: "page-info" },
  },
} as const;

export const pageInfo = {
  $id: "page-info",
  type: "object",
  required: ["page", "limit", "items_found", "total_pages"],
  properties: {
    page: { type: "integer" },
    limit: { type: "integer" },
    items_found: { type: "integer", description: "items matching the filter, over all pages (GPD counts only this page)" },
    total_pages: { type: "integer" },
  },
} as const;

export const receiptResponse = {
  $id: "receipt-response",
  type: "object",
  required: ["organizationFiscalCode", "receiptId", "noticeNumber", "noticeFiscalCode", "primitiveVersion", "paymentAmount", "flags", "receivedAt", "receipt"],
  properties: {
    organizationFiscalCode: FISCAL_CODE_PA,
    receiptId: { type: "string" },
    noticeNumber: { type: "string" },
    noticeFiscalCode: FISCAL_CODE_PA,
    primitiveVersion: { type: "integer", enum: [1, 2] },
    paymentAmount: { type: "integer", description: "euro cents" },
    paymentDateTime: { type: "string" },
    flags: {
      type: "array",
      items: { type: "string" },
      description: "DOUBLE_PAYMENT, PAID_ON_INVALID, PAID_AFTER_EXPIRY, PAID_BEFORE_VALIDITY, UNKNOWN_NOTICE, AMOUNT_MISMATCH, STATION_MISMATCH, SECONDARY_BENEFICIARY, STAND_IN",
    },
    receivedAt: { type: "string" },
    receipt: { type: "object", description: "every element of the receipt as received, amounts in cents" },
  },
} as const;

export const receiptsList = {
  $id: "receipts-list",
  type: "object",
  additionalProperties: false,
  properties: {
    page: PAGE_NUMBER,
    limit: PAGE_LIMIT,
    flag: { type: "string", pattern: "^[A-Z_]{1,40}$", description: "receipts with this flag (see receipt-response flags)" },
    noticeNumber: { type: "string", pattern: "^[0-9]{18}$" },
    receivedFrom: { ...DATE_TIME, description: "received at or after; a date alone: its start (Europe/Rome)" },
    receivedTo: { ...DATE_TIME, description: "received at or before; a date alone: its end (Europe/Rome)" },
    paymentDateFrom: { ...DATE_TIME, description: "paid (paymentDateTime) at or after; a date alone: its start" },
    paymentDateTo: { ...DATE_TIME, description: "paid at or before; a date alone: its end" },
  },
} as const;

export const receiptsPage = {
  $id: "receipts-page",
  type: "object",
  required: ["receipt_list", "page_info"],
  properties: {
    receipt_list: { type: "array", items: { $ref: "receipt-response" } },
    page_info: { $ref: "page-info" },
  },
} as const;

/** gpd-payments' GET /payments/{ec}/receipts query. */
export const paymentsReceiptsList = {
  $id: "payments-receipts-list",
  type: "object",
  additionalProperties: false,
  properties: {
    pageNum: PAGE_NUMBER,
    pageSize: PAGE_LIMIT,
    debtor: { type: "string", maxLength: 35, description: "the debtor's fiscal code" },
    service: { type: "string", pattern: "^[0-9]{1,17}$", description: "IUVs starting with these digits" },
    from: { ...DATE_TIME, description: "paid at or after (yyyy-MM-dd or yyyy-MM-ddTHH:mm:ss, Europe/Rome)" },
    to: { ...DATE_TIME, description: "paid at or before; a date alone: its end" },
    debtorOrIuv: { type: "string", minLength: 1, maxLength: 35, description: "IUV or debtor fiscal code starting with this" },
    segregationCodes: SEGREGATION_CODES,
  },
} as const;

export const paymentsReceiptsPage = {
  $id: "payments-receipts-page",
  type: "object",
  required: ["currentPageNumber", "length", "totalPages", "results"],
  properties: {
    currentPageNumber: { type: "integer" },
    length: { type: "integer", description: "receipts on this page" },
    totalPages: { type: "integer" },
    results: {
      type: "array",
      items: {
        type: "object",
        required: ["organizationFiscalCode", "iuv", "debtor", "status"],
        properties: {
          organizationFiscalCode: FISCAL_CODE_PA,
          iuv: { type: "string" },
          debtor: { type: "string" },
          paymentDateTime: { type: "string" },
          status: { type: "string", enum: ["PAID"] },
        },
      },
    },
  },
} as const;

export const rejectedReceiptsList = {
  $id: "rejected-receipts-list",
  type: "object",
  additionalProperties: false,
  properties: { limit: { type: "integer", minimum: 1, maximum: 500, default: 100 } },
} as const;

export const rejectedReceiptResponse = {
  $id: "rejected-receipt-response",
  type: "object",
  required: ["organizationFiscalCode", "primitiveVersion", "reason", "attempts", "firstReceivedAt", "lastReceivedAt", "rawBody"],
  properties: {
    organizationFiscalCode: FISCAL_CODE_PA,
    receiptId: { type: "string", description: "when it could be read" },
    noticeNumber: { type: "string", description: "when it could be read" },
    primitiveVersion: { type: "integer", enum: [1, 2] },
    reason: { type: "string", description: "why it broke the schema (the element and the rule)" },
    attempts: { type: "integer", description: "times the Node sent this same body" },
    firstReceivedAt: { type: "string" },
    lastReceivedAt: { type: "string" },
    rawBody: { type: "string", description: "the SOAP body as received" },
  },
} as const;

export const appInfo = {
  $id: "app-info",
  type: "object",
  required: ["name", "version", "environment"],
  properties: { name: { type: "string" }, version: { type: "string" }, environment: { type: "string" } },
} as const;

export const problem = {
  $id: "problem",
  type: "object",
  required: ["title", "status", "detail"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string", description: "stable error code" },
    field: { type: "string", description: "the request field the problem is about" },
  },
} as const;

// GPD v3 (PaymentPositionModelV3): payment options that are plans of installments, each with its debtor.

const { type, fiscalCode, fullName, streetName, civicNumber, postalCode, city, province, region, country, email, phone } = positionCreate.properties;

export const debtorV3 = {
  $id: "debtor-v3",
  type: "object",
  additionalProperties: false,
  required: ["type", "fiscalCode", "fullName"],
  properties: { type, fiscalCode, fullName, streetName, civicNumber, postalCode, city, province, region, country, email, phone },
} as const;

export const installmentV3 = {
  $id: "installment-v3",
  type: "object",
  additionalProperties: false,
  required: ["iuv", "amount", "description", "dueDate", "transfer"],
  properties: {
    nav: paymentOption.properties.nav,
    iuv: paymentOption.properties.iuv,
    amount: paymentOption.properties.amount,
    description: paymentOption.properties.description,
    dueDate: DATE_TIME,
    fee: { type: "integer", readOnly: true },
    notificationFee: { type: "integer", readOnly: true },
    status: { type: "string", readOnly: true },
    transfer: paymentOption.properties.transfer,
    installmentMetadata: metadataList,
  },
} as const;

export const paymentOptionV3 = {
  $id: "payment-option-v3",
  type: "object",
  additionalProperties: false,
  required: ["debtor", "installments", "switchToExpired"],
  properties: {
    description: text(140),
    validityDate: DATE_TIME,
    retentionDate: DATE_TIME,
    switchToExpired: { type: "boolean", description: "the option's installments expire after their due date" },
    debtor: { $ref: "debtor-v3" },
    installments: { type: "array", minItems: 1, maxItems: 100, items: { $ref: "installment-v3" }, description: "one: a single payment; more: a plan" },
  },
} as const;

export const positionCreateV3 = {
  $id: "position-create-v3",
  type: "object",
  additionalProperties: false,
  required: ["iupd", "companyName", "paymentOption"],
  properties: {
    iupd: positionCreate.properties.iupd,
    payStandIn: { type: "boolean" },
    companyName: text(140),
    officeName: text(140),
    paymentDate: { type: "string", readOnly: true },
    status: { type: "string", readOnly: true },
    paymentOption: { type: "array", minItems: 1, maxItems: 100, items: { $ref: "payment-option-v3" } },
  },
} as const;

const POSITION_STATUS_V3 = ["DRAFT", "PUBLISHED", "VALID", "UNPAYABLE", "PARTIALLY_PAID", "PAID"] as const;

export const positionsListV3 = {
  ...positionsList,
  $id: "positions-list-v3",
  properties: { ...positionsList.properties, status: { type: "string", enum: POSITION_STATUS_V3 } },
} as const;

export const installmentResponseV3 = {
  $id: "installment-response-v3",
  type: "object",
  required: ["nav", "iuv", "organizationFiscalCode", "amount", "description", "dueDate", "status", "transfer"],
  properties: {
    nav: { type: "string" },
    iuv: { type: "string" },
    organizationFiscalCode: FISCAL_CODE_PA,
    amount: { type: "integer" },
    description: { type: "string" },
    dueDate: { type: "string" },
    paymentDate: { type: "string" },
    paymentMethod: { type: "string" },
    pspCompany: { type: "string" },
    fee: { type: "integer" },
    notificationFee: { type: "integer" },
    idReceipt: { type: "string" },
    status: { type: "string", enum: ["UNPAID", "PAID", "PARTIALLY_REPORTED", "REPORTED", "UNPAYABLE", "EXPIRED"] },
    lastUpdatedDate: { type: "string" },
    installmentMetadata: { type: "array", items: { $ref: "metadata-entry" } },
    transfer: { type: "array", items: { $ref: "transfer-response" } },
  },
} as const;

export const paymentOptionResponseV3 = {
  $id: "payment-option-response-v3",
  type: "object",
  required: ["switchToExpired", "debtor", "installments"],
  properties: {
    description: { type: "string" },
    switchToExpired: { type: "boolean" },
    retentionDate: { type: "string" },
    insertedDate: { type: "string" },
    validityDate: { type: "string" },
    debtor: { $ref: "debtor-v3" },
    installments: { type: "array", items: { $ref: "installment-response-v3" } },
  },
} as const;

export const positionResponseV3 = {
  $id: "position-response-v3",
  type: "object",
  required: ["iupd", "organizationFiscalCode", "companyName", "status", "insertedDate", "lastUpdatedDate", "paymentOption"],
  properties: {
    iupd: { type: "string" },
    organizationFiscalCode: FISCAL_CODE_PA,
    companyName: { type: "string" },
    officeName: { type: "string" },
    payStandIn: { type: "boolean" },
    insertedDate: { type: "string" },
    publishDate: { type: "string" },
    paymentDate: { type: "string" },
    status: { type: "string", enum: POSITION_STATUS_V3 },
    lastUpdatedDate: { type: "string" },
    paymentOption: { type: "array", items: { $ref: "payment-option-response-v3" } },
  },
} as const;

export const positionsPageV3 = {
  $id: "positions-page-v3",
  type: "object",
  required: ["payment_position_list", "page_info"],
  properties: {
    payment_position_list: { type: "array", items: { $ref: "position-response-v3" } },
    page_info: { $ref: "page-info" },
  },
} as const;

// paVerifyPaymentOptions (the payment-options contract, openapiForOrgs.json): query, answer, error.

/** Checked by the handler, not the validator, so every refusal is answered as the contract's ErrorResponse. */
export const paymentOptionsQuery = {
  $id: "payment-options-query",
  type: "object",
  properties: {
    idPA: { type: "string", description: "the EC asking (required; checked like the SOAP primitives' idPA)" },
    idBrokerPA: { type: "string", description: "this station's broker (required)" },
    idStation: { type: "string", description: "this station (required)" },
  },
} as const;

const PAYMENT_OPTIONS_TIME = { type: "string", description: "ISO-8601 date-time with its offset (the contract's format date-time)" } as const;

export const paymentOptionsResponse = {
  $id: "payment-options-response",
  type: "object",
  required: ["organizationFiscalCode", "companyName", "standin", "paymentOptions"],
  properties: {
    organizationFiscalCode: { type: "string" },
    companyName: { type: "string" },
    officeName: { type: "string" },
    standin: { type: "boolean", description: "the position may be paid in Stand-In (payStandIn)" },
    paymentOptions: {
      type: "array",
      items: {
        type: "object",
        required: ["description", "numberOfInstallments", "amount", "dueDate", "validFrom", "status", "statusReason", "allCCP", "installments"],
        properties: {
          description: { type: "string" },
          numberOfInstallments: { type: "integer" },
          amount: { type: "integer", description: "euro cents" },
          dueDate: PAYMENT_OPTIONS_TIME,
          validFrom: PAYMENT_OPTIONS_TIME,
          status: { type: "string", enum: ["PO_UNPAID", "PO_PAID", "PO_PARTIALLY_PAID", "PO_EXPIRED_NOT_PAYABLE", "PO_EXPIRED_UNPAID", "PO_INVALID"] },
          statusReason: { type: "string" },
          allCCP: { type: "boolean" },
          installments: {
            type: "array",
            items: {
              type: "object",
              required: ["nav", "iuv", "amount", "description", "dueDate", "validFrom", "status", "statusReason"],
              properties: {
                nav: { type: "string" },
                iuv: { type: "string" },
                amount: { type: "integer", description: "euro cents" },
                description: { type: "string" },
                dueDate: PAYMENT_OPTIONS_TIME,
                validFrom: PAYMENT_OPTIONS_TIME,
                status: { type: "string", enum: ["POI_UNPAID", "POI_PAID", "POI_EXPIRED_NOT_PAYABLE", "POI_EXPIRED_UNPAID", "POI_INVALID"] },
                statusReason: { type: "string" },
              },
            },
          },
        },
      },
    },
  },
} as const;

export const paymentOptionsError = {
  $id: "payment-options-error",
  type: "object",
  required: ["httpStatusCode", "httpStatusDescription", "errorMessage", "appErrorCode", "timestamp", "dateTime"],
  properties: {
    httpStatusCode: { type: "integer" },
    httpStatusDescription: { type: "string" },
    errorMessage: { type: "string" },
    appErrorCode: { type: "string", pattern: "^ODP-1[01][0-9]$", description: "ODP-101…ODP-111, one per PAA fault (README: Payment options)" },
    timestamp: { type: "integer", description: "seconds since the epoch" },
    dateTime: { type: "string" },
  },
} as const;

export const allSchemas = [
  paymentOptionsQuery,
  paymentOptionsResponse,
  paymentOptionsError,
  debtorV3,
  installmentV3,
  paymentOptionV3,
  positionCreateV3,
  positionsListV3,
  installmentResponseV3,
  paymentOptionResponseV3,
  positionResponseV3,
  positionsPageV3,
  metadataEntry,
  stamp,
  transfer,
  paymentOption,
  positionCreate,
  positionsBulk,
  iupdsBulkDelete,
  positionsList,
  publishQuery,
  noticeQuery,
  positionNotices,
  segregationQuery,
  ibanChangeQuery,
  ibanChange,
  ibanChangeResponse,
  optionPaid,
  optionPay,
  notificationFeeUpdate,
  nodeAccessResponse,
  transferResponse,
  paymentOptionResponse,
  paymentOptionWithPositionResponse,
  positionResponse,
  positionsPage,
  pageInfo,
  receiptResponse,
  receiptsList,
  receiptsPage,
  paymentsReceiptsList,
  paymentsReceiptsPage,
  rejectedReceiptsList,
  rejectedReceiptResponse,
  appInfo,
  problem,
  ...spontaneousSchemas,
  ...kitSchemas,
  ...eventSchemas,
] as const;
