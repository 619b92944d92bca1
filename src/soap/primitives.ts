/**
 * One function per paForNode operation: take the read request, call one service function, and
 * return the response children that follow <outcome>OK</outcome>. Errors are thrown as domain errors.
 */
import { errors } from "../domain/errors.ts";
import { assertReceiptStation, assertStation, type StationIdentity } from "../domain/station.ts";
import type { NoticeService } from "../services/notices.ts";
import { paymentDataXml, receiptToRecord, verifyResultXml } from "./converters.ts";
import type { DemandRequest, GetPaymentRequest, Operation, SendRTRequest, VerifyRequest } from "./messages.ts";

export type Primitive = (request: never, rawBody: string) => Promise<string>;

/** The notice's EC must be one served here; otherwise the notice is unknown to us. */
function noticeEc(request: VerifyRequest, station: StationIdentity): string {
  const ec = request.qrCode.fiscalCode;
  if (!station.organizations.includes(ec)) throw errors.noticeUnknown(request.qrCode.noticeNumber);
  return ec;
}

export function createPrimitives(notices: NoticeService, station: StationIdentity): Record<Operation, Primitive> {
  const getPayment = (v2: boolean) => async (request: GetPaymentRequest) => {
    assertStation(request, station);
    const notice = await notices.activate(noticeEc(request, station), request.qrCode.noticeNumber, v2);
    return paymentDataXml(notice, v2, request.transferType);
  };
  const sendRT = (version: 1 | 2) => async (request: SendRTRequest, rawBody: string) => {
    const stationMismatch = assertReceiptStation(request, station);
    await notices.recordReceipt(receiptToRecord(request, version, rawBody, stationMismatch));
    return "";
  };
  return {
    paVerifyPaymentNotice: async (request: VerifyRequest) => {
      assertStation(request, station);
      const ec = noticeEc(request, station);
      return verifyResultXml(ec, await notices.verify(ec, request.qrCode.noticeNumber));
    },
    paGetPayment: getPayment(false),
    paGetPaymentV2: getPayment(true),
    paSendRT: sendRT(1),
    paSendRTV2: sendRT(2),
    paDemandPaymentNotice: async (request: DemandRequest) => {
      assertStation(request, station);
      throw errors.semantic(`spontaneous payments are not enabled on this station (service ${request.idServizio})`);
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

/**
 * Keeps receipts refused for breaking the schema when they are addressed to an EC served here: the Node
 * will retry them, but the EC sees the payment meanwhile. Other refused requests are not kept.
 */
export function createReceiptQuarantine(notices: NoticeService, station: StationIdentity) {
  const text = (value: unknown) => (typeof value === "string" && value.length <= 256 ? value : undefined);
  return async ({ operation, body, rawBody, reason }: RefusedRequest): Promise<void> => {
    if (operation !== "paSendRT" && operation !== "paSendRTV2") return;
    const ec = text(body.idPA);
    if (!ec || !station.organizations.includes(ec)) return;
    const receipt = (typeof body.receipt === "object" && body.receipt !== null ? body.receipt : {}) as Record<string, unknown>;
    await notices.quarantineReceipt({
      organizationFiscalCode: ec,
      receiptId: text(receipt.receiptId),
      noticeNumber: text(receipt.noticeNumber),
      primitiveVersion: operation === "paSendRT" ? 1 : 2,
      reason,
      rawBody,
    });
  };
}
