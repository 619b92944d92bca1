/**
 * REST routes, one line each: validate, call one service function, convert. Paths and JSON follow
 * GPD's external API (v1: single positions, v2: bulk), so a GPD client can point at this station.
 */
import { Router, type Request, type Response } from "express";
import { errors } from "../domain/errors.ts";
import type { PositionInput } from "../domain/position.ts";
import { parseTimestamp } from "../domain/time.ts";
import type { NoticeDocumentService, NoticePdf } from "../services/noticeDocuments.ts";
import type { PositionService } from "../services/positions.ts";
import type { OrderBy, PositionFilter } from "../store/positions.ts";
import { optionWithPositionToApi, positionFromApi, positionToApi, receiptToApi, rejectedReceiptToApi } from "./converters.ts";
import type { Validators } from "./validate.ts";

type Handler = (req: Request) => Promise<{ status?: number; body?: unknown }>;

/** Express 5 forwards rejections to the error middleware, so handlers just return or throw. */
const route = (handler: Handler) => async (req: Request, res: Response) => {
  const { status = 200, body } = await handler(req);
  if (body === undefined) res.status(status).end();
  else res.status(status).json(body);
};

const ec = (req: Request) => req.params.organizationfiscalcode as string;
const iupd = (req: Request) => req.params.iupd as string;
const nav = (req: Request) => {
  const value = req.params.nav as string;
  if (!/^\d{18}$/.test(value)) throw errors.badRequest("nav", "must be a notice number of 18 digits");
  return value;
};

interface ListQuery {
  limit: number;
  page: number;
  due_date_from?: string;
  due_date_to?: string;
  payment_date_from?: string;
  payment_date_to?: string;
  payment_date_time_from?: string;
  payment_date_time_to?: string;
  status?: PositionFilter["status"];
  orderby: OrderBy;
  ordering: "ASC" | "DESC";
}

/** Date bounds: "from" at the start of its day, "to" inclusive up to the end of its day (Europe/Rome). */
function dayBound(value: string | undefined, field: string, endOfDay: boolean): Date | undefined {
  if (value === undefined) return undefined;
  const start = parseTimestamp(value);
  if (!start) throw errors.badRequest(field, "is not a valid date");
  return endOfDay && value.length === 10 ? (parseTimestamp(nextDay(value)) ?? start) : start;
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function toFilter(q: ListQuery): PositionFilter {
  if ((q.due_date_from || q.due_date_to) && (q.payment_date_from || q.payment_date_to || q.payment_date_time_from || q.payment_date_time_to)) {
    throw errors.badRequest("due_date_from", "cannot be combined with a payment date filter");
  }
  if (q.payment_date_from && q.payment_date_time_from) throw errors.badRequest("payment_date_time_from", "cannot be combined with payment_date_from");
  if (q.payment_date_to && q.payment_date_time_to) throw errors.badRequest("payment_date_time_to", "cannot be combined with payment_date_to");
  return {
    dueDateFrom: dayBound(q.due_date_from, "due_date_from", false),
    dueDateTo: dayBound(q.due_date_to, "due_date_to", true),
    paymentDateFrom: dayBound(q.payment_date_time_from ?? q.payment_date_from, q.payment_date_time_from === undefined ? "payment_date_from" : "payment_date_time_from", false),
    paymentDateTo: dayBound(q.payment_date_time_to ?? q.payment_date_to, q.payment_date_time_to === undefined ? "payment_date_to" : "payment_date_time_to", q.payment_date_time_to === undefined),
    status: q.status,
  };
}

const toPublish = (req: Request, validators: Validators) =>
  validators.query<{ toPublish: boolean }>("publish-query", req.query as Record<string, unknown>).toPublish;

export function singlePositionRoutes(positions: PositionService, validators: Validators): Router {
  const r = Router({ mergeParams: true });
  const body = (req: Request) => positionFromApi(validators.body<PositionInput>("position-create", req.body));

  r.get("/debtpositions", route(async (req) => {
    const q = validators.query<ListQuery>("positions-list", req.query as Record<string, unknown>);
    const { items, total } = await positions.list(ec(req), toFilter(q), { limit: q.limit, page: q.page, orderBy: q.orderby, ordering: q.ordering });
    return { body: { payment_position_list: items.map(positionToApi), page_info: { page: q.page, limit: q.limit, items_found: total, total_pages: Math.ceil(total / q.limit) } } };
  }));
  r.post("/debtpositions", route(async (req) => ({ status: 201, body: positionToApi(await positions.create(ec(req), body(req), toPublish(req, validators))) })));
  r.get("/debtpositions/:iupd", route(async (req) => ({ body: positionToApi(await positions.get(ec(req), iupd(req))) })));
  r.put("/debtpositions/:iupd", route(async (req) => ({ body: positionToApi(await positions.update(ec(req), iupd(req), body(req), toPublish(req, validators))) })));
  r.delete("/debtpositions/:iupd", route(async (req) => (await positions.remove(ec(req), iupd(req)), { body: "OK" })));
  r.post("/debtpositions/:iupd/publish", route(async (req) => ({ body: positionToApi(await positions.publish(ec(req), iupd(req))) })));
  r.post("/debtpositions/:iupd/invalidate", route(async (req) => ({ body: positionToApi(await positions.invalidate(ec(req), iupd(req))) })));
  r.get("/debtpositions/:iupd/receipts", route(async (req) => ({ body: (await positions.receipts(ec(req), iupd(req))).map(receiptToApi) })));
  r.get("/paymentoptions/:nav", route(async (req) => ({ body: optionWithPositionToApi(await positions.getOption(ec(req), nav(req))) })));
  r.get("/rejectedreceipts", route(async (req) => {
    const { limit } = validators.query<{ limit: number }>("rejected-receipts-list", req.query as Record<string, unknown>);
    return { body: (await positions.rejectedReceipts(ec(req), limit)).map(rejectedReceiptToApi) };
  }));
  r.get("/receipts/:receiptId", route(async (req) => ({ body: receiptToApi(await positions.receipt(ec(req), req.params.receiptId as string)) })));
  return r;
}

export function bulkPositionRoutes(positions: PositionService, validators: Validators): Router {
  const r = Router({ mergeParams: true });
  const bulk = (req: Request) =>
    validators.body<{ paymentPositions: PositionInput[] }>("positions-bulk", req.body).paymentPositions.map(positionFromApi);

  r.post("/debtpositions", route(async (req) => (await positions.createMany(ec(req), bulk(req), toPublish(req, validators)), { status: 201 })));
  r.put("/debtpositions", route(async (req) => (await positions.updateMany(ec(req), bulk(req), toPublish(req, validators)), { status: 200 })));
  r.delete("/debtpositions", route(async (req) => {
    const { paymentPositionIUPDs } = validators.body<{ paymentPositionIUPDs: string[] }>("iupds-bulk-delete", req.body);
    await positions.removeMany(ec(req), paymentPositionIUPDs);
    return { body: "OK" };
  }));
  return r;
}

/** Payment notices as PDF (not a GPD route): the whole position, or one notice by its number. */
export function noticeRoutes(documents: NoticeDocumentService): Router {
  const r = Router({ mergeParams: true });
  const pdf = (load: (req: Request) => Promise<NoticePdf>) => async (req: Request, res: Response) => {
    const { filename, pdf } = await load(req);
    res.status(200).type("application/pdf").set({ "Content-Disposition": `inline; filename="${filename}"`, "Cache-Control": "no-store" }).send(pdf);
  };
  r.get("/debtpositions/:iupd/notice.pdf", pdf((req) => documents.forPosition(ec(req), iupd(req))));
  r.get("/paymentoptions/:nav/notice.pdf", pdf((req) => documents.forNotice(ec(req), nav(req))));
  return r;
}
