/**
 * Payments, as the pagoPA Node drives them: verify, activate (lock), receipt. The doors hand over what
 * they read; this service applies the station checks, decides which EC a notice belongs to, what a
 * receipt says about itself (station mismatch, Stand-In, outcome) and whether a refused receipt is kept.
 * The payment rules run in the database under the position's row lock (src/store/sql); this module
 * turns their outcome into domain results and errors.
 */
import { errors } from "../domain/errors.ts";
import { STAND_IN_PROBE_NAV } from "../domain/noticeNumber.ts";
import { assertReceiptStation, assertStation, type RequestHeader, type StationIdentity } from "../domain/station.ts";
import type { NoticeLookup } from "../domain/stored.ts";
import type { Sql } from "../store/db.ts";
import { paymentOptionsOf } from "../domain/paymentOptions.ts";
import { coalesce } from "../store/coalesce.ts";
import { activateNotice, verifyNotices, type NoticeKey } from "../store/payments.ts";
import { getPositionsByNotice } from "../store/positions.ts";
import { quarantineReceipt, recordReceipt, type ReceiptToQuarantine, type ReceiptToRecord } from "../store/receipts.ts";

/** The notice a request names (qrCode). */
export interface NoticeRef {
  fiscalCode: string;
  noticeNumber: string;
}

/** A receipt as the Node sent it: the header it came with and what the receipt itself says. */
export interface IncomingReceipt extends Omit<ReceiptToRecord, "organizationFiscalCode" | "stationMismatch"> {
  header: RequestHeader;
}

/** What could be read of a receipt refused for breaking the schema (unchecked). */
export type RefusedReceipt = Omit<ReceiptToQuarantine, "organizationFiscalCode"> & { idPA: string | undefined };

function payableOrThrow<T>(nav: string, lookup: NoticeLookup<T>): T {
  switch (lookup.state) {
    case "OK":
      return lookup.notice!;
    case "UNKNOWN":
      throw errors.noticeUnknown(nav);
    case "PAID":
      throw errors.noticePaid(nav);
    case "IN_PROGRESS":
      throw errors.noticeInProgress(nav, lookup.blocker ?? "another notice");
    case "CANCELLED":
      throw errors.noticeCancelled(nav);
    case "EXPIRED":
      throw errors.noticeExpired(nav);
    case "NEEDS_V2":
      throw errors.semantic(`notice ${nav} carries an @e.bollo transfer, which only paGetPaymentV2 can describe`);
  }
}

export function createPaymentService(deps: { db: Sql; lockTtlSeconds: number; station: StationIdentity }) {
  const { db, lockTtlSeconds, station } = deps;
  /** Verify requests that arrive together share one statement, and so do paVerifyPaymentOptions requests. */
  const verifyNotice = coalesce((keys: readonly NoticeKey[]) => verifyNotices(db, keys));
  const positionByNotice = coalesce((keys: readonly NoticeKey[]) => getPositionsByNotice(db, keys));

  /**
   * The EC whose notice a request names, after the station checks: it must be one served here, else the
   * notice is unknown to us. The Node's Stand-In probe is unknown too, answered without the database.
   */
  function noticeEc(header: RequestHeader, notice: NoticeRef): string {
    assertStation(header, station);
    if (!station.organizations.includes(notice.fiscalCode) || notice.noticeNumber === STAND_IN_PROBE_NAV) {
      throw errors.noticeUnknown(notice.noticeNumber);
    }
    return notice.fiscalCode;
  }

  return {
    /** paVerifyPaymentNotice: the notice if payable now; changes nothing. */
    async verify(header: RequestHeader, notice: NoticeRef) {
      const ec = noticeEc(header, notice);
      return payableOrThrow(notice.noticeNumber, await verifyNotice({ ec, nav: notice.noticeNumber }));
    },

    /**
     * paVerifyPaymentOptions: every way the notice's position can be paid; changes nothing. The station
     * checks are the SOAP primitives'; the EC asking (idPA) must be the notice's.
     */
    async paymentOptions(header: RequestHeader, notice: NoticeRef) {
      const ec = noticeEc(header, notice);
      if (header.idPA !== ec) throw errors.semantic(`idPA ${header.idPA} is not the creditor institution of notice ${notice.noticeNumber} (${ec})`);
      return paymentOptionsOf(await positionByNotice({ ec, nav: notice.noticeNumber }), notice.noticeNumber, new Date());
    },

    /**
     * paGetPayment(V2): the notice, locked for the payment (a repeated activation refreshes the lock).
     * `v2` tells whether the answer can carry @e.bollo transfers.
     */
    async activate(header: RequestHeader, notice: NoticeRef, v2: boolean) {
      const ec = noticeEc(header, notice);
      return payableOrThrow(notice.noticeNumber, await activateNotice(db, ec, notice.noticeNumber, lockTtlSeconds, v2));
    },

    /**
     * paSendRT(V2): stores the receipt (never refused for the station it was sent with: it is flagged
     * instead) and applies it; a repeated receiptId is a duplicate.
     */
    async recordReceipt({ header, ...receipt }: IncomingReceipt) {
      const stationMismatch = assertReceiptStation(header, station);
      const result = await recordReceipt(db, { ...receipt, organizationFiscalCode: header.idPA, stationMismatch });
      if (result.outcome === "DUPLICATE") throw errors.receiptDuplicate(receipt.receiptId);
      return { flags: result.flags };
    },

    /**
     * A receipt refused for breaking the schema is kept when it is addressed to an EC served here: the
     * Node will send it again, but the EC sees the payment meanwhile. Others are not kept.
     */
    async refusedReceipt({ idPA, ...receipt }: RefusedReceipt): Promise<void> {
      if (idPA === undefined || !station.organizations.includes(idPA)) return;
      await quarantineReceipt(db, { ...receipt, organizationFiscalCode: idPA });
    },

    /** The station checks alone, for a request that names no notice (paDemandPaymentNotice). */
    assertStation: (header: RequestHeader) => assertStation(header, station),
  };
}

export type PaymentService = ReturnType<typeof createPaymentService>;
