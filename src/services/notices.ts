/**
 * The payment side of a notice, as the pagoPA Node drives it: verify, activate (lock), receipt.
 * The decisions run in the database under the position's row lock (stazione_notice,
 * stazione_record_receipt); this module turns their outcome into domain results and errors.
 */
import { errors } from "../domain/errors.ts";
import { STAND_IN_PROBE_NAV } from "../domain/notice.ts";
import type { Debtor, MetadataEntry, Stamp } from "../domain/position.ts";
import type { Sql } from "../store/db.ts";
import { recordReceipt, type ReceiptToRecord } from "../store/receipts.ts";

export interface NoticeTransfer {
  idTransfer: string;
  amount: number;
  organizationFiscalCode: string;
  companyName?: string;
  iban?: string;
  postalIban?: string;
  stamp?: Stamp;
  remittanceInformation: string;
  category: string;
  metadata: MetadataEntry[];
}

/** A payable notice: the option (amount frozen while locked), its position and its transfers. */
export interface NoticeView {
  iupd: string;
  nav: string;
  iuv: string;
  amount: number;
  description: string;
  dueDate: string;
  retentionDate?: string;
  isPartialPayment: boolean;
  metadata: MetadataEntry[];
  companyName: string;
  officeName?: string;
  debtor: Debtor;
  transfers: NoticeTransfer[];
}

type NoticeState = "OK" | "UNKNOWN" | "PAID" | "IN_PROGRESS" | "CANCELLED" | "EXPIRED";

interface NoticeLookup {
  state: NoticeState;
  blocker?: string;
  notice?: NoticeView;
}

function payableOrThrow(nav: string, lookup: NoticeLookup): NoticeView {
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
  }
}

export function createNoticeService(deps: { db: Sql; lockTtlSeconds: number }) {
  const { db, lockTtlSeconds } = deps;

  const lookup = async (ec: string, nav: string, lockSeconds: number | null) => {
    // The Node's Stand-In probe: answered without touching the database.
    if (nav === STAND_IN_PROBE_NAV) throw errors.noticeUnknown(nav);
    const [row] = await db.query<{ r: NoticeLookup }>("SELECT stazione_notice($1, $2, $3) AS r", [ec, nav, lockSeconds], "stazione_notice");
    return payableOrThrow(nav, row!.r);
  };

  return {
    /** paVerifyPaymentNotice: the notice if payable now; changes nothing. */
    verify: (ec: string, nav: string) => lookup(ec, nav, null),

    /** paGetPayment(V2): the notice, locked for the payment (a repeated activation refreshes the lock). */
    activate: (ec: string, nav: string) => lookup(ec, nav, lockTtlSeconds),

    /** paSendRT(V2): stores the receipt (never refused) and applies it; a repeated receiptId is a duplicate. */
    async recordReceipt(receipt: ReceiptToRecord): Promise<{ flags: string[] }> {
      const result = await recordReceipt(db, receipt);
      if (result.outcome === "DUPLICATE") throw errors.receiptDuplicate(receipt.receiptId);
      return { flags: result.flags };
    },
  };
}

export type NoticeService = ReturnType<typeof createNoticeService>;
