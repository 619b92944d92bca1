/**
 * The payment side of a notice, as the pagoPA Node drives it: verify, activate (lock), receipt.
 * The decisions run in the database under the position's row lock; this module turns their
 * outcome into domain results and errors.
 */
import { errors } from "../domain/errors.ts";
import { STAND_IN_PROBE_NAV } from "../domain/notice.ts";
import type { NoticeLookup } from "../domain/stored.ts";
import type { Sql } from "../store/db.ts";
import { activateNotice, verifyNotice } from "../store/notices.ts";
import { quarantineReceipt, recordReceipt, type ReceiptToQuarantine, type ReceiptToRecord } from "../store/receipts.ts";

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

/** The Node's Stand-In probe is answered without touching the database. */
function assertNotProbe(nav: string): void {
  if (nav === STAND_IN_PROBE_NAV) throw errors.noticeUnknown(nav);
}

export function createNoticeService(deps: { db: Sql; lockTtlSeconds: number }) {
  const { db, lockTtlSeconds } = deps;
  return {
    /** paVerifyPaymentNotice: the notice if payable now; changes nothing. */
    async verify(ec: string, nav: string) {
      assertNotProbe(nav);
      return payableOrThrow(nav, await verifyNotice(db, ec, nav));
    },

    /**
     * paGetPayment(V2): the notice, locked for the payment (a repeated activation refreshes the lock).
     * `v2` tells whether the answer can carry @e.bollo transfers.
     */
    async activate(ec: string, nav: string, v2: boolean) {
      assertNotProbe(nav);
      return payableOrThrow(nav, await activateNotice(db, ec, nav, lockTtlSeconds, v2));
    },

    /** paSendRT(V2): stores the receipt (never refused) and applies it; a repeated receiptId is a duplicate. */
    async recordReceipt(receipt: ReceiptToRecord): Promise<{ flags: string[] }> {
      const result = await recordReceipt(db, receipt);
      if (result.outcome === "DUPLICATE") throw errors.receiptDuplicate(receipt.receiptId);
      return { flags: result.flags };
    },

    /** A receipt refused for breaking the schema: kept for the EC (the Node will send it again). */
    quarantineReceipt: (receipt: ReceiptToQuarantine) => quarantineReceipt(db, receipt),
  };
}

export type NoticeService = ReturnType<typeof createNoticeService>;
