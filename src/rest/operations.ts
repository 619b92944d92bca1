/**
 * Every REST operation in one table: method, path, operationId, schemas and handler. The Express
 * routes (rest/mount.ts), the OpenAPI document (rest/openapi.ts) and the documentation test are
 * all derived from it. Paths and JSON follow GPD's external API (v1: single positions, v2: bulk, v3:
 * payment options that are plans of installments),
 * so a GPD client can point at this station. A handler takes validated input, calls one service
 * function and converts the result.
 */
import type { Logger } from "pino";
import { errors, type DomainError } from "../domain/errors.ts";
import type { NoticeDocumentService, NoticeListing, NoticePdf } from "../services/noticeDocuments.ts";
import type { NotificationFeeService } from "../services/notificationFees.ts";
import type { PaymentService } from "../services/payments.ts";
import type { PositionService } from "../services/positions.ts";
import type { ReceiptService } from "../services/receipts.ts";
import type { Enrolment } from "../domain/spontaneous.ts";
import type { SpontaneousService } from "../services/spontaneous.ts";
import type { EventService } from "../events/service.ts";
import { paymentOptionsError, paymentOptionsReply } from "./paymentOptions.ts";
import { BULK_LIMIT } from "./schemas.ts";
import {
  optionToApi, optionWithPositionToApi, pageInfoOf, paymentsReceiptFilterOf, positionFromApi, positionToApi, receiptFilterOf, receiptToApi, receiptToPaymentsResult,
  rejectedReceiptToApi, segregationCodesOf, optionalTimestampOf, transferToApi, filterOf, filterOfV3, positionFromApiV3, positionToApiV3,
} from "./converters.ts";
import { enrolmentFromApi, organizationToApi, propertyFieldOf, serviceFromApi } from "./spontaneousConverters.ts";
import type { Principal } from "./auth.ts";
import { acaEventToApi, deadLetterToApi, deliveryStatusToApi } from "./eventConverters.ts";
import type { Reply } from "./reply.ts";
import type { Input, SchemaId } from "./validate.ts";

export type Method = "get" | "post" | "put" | "delete" | "patch";

type Validated<Id extends SchemaId | undefined> = Id extends SchemaId ? Input<Id> : undefined;

export interface OperationRequest<Q extends SchemaId | undefined, B extends SchemaId | undefined> {
  params: Record<string, string>;
  query: Validated<Q>;
  body: Validated<B>;
  /** The caller, for `keyed` operations. */
  principal?: Principal;
}

/** The success answer as documented: a schema id, or a media type with an inline schema. */
export interface Success {
  status: number;
  description: string;
  schema?: SchemaId | { type: string; items?: { $ref: SchemaId } };
  media?: "application/json" | "application/pdf" | "application/xml" | "application/zip" | "text/plain";
}

interface OperationFields {
  method: Method;
  /** The documented path; /v1 and /v2 paths are also served under /gpd/debt-positions-service. */
  path: string;
  /** Further paths it is served at (undocumented). */
  aliases?: string[];
  /** Documented without the API key: only paths under an {organizationfiscalcode} ask for one. */
  public?: true;
  /** Station-wide, for the admin key only (an EC's key is refused). */
  admin?: true;
  /** Station-wide, for any key; the handler gets the caller and shows an EC's key its own EC's share only. */
  keyed?: true;
  /** Station-wide, for the admin key or a tester key (TESTER_API_KEY). */
  tester?: true;
  operationId: string;
  summary?: string;
  success: Success;
  /** Error statuses it can answer with a problem. */
  problems: number[];
  /** The schema of its error answers, when not problem+json (the payment-options contract's ErrorResponse). */
  errorSchema?: SchemaId;
  /** How it answers a refusal in that schema (the router uses it for input it refuses too). */
  answerError?: (error: DomainError) => Reply;
}

/** An operation as written in the table: its handler's input typed by its schemas. */
interface OperationSpec<Q extends SchemaId | undefined, B extends SchemaId | undefined> extends OperationFields {
  query?: Q;
  body?: B;
  handle(req: OperationRequest<NoInfer<Q>, NoInfer<B>>): Promise<Reply>;
}

/** An operation as the router and the OpenAPI builder see it. */
export interface Operation extends OperationFields {
  query?: SchemaId;
  body?: SchemaId;
  handle(req: { params: Record<string, string>; query: unknown; body: unknown; principal?: Principal }): Promise<Reply>;
}

/** An operation of the table; the router validates query and body against `query` and `body` before the handler runs. */
export const op = <Q extends SchemaId | undefined = undefined, B extends SchemaId | undefined = undefined>(spec: OperationSpec<Q, B>): Operation => ({
  ...spec,
  handle: (req) => spec.handle(req as OperationRequest<Q, B>),
});

const nav = (params: Record<string, string>) => {
  const value = params.nav!;
  if (!/^\d{18}$/.test(value)) throw errors.badRequest("nav", "must be a notice number of 18 digits");
  return value;
};

/** GPD finds an option by notice number (18 digits) or IUV (15 or 17) at the same path. */
const navOrIuv = (params: Record<string, string>) => {
  const value = params.nav!;
  if (!/^\d{15,18}$/.test(value)) throw errors.badRequest("nav", "must be a notice number (18 digits) or an IUV (15 or 17 digits)");
  return value;
};

const pdfReply = ({ filename, pdf }: NoticePdf): Reply => ({
  type: "application/pdf",
  headers: { "Content-Disposition": `inline; filename="${filename}"`, "Cache-Control": "no-store" },
  body: pdf,
});

/** A position's notices as listed: who each is for, what it prints, and the path of its PDF. */
const noticesToApi = (ec: string, iupd: string, notices: readonly NoticeListing[]) =>
  notices.map(({ debtor, noticeNumbers, filename }) => ({
    debtor: { type: debtor.type, fiscalCode: debtor.fiscalCode, fullName: debtor.fullName },
    noticeNumbers,
    filename,
    href: `/v1/organizations/${ec}/debtpositions/${encodeURIComponent(iupd)}/notice.pdf?debtorFiscalCode=${encodeURIComponent(debtor.fiscalCode)}`,
  }));

const V1 = "/v1/organizations/{organizationfiscalcode}";

const deadLetterId = (params: Record<string, string>) => {
  if (!/^\d{1,15}$/.test(params.id!)) throw errors.badRequest("id", "must be a dead letter id (digits)");
  return Number(params.id);
};

/** Whose ACA events a caller reads: an EC key its own EC's (403 for another), the admin key every EC's or the one asked. */
function feedOrganizations(principal: Principal, organization: string | undefined): string[] | undefined {
  if (principal.kind === "admin") return organization === undefined ? undefined : [organization];
  if (organization !== undefined && organization !== principal.organizationFiscalCode) throw errors.forbidden(organization);
  return [principal.organizationFiscalCode];
}
const V2 = "/v2/organizations/{organizationfiscalcode}";
/** GPD v3: payment options that are plans of installments, each with its debtor (v1 positions read here too). */
const V3 = "/v3/organizations/{organizationfiscalcode}";

export interface OperationServices {
  /** What GET /info answers, as GPD's does. */
  info: { name: string; version: string; environment: string };
  positions: PositionService;
  payments: PaymentService;
  receipts: ReceiptService;
  documents: NoticeDocumentService;
  /** Where an operation that answers its own errors logs the unexpected ones. */
  log: Logger;
  notificationFees: NotificationFeeService;
  /** The Node-facing surface's access state (src/auth/nodeGuard.ts). */
  nodeAccess: () => { open: boolean; refusals: Record<string, number> };
  spontaneous: SpontaneousService;
  events: EventService;
}

const SERVICES = "/v1/services";

/** paVerifyPaymentOptions, at the path the platform calls (GET, as its client sends; POST, as the contract and GPD serve). */
const paymentOptionsOperation = (payments: PaymentService, log: Logger, method: "get" | "post"): Operation =>
  op({
    method, path: "/payment-options/organizations/{organization-fiscal-code}/notices/{notice-number}", public: true,
    operationId: method === "post" ? "getPaymentOptionsByNoticeNumber" : "getPaymentOptionsByNoticeNumberWithGet",
    summary: "paVerifyPaymentOptions (SANP 3.9.1): every way the notice can be paid; called by the pagoPA Node (no API key); errors as the contract's ErrorResponse (appErrorCode ODP-101…ODP-111)",
    query: "payment-options-query", success: { status: 200, description: "The payment options", schema: "payment-options-response" },
    problems: [400, 404, 409, 422, 500], errorSchema: "payment-options-error", answerError: paymentOptionsError,
    handle: ({ params, query }) => paymentOptionsReply(payments, log, params.organization_fiscal_code!, params.notice_number!, query),
  });

export function operations({ info, positions, payments, receipts, documents, log, notificationFees, nodeAccess, spontaneous, events }: OperationServices): Operation[] {
  const enrolled = async (ec: string, written: Enrolment) => organizationToApi(ec, written, await spontaneous.enrolments.list(ec));
  return [
    paymentOptionsOperation(payments, log, "post"),
    paymentOptionsOperation(payments, log, "get"),
    op({
      method: "get", path: "/info", aliases: ["/v1/info", "/v2/info", "/gpd/debt-positions-service/info"], operationId: "healthCheck", summary: "Name, version and environment (no API key needed)", public: true,
      success: { status: 200, description: "The application", schema: "app-info" }, problems: [503],
      handle: async () => ({ body: info }),
    }),
    op({
      method: "get", path: "/admin/node-access", operationId: "getNodeAccess", summary: "Whether the Node-facing surface is open, and its refusals since start by reason (admin key only)", admin: true,
      success: { status: 200, description: "The access state", schema: "node-access-response" }, problems: [401, 403],
      handle: async () => ({ body: nodeAccess() }),
    }),
    op({
      method: "get", path: `${V1}/debtpositions`, operationId: "getOrganizationDebtPositions", summary: "List positions (true total in page_info.items_found)",
      query: "positions-list", success: { status: 200, description: "A page", schema: "positions-page" }, problems: [400, 401, 403, 503],
      handle: async ({ params, query: q }) => {
        const { items, total } = await positions.list(params.organizationfiscalcode!, filterOf(q), { limit: q.limit, page: q.page, orderBy: q.orderby, ordering: q.ordering });
        return { body: { payment_position_list: items.map(positionToApi), page_info: pageInfoOf(q.page, q.limit, total) } };
      },
    }),
    op({
      method: "post", path: `${V1}/debtpositions`, operationId: "createPosition", summary: "Create a debt position",
      query: "publish-query", body: "position-create", success: { status: 201, description: "Created", schema: "position-response" }, problems: [400, 401, 403, 409, 422, 503],
      handle: async ({ params, query, body }) => ({ status: 201, body: positionToApi(await positions.create(params.organizationfiscalcode!, positionFromApi(body), query.toPublish, segregationCodesOf(query))) }),
    }),
    op({
      method: "get", path: `${V1}/debtpositions/{iupd}`, operationId: "getOrganizationDebtPositionByIUPD",
      query: "segregation-query", success: { status: 200, description: "The position", schema: "position-response" }, problems: [400, 401, 403, 404, 503],
      handle: async ({ params, query }) => ({ body: positionToApi(await positions.get(params.organizationfiscalcode!, params.iupd!, segregationCodesOf(query))) }),
    }),
    op({
      method: "put", path: `${V1}/debtpositions/{iupd}`, operationId: "updatePosition", summary: "Replace a DRAFT, PUBLISHED or VALID position with no payment in progress; a published position stays published",
      query: "publish-query", body: "position-create", success: { status: 200, description: "Replaced", schema: "position-response" }, problems: [400, 401, 403, 404, 409, 422, 503],
      handle: async ({ params, query, body }) => ({ body: positionToApi(await positions.update(params.organizationfiscalcode!, params.iupd!, positionFromApi(body), query.toPublish, segregationCodesOf(query))) }),
    }),
    op({
      method: "delete", path: `${V1}/debtpositions/{iupd}`, operationId: "deletePosition",
      query: "segregation-query", success: { status: 200, description: "Deleted", schema: { type: "string" } }, problems: [400, 401, 403, 404, 409, 503],
      handle: async ({ params, query }) => (await positions.remove(params.organizationfiscalcode!, params.iupd!, segregationCodesOf(query)), { body: "OK" }),
    }),
    op({
      method: "post", path: `${V1}/debtpositions/{iupd}/publish`, operationId: "publishPosition", summary: "Publish a DRAFT position; a body, if any, is ignored",
      query: "segregation-query", success: { status: 200, description: "Published", schema: "position-response" }, problems: [400, 401, 403, 404, 409, 503],
      handle: async ({ params, query }) => ({ body: positionToApi(await positions.publish(params.organizationfiscalcode!, params.iupd!, segregationCodesOf(query))) }),
    }),
    op({
      method: "post", path: `${V1}/debtpositions/{iupd}/invalidate`, operationId: "invalidatePosition", summary: "Invalidate a position no payment holds; a body, if any, is ignored",
      query: "segregation-query", success: { status: 200, description: "Invalidated", schema: "position-response" }, problems: [400, 401, 403, 404, 409, 503],
      handle: async ({ params, query }) => ({ body: positionToApi(await positions.invalidate(params.organizationfiscalcode!, params.iupd!, segregationCodesOf(query))) }),
    }),
    op({
      method: "get", path: `${V1}/debtpositions/{iupd}/receipts`, operationId: "listReceiptsOfPosition", summary: "Receipts received for the position's notices, with their flags",
      success: { status: 200, description: "Receipts", schema: { type: "array", items: { $ref: "receipt-response" } } }, problems: [401, 403, 404, 503],
      handle: async ({ params }) => ({ body: (await receipts.ofPosition(params.organizationfiscalcode!, params.iupd!)).map(receiptToApi) }),
    }),
    op({
      method: "get", path: `${V1}/paymentoptions/{nav}`, operationId: "getOrganizationPaymentOptionByNAV", summary: "An option by notice number or IUV, with its position's IUPD, status (debtPositionStatus) and debtor",
      query: "segregation-query", success: { status: 200, description: "The option with its position", schema: "payment-option-with-position-response" }, problems: [400, 401, 403, 404, 503],
      handle: async ({ params, query }) => ({ body: optionWithPositionToApi(await positions.getOption(params.organizationfiscalcode!, navOrIuv(params), segregationCodesOf(query))) }),
    }),
    op({
      method: "get", path: `${V1}/paymentoptions/{nav}/debtposition`, operationId: "getDebtPositionByIUV", summary: "The position that holds an option, by IUV or notice number",
      query: "segregation-query", success: { status: 200, description: "The position", schema: "position-response" }, problems: [400, 401, 403, 404, 503],
      handle: async ({ params, query }) => ({ body: positionToApi(await positions.getByOption(params.organizationfiscalcode!, navOrIuv(params), segregationCodesOf(query))) }),
    }),
    op({
      method: "post", path: `${V1}/paymentoptions/paids/{nav}`, aliases: [`${V2}/paymentoptions/paids/{nav}`], operationId: "setPaymentOptionAsAlreadyPaid", summary: "Mark an option (by notice number or IUV) paid outside pagoPA; 409 when paid or being paid, 422 when not payable",
      query: "segregation-query", body: "payment-option-paid", success: { status: 200, description: "The option, paid", schema: "payment-option-response" }, problems: [400, 401, 403, 404, 409, 422, 503],
      handle: async ({ params, query, body }) => ({
        body: optionToApi(await positions.markPaid(params.organizationfiscalcode!, navOrIuv(params), { paymentDate: optionalTimestampOf(body.paymentDate, "paymentDate") }, segregationCodesOf(query))),
      }),
    }),
    op({
      method: "post", path: `${V1}/paymentoptions/{nav}/pay`, operationId: "payPaymentOption", summary: "Mark an option (by notice number or IUV) paid with what the receipt told (GPD's internal call); 409 when paid or being paid, 422 when not payable",
      body: "payment-option-pay", success: { status: 200, description: "The option, paid", schema: "payment-option-response" }, problems: [400, 401, 403, 404, 409, 422, 503],
      handle: async ({ params, body }) => ({
        body: optionToApi(await positions.markPaid(params.organizationfiscalcode!, navOrIuv(params), {
          paymentDate: optionalTimestampOf(body.paymentDate, "paymentDate"),
          paymentMethod: body.paymentMethod,
          pspCompany: body.pspCompany,
          idReceipt: body.idReceipt,
          fee: body.fee === undefined ? undefined : Number(body.fee),
        })),
      }),
    }),
    op({
      method: "post", path: `${V1}/paymentoptions/{iuv}/transfers/{transferid}/report`, operationId: "reportTransfer", summary: "Mark a transfer of a paid option (by IUV) reported: the option becomes PO_PARTIALLY_REPORTED or PO_REPORTED, the position REPORTED once a plan is all reported; 409 when not paid or already reported",
      success: { status: 200, description: "The transfer, reported", schema: "transfer-response" }, problems: [400, 401, 403, 404, 409, 503],
      handle: async ({ params }) => ({ body: transferToApi(await positions.reportTransfer(params.organizationfiscalcode!, params.iuv!, params.transferid!)) }),
    }),
    op({
      method: "put", path: `${V1}/paymentoptions/{nav}/notificationfee`, operationId: "updateNotificationFee", summary: "Set the notification fee of an unpaid option (by notice number or IUV): its amount and its first transfer to the EC move by the difference from the previous fee; 409 while a payment holds it",
      body: "notification-fee-update", success: { status: 200, description: "The option with the fee applied", schema: "payment-option-response" }, problems: [400, 401, 403, 404, 409, 422, 503],
      handle: async ({ params, body }) => ({ body: optionToApi(await notificationFees.set(params.organizationfiscalcode!, navOrIuv(params), body.notificationFee)) }),
    }),
    op({
      method: "patch", path: `${V1}/debtpositions/transfers`, operationId: "updateTransferIbanMassive", summary: "Replace an IBAN on the transfers of unpaid options no payment holds, in open positions",
      query: "iban-change-query", body: "iban-change", success: { status: 200, description: "How many transfers changed", schema: "iban-change-response" }, problems: [400, 401, 403, 503],
      handle: async ({ params, query, body }) => {
        const updatedTransfers = await positions.changeIban(params.organizationfiscalcode!, query.oldIban, body.newIban, query.limit);
        return { body: { description: `Updated IBAN on ${updatedTransfers} Transfers`, updatedTransfers } };
      },
    }),
    op({
      method: "get", path: `${V1}/rejectedreceipts`, operationId: "listRejectedReceipts", summary: "Receipts refused for breaking the schema (answered PAA_SINTASSI_XSD), kept so no payment goes unseen; most recent first",
      query: "rejected-receipts-list", success: { status: 200, description: "Refused receipts", schema: { type: "array", items: { $ref: "rejected-receipt-response" } } }, problems: [400, 401, 403, 503],
      handle: async ({ params, query }) => ({ body: (await receipts.rejected(params.organizationfiscalcode!, query.limit)).map(rejectedReceiptToApi) }),
    }),
    op({
      method: "get", path: `${V1}/receipts`, operationId: "listReceipts", summary: "Every stored receipt, linked to a notice or not, most recently received first (true total in page_info.items_found)",
      query: "receipts-list", success: { status: 200, description: "A page of receipts", schema: "receipts-page" }, problems: [400, 401, 403, 503],
      handle: async ({ params, query: q }) => {
        const { items, total } = await receipts.list(params.organizationfiscalcode!, receiptFilterOf(q), { limit: q.limit, offset: q.page * q.limit });
        return { body: { receipt_list: items.map(receiptToApi), page_info: pageInfoOf(q.page, q.limit, total) } };
      },
    }),
    op({
      method: "get", path: "/payments/{organizationfiscalcode}/receipts", operationId: "getOrganizationReceipts", summary: "gpd-payments: the EC's paid receipts, filtered by debtor, service (IUV prefix), payment date, IUV or debtor prefix",
      query: "payments-receipts-list", success: { status: 200, description: "A page of receipts", schema: "payments-receipts-page" }, problems: [400, 401, 403, 503],
      handle: async ({ params, query: q }) => {
        const { items, total } = await receipts.list(params.organizationfiscalcode!, paymentsReceiptFilterOf(q), { limit: q.pageSize, offset: q.pageNum * q.pageSize });
        return { body: { currentPageNumber: q.pageNum, length: items.length, totalPages: Math.ceil(total / q.pageSize), results: items.map(receiptToPaymentsResult) } };
      },
    }),
    op({
      method: "get", path: "/payments/{organizationfiscalcode}/receipts/{iuv}", operationId: "getReceiptByIUV", summary: "gpd-payments: the receipt that paid an IUV, as the Node sent it (XML)",
      query: "segregation-query", success: { status: 200, description: "The receipt as received", media: "application/xml", schema: { type: "string" } }, problems: [400, 401, 403, 404, 503],
      handle: async ({ params, query }) => ({ type: "application/xml", body: await receipts.document(params.organizationfiscalcode!, params.iuv!, segregationCodesOf(query)) }),
    }),
    op({
      method: "get", path: `${V1}/receipts/{receiptId}`, operationId: "getReceipt",
      success: { status: 200, description: "The receipt", schema: "receipt-response" }, problems: [401, 403, 404, 503],
      handle: async ({ params }) => ({ body: receiptToApi(await receipts.get(params.organizationfiscalcode!, params.receiptId!)) }),
    }),
    op({
      method: "get", path: `${V1}/debtpositions/{iupd}/notice.pdf`, operationId: "getPositionNotice",
      summary: "The payment notice (avviso di pagamento) of every option payable now: a section per option, a slip with its pagoPA QR code per installment. Co-obligors each have their own notice, with their options only: name whose with debtorFiscalCode (400 without it, 404 for a debtor the position does not have)",
      query: "notice-query", success: { status: 200, description: "A4 PDF", media: "application/pdf", schema: { type: "string" } }, problems: [400, 401, 403, 404, 409, 503],
      handle: async ({ params, query }) => pdfReply(await documents.forPosition(params.organizationfiscalcode!, params.iupd!, query.debtorFiscalCode)),
    }),
    op({
      method: "get", path: `${V1}/debtpositions/{iupd}/notices`, operationId: "listPositionNotices",
      summary: "The payment notices of a position, one per debtor with an option payable now (co-obligors: several), each with the notice numbers it prints and the path of its PDF",
      success: { status: 200, description: "The notices", schema: "position-notices" }, problems: [401, 403, 404, 409, 503],
      handle: async ({ params }) => ({ body: noticesToApi(params.organizationfiscalcode!, params.iupd!, await documents.list(params.organizationfiscalcode!, params.iupd!)) }),
    }),
    op({
      method: "get", path: `${V1}/paymentoptions/{nav}/notice.pdf`, operationId: "getOptionNotice", summary: "The payment notice of one option (the single payment or one installment), addressed to its debtor",
      success: { status: 200, description: "A4 PDF", media: "application/pdf", schema: { type: "string" } }, problems: [400, 401, 403, 404, 409, 503],
      handle: async ({ params }) => pdfReply(await documents.forNotice(params.organizationfiscalcode!, nav(params))),
    }),
    op({
      method: "post", path: `${V2}/debtpositions`, operationId: "createMultiplePositions", summary: `Create up to ${BULK_LIMIT} positions, all or nothing`,
      query: "publish-query", body: "positions-bulk", success: { status: 201, description: "Created" }, problems: [400, 401, 403, 409, 422, 503],
      handle: async ({ params, query, body }) => (await positions.createMany(params.organizationfiscalcode!, body.paymentPositions.map(positionFromApi), query.toPublish, segregationCodesOf(query)), { status: 201 }),
    }),
    op({
      method: "put", path: `${V2}/debtpositions`, operationId: "updateMultiplePositions", summary: `Replace up to ${BULK_LIMIT} positions, all or nothing`,
      query: "publish-query", body: "positions-bulk", success: { status: 200, description: "Replaced" }, problems: [400, 401, 403, 404, 409, 422, 503],
      handle: async ({ params, query, body }) => (await positions.updateMany(params.organizationfiscalcode!, body.paymentPositions.map(positionFromApi), query.toPublish, segregationCodesOf(query)), { status: 200 }),
    }),
    op({
      method: "delete", path: `${V2}/debtpositions`, operationId: "deleteMultipleDebtPositions", summary: `Delete up to ${BULK_LIMIT} positions, all or nothing`,
      query: "segregation-query", body: "iupds-bulk-delete", success: { status: 200, description: "Deleted" }, problems: [400, 401, 403, 404, 409, 503],
      handle: async ({ params, query, body }) => (await positions.removeMany(params.organizationfiscalcode!, body.paymentPositionIUPDs, segregationCodesOf(query)), { body: "OK" }),
    }),
    op({
      method: "get", path: SERVICES, operationId: "getServices", summary: "GPS: the spontaneous-payment catalogue, by transfer category or status (admin key)", admin: true,
      query: "services-list", success: { status: 200, description: "Services", schema: { type: "array", items: { $ref: "service-response" } } }, problems: [400, 401, 403, 503],
      handle: async ({ query }) => ({ body: await spontaneous.catalogue.list(query) }),
    }),
    op({
      method: "post", path: SERVICES, operationId: "createService", summary: "GPS: add a service, priced by a fixed amount, a tariff or the EC's pricing service at endpoint (admin key)", admin: true,
      body: "service-create", success: { status: 201, description: "Created", schema: "service-response" }, problems: [400, 401, 403, 409, 422, 503],
      handle: async ({ body }) => ({ status: 201, body: await spontaneous.catalogue.create(serviceFromApi(body, body.id)) }),
    }),
    op({
      method: "get", path: `${SERVICES}/{serviceId}`, operationId: "getServiceDetails", summary: "GPS: one service (admin key)", admin: true,
      success: { status: 200, description: "The service", schema: "service-response" }, problems: [401, 403, 404, 503],
      handle: async ({ params }) => ({ body: await spontaneous.catalogue.get(params.serviceId!) }),
    }),
    op({
      method: "put", path: `${SERVICES}/{serviceId}`, operationId: "updateService", summary: "GPS: replace a service (admin key)", admin: true,
      body: "service-update", success: { status: 200, description: "Replaced", schema: "service-response" }, problems: [400, 401, 403, 404, 422, 503],
      handle: async ({ params, body }) => ({ body: await spontaneous.catalogue.update(serviceFromApi(body, params.serviceId!)) }),
    }),
    op({
      method: "delete", path: `${SERVICES}/{serviceId}`, operationId: "deleteService", summary: "GPS: delete a service no EC is enrolled in (admin key)", admin: true,
      success: { status: 200, description: "Deleted", schema: { type: "string" } }, problems: [401, 403, 404, 422, 503],
      handle: async ({ params }) => (await spontaneous.catalogue.remove(params.serviceId!), { body: "OK" }),
    }),
    op({
      method: "get", path: `${V1}/services`, operationId: "getECEnrollments", summary: "GPS: the organization's enrolments in catalogue services",
      success: { status: 200, description: "Enrolments", schema: { type: "array", items: { $ref: "enrolment-response" } } }, problems: [401, 403, 503],
      handle: async ({ params }) => ({ body: await spontaneous.enrolments.list(params.organizationfiscalcode!) }),
    }),
    op({
      method: "post", path: `${V1}/services/{serviceId}`, operationId: "createECEnrollment", summary: "GPS: enrol the organization in a service: where the money goes and the IUVs' segregation code",
      body: "enrolment-body", success: { status: 201, description: "Enrolled: the organization with its enrolments", schema: "organization-response" }, problems: [400, 401, 403, 404, 409, 422, 503],
      handle: async ({ params, body }) => ({ status: 201, body: await enrolled(params.organizationfiscalcode!, await spontaneous.enrolments.create(params.organizationfiscalcode!, enrolmentFromApi(body, params.serviceId!))) }),
    }),
    op({
      method: "get", path: `${V1}/services/{serviceId}`, operationId: "getSingleEnrollment", summary: "GPS: one enrolment",
      success: { status: 200, description: "The enrolment", schema: "enrolment-response" }, problems: [401, 403, 404, 503],
      handle: async ({ params }) => ({ body: await spontaneous.enrolments.get(params.organizationfiscalcode!, params.serviceId!) }),
    }),
    op({
      method: "put", path: `${V1}/services/{serviceId}`, operationId: "updateECEnrollment", summary: "GPS: replace an enrolment (notices already created keep theirs)",
      body: "enrolment-body", success: { status: 200, description: "Replaced: the organization with its enrolments", schema: "organization-response" }, problems: [400, 401, 403, 404, 422, 503],
      handle: async ({ params, body }) => ({ body: await enrolled(params.organizationfiscalcode!, await spontaneous.enrolments.update(params.organizationfiscalcode!, enrolmentFromApi(body, params.serviceId!))) }),
    }),
    op({
      method: "delete", path: `${V1}/services/{serviceId}`, operationId: "deleteECEnrollment", summary: "GPS: end an enrolment",
      success: { status: 200, description: "Deleted", schema: { type: "string" } }, problems: [401, 403, 404, 503],
      handle: async ({ params }) => (await spontaneous.enrolments.remove(params.organizationfiscalcode!, params.serviceId!), { body: "OK" }),
    }),
    op({
      method: "post", path: `${V1}/spontaneouspayments`, operationId: "createSpontaneousPayment",
      summary: "GPS: create the notice of a service on demand (one option, payable at once); the same demand within the repeat window answers the same open notice",
      body: "spontaneous-payment", success: { status: 201, description: "The position created (or the open one of the same demand)", schema: "position-response" }, problems: [400, 401, 403, 404, 409, 422, 502, 503],
      handle: async ({ params, body }) => ({
        status: 201,
        body: positionToApi(await spontaneous.demand(params.organizationfiscalcode!, { serviceId: body.service.id, properties: body.service.properties, debtor: body.debtor }, propertyFieldOf)),
      }),
    }),
    op({
      method: "get", path: `${V3}/debtpositions`, operationId: "getOrganizationDebtPositionsV3", summary: "List positions in v3's shape (true total in page_info.items_found)",
      query: "positions-list-v3", success: { status: 200, description: "A page", schema: "positions-page-v3" }, problems: [400, 401, 403, 503],
      handle: async ({ params, query: q }) => {
        const { items, total } = await positions.list(params.organizationfiscalcode!, filterOfV3(q), { limit: q.limit, page: q.page, orderBy: q.orderby, ordering: q.ordering });
        return { body: { payment_position_list: items.map(positionToApiV3), page_info: pageInfoOf(q.page, q.limit, total) } };
      },
    }),
    op({
      method: "post", path: `${V3}/debtpositions`, operationId: "createPositionV3", summary: "Create a position of up to 100 payment options, each of 1 to 100 installments with its own debtor",
      query: "publish-query", body: "position-create-v3", success: { status: 201, description: "Created", schema: "position-response-v3" }, problems: [400, 401, 403, 409, 422, 503],
      handle: async ({ params, query, body }) => ({ status: 201, body: positionToApiV3(await positions.createV3(params.organizationfiscalcode!, positionFromApiV3(body), query.toPublish, segregationCodesOf(query))) }),
    }),
    op({
      method: "get", path: `${V3}/debtpositions/{iupd}`, operationId: "getOrganizationDebtPositionByIUPDV3",
      query: "segregation-query", success: { status: 200, description: "The position", schema: "position-response-v3" }, problems: [400, 401, 403, 404, 503],
      handle: async ({ params, query }) => ({ body: positionToApiV3(await positions.get(params.organizationfiscalcode!, params.iupd!, segregationCodesOf(query))) }),
    }),
    op({
      method: "put", path: `${V3}/debtpositions/{iupd}`, operationId: "updatePositionV3", summary: "Replace a DRAFT, PUBLISHED or VALID position with no payment in progress; a published position stays published",
      query: "publish-query", body: "position-create-v3", success: { status: 200, description: "Replaced", schema: "position-response-v3" }, problems: [400, 401, 403, 404, 409, 422, 503],
      handle: async ({ params, query, body }) => ({ body: positionToApiV3(await positions.updateV3(params.organizationfiscalcode!, params.iupd!, positionFromApiV3(body), query.toPublish, segregationCodesOf(query))) }),
    }),
    op({
      method: "delete", path: `${V3}/debtpositions/{iupd}`, operationId: "deletePositionV3",
      query: "segregation-query", success: { status: 200, description: "Deleted", schema: { type: "string" } }, problems: [400, 401, 403, 404, 409, 503],
      handle: async ({ params, query }) => (await positions.remove(params.organizationfiscalcode!, params.iupd!, segregationCodesOf(query)), { body: "OK" }),
    }),
    op({
      method: "post", path: `${V3}/debtpositions/{iupd}/publish`, operationId: "publishPositionV3", summary: "Publish a DRAFT position; a body, if any, is ignored",
      query: "segregation-query", success: { status: 200, description: "Published", schema: "position-response-v3" }, problems: [400, 401, 403, 404, 409, 503],
      handle: async ({ params, query }) => ({ body: positionToApiV3(await positions.publish(params.organizationfiscalcode!, params.iupd!, segregationCodesOf(query))) }),
    }),
    op({
      method: "post", path: `${V3}/debtpositions/{iupd}/invalidate`, operationId: "invalidatePositionV3", summary: "Invalidate a position no payment holds (not in GPD's v3; as its v1); a body, if any, is ignored",
      query: "segregation-query", success: { status: 200, description: "Invalidated", schema: "position-response-v3" }, problems: [400, 401, 403, 404, 409, 503],
      handle: async ({ params, query }) => ({ body: positionToApiV3(await positions.invalidate(params.organizationfiscalcode!, params.iupd!, segregationCodesOf(query))) }),
    }),
    op({
      method: "put", path: `${V1}/webhook`, operationId: "putWebhook", summary: "Set where the organization's events are POSTed, signed with the secret; private, loopback and link-local targets are refused (422) unless WEBHOOK_ALLOW_PRIVATE=on",
      body: "webhook-put", success: { status: 200, description: "The webhook (without its secret)", schema: "webhook-response" }, problems: [400, 401, 403, 422, 503],
      handle: async ({ params, body }) => ({ body: await events.webhooks.put(params.organizationfiscalcode!, body.url, body.secret) }),
    }),
    op({
      method: "get", path: `${V1}/webhook`, operationId: "getWebhook", summary: "The organization's webhook, without its secret",
      success: { status: 200, description: "The webhook", schema: "webhook-response" }, problems: [401, 403, 404, 503],
      handle: async ({ params }) => ({ body: await events.webhooks.get(params.organizationfiscalcode!) }),
    }),
    op({
      method: "delete", path: `${V1}/webhook`, operationId: "deleteWebhook", summary: "Stop POSTing the organization's events (events written meanwhile are not delivered later)",
      success: { status: 200, description: "Deleted", schema: { type: "string" } }, problems: [401, 403, 404, 503],
      handle: async ({ params }) => (await events.webhooks.remove(params.organizationfiscalcode!), { body: "OK" }),
    }),
    op({
      method: "get", path: `${V1}/deadletters`, operationId: "listDeadLetters", summary: "Events whose delivery (webhook or ACA) gave up after the last attempt, oldest first, with the last error",
      query: "dead-letters-list", success: { status: 200, description: "A page of dead letters", schema: "dead-letters-page" }, problems: [400, 401, 403, 503],
      handle: async ({ params, query: q }) => {
        const { items, total } = await events.deadLetters.list(params.organizationfiscalcode!, { limit: q.limit, offset: q.page * q.limit });
        return { body: { deadLetters: items.map(deadLetterToApi), page_info: pageInfoOf(q.page, q.limit, total) } };
      },
    }),
    op({
      method: "post", path: `${V1}/deadletters/redeliver`, operationId: "redeliverDeadLetters",
      summary: "Queue every dead letter again (after a receiver's outage), or those of one destination, attempts reset; answers how many",
      query: "dead-letters-redeliver-query", success: { status: 202, description: "Queued", schema: "dead-letters-redelivered" }, problems: [400, 401, 403, 503],
      handle: async ({ params, query }) => ({ status: 202, body: { requeued: await events.deadLetters.redeliverAll(params.organizationfiscalcode!, query.destination) } }),
    }),
    op({
      method: "post", path: `${V1}/deadletters/{id}/redeliver`, operationId: "redeliverDeadLetter", summary: "Queue a dead letter again, its attempts reset",
      success: { status: 202, description: "Queued" }, problems: [400, 401, 403, 404, 503],
      handle: async ({ params }) => (await events.deadLetters.redeliver(params.organizationfiscalcode!, deadLetterId(params)), { status: 202 }),
    }),
    op({
      method: "get", path: "/aca/events", operationId: "getAcaEvents", keyed: true,
      summary: "The ACA feed: lifecycle events of every notice that is not spontaneous, in id order after the cursor `after`; an EC key sees its own EC's only",
      query: "aca-events-query", success: { status: 200, description: "A page of events and the next cursor", schema: "aca-events-page" }, problems: [400, 401, 403, 503],
      handle: async ({ query: q, principal }) => {
        const feed = await events.acaFeed(q.after, q.limit, feedOrganizations(principal!, q.organization));
        return { body: { events: feed.map(acaEventToApi), nextCursor: feed.at(-1)?.eventId ?? q.after } };
      },
    }),
    op({
      method: "get", path: "/v1/events/status", operationId: "getDeliveryStatus", summary: "Outbox depth, oldest undelivered event, failing deliveries and dead letters by organization (admin key)", admin: true,
      success: { status: 200, description: "The delivery status", schema: "delivery-status-response" }, problems: [401, 403, 503],
      handle: async () => ({ body: deliveryStatusToApi(await events.status(), new Date()) }),
    }),
  ];
}
