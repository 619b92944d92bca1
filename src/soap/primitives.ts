/**
 * One function per paForNode operation: take the read request, call one payment-service function, and
 * return the response children that follow <outcome>OK</outcome>. Errors are thrown as domain errors.
 */
import type { PaymentService } from "../services/payments.ts";
import type { SpontaneousService } from "../services/spontaneous.ts";
import { paymentDataXml, receiptToIncoming, verifyResultXml } from "./converters.ts";
import { escapeXml } from "./envelope.ts";
import type { DemandRequest, GetPaymentRequest, Operation, SendRTRequest, VerifyRequest } from "./messages.ts";
import { ANONYMOUS_DEBTOR, serviceDataField, serviceDataProperties } from "./serviceData.ts";

export type Primitive = (request: never, rawBody: string) => Promise<string>;

export function createPrimitives(payments: PaymentService, spontaneous: SpontaneousService): Record<Operation, Primitive> {
  const getPayment = (v2: boolean) => async (request: GetPaymentRequest) =>
    paymentDataXml(await payments.activate(request, request.qrCode, v2), v2, request.transferType);
  const sendRT = (version: 1 | 2) => async (request: SendRTRequest, rawBody: string) => {
    await payments.recordReceipt(receiptToIncoming(request, version, rawBody));
    return "";
  };
  return {
    paVerifyPaymentNotice: async (request: VerifyRequest) => verifyResultXml(request.qrCode.fiscalCode, await payments.verify(request, request.qrCode)),
    paGetPayment: getPayment(false),
    paGetPaymentV2: getPayment(true),
    paSendRT: sendRT(1),
    paSendRTV2: sendRT(2),
    /** The spontaneous notice the service data asks for (created, or the open one of the same demand), answered as verify would. */
    paDemandPaymentNotice: async (request: DemandRequest) => {
      payments.assertStation(request);
      const properties = serviceDataProperties(request.datiSpecificiServizioRequest);
      const position = await spontaneous.demand(request.idPA, { serviceId: request.idServizio, properties, debtor: ANONYMOUS_DEBTOR }, serviceDataField(properties));
      const nav = position.options[0]!.nav;
      const qrCode = `<qrCode><fiscalCode>${escapeXml(request.idPA)}</fiscalCode><noticeNumber>${nav}</noticeNumber></qrCode>`;
      return qrCode + verifyResultXml(request.idPA, await payments.verify(request, { fiscalCode: request.idPA, noticeNumber: nav }));
    },
  };
}

export interface RefusedRequest {
  operation: Operation;
  /** The body root as parsed (unchecked). */
  body: Record<string, unknown>;
  rawBody: string;
  reason: string;
}

/** Hands what can be read of a refused receipt to the payment service, which decides whether to keep it. */
export function createReceiptQuarantine(payments: PaymentService) {
  const text = (value: unknown) => (typeof value === "string" && value.length <= 256 ? value : undefined);
  return async ({ operation, body, rawBody, reason }: RefusedRequest): Promise<void> => {
    if (operation !== "paSendRT" && operation !== "paSendRTV2") return;
    const receipt = (typeof body.receipt === "object" && body.receipt !== null ? body.receipt : {}) as Record<string, unknown>;
    await payments.refusedReceipt({
      idPA: text(body.idPA),
      receiptId: text(receipt.receiptId),
      noticeNumber: text(receipt.noticeNumber),
      primitiveVersion: operation === "paSendRT" ? 1 : 2,
      reason,
      rawBody,
    });
  };
}
