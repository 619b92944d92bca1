/**
 * Payment notices as documents: load the position and the state of each of its options, assert it
 * (or the one notice asked for) can be paid now, render the PDF. The states are those
 * paVerifyPaymentNotice answers (store/payments.ts noticeStates), so the database alone decides what
 * is payable. Read-only, so no transaction: the position is read first and the states after it, so
 * the decision is never older than what is printed; a payment that lands a moment later is caught
 * when the printed QR code is used, as paVerifyPaymentNotice answers then.
 */
import { errors } from "../domain/errors.ts";
import { assertOptionPayable, assertPositionPayable } from "../domain/payable.ts";
import type { StoredOption, StoredPosition } from "../domain/stored.ts";
import { renderNotice } from "../notice/pdf.ts";
import type { Sql } from "../store/db.ts";
import { noticeStates } from "../store/payments.ts";
import { getOptionWithPosition, getPosition } from "../store/positions.ts";

export interface NoticePdf {
  /** A file name for the download: avviso-<iupd or notice number>.pdf. */
  filename: string;
  pdf: Buffer;
}

export function createNoticeDocumentService(deps: { db: Sql; cbill: ReadonlyMap<string, string> }) {
  const { db, cbill } = deps;

  /** The position and the state of each of its options (position first: see the module comment). */
  const load = async (ec: string, iupd: string) => {
    const position = await getPosition(db, ec, iupd);
    return position && { position, states: await noticeStates(db, ec, iupd) };
  };

  const render = async (position: StoredPosition, options: StoredOption[], name: string): Promise<NoticePdf> => ({
    filename: `avviso-${name}.pdf`,
    pdf: await renderNotice({ position, options, cbill: cbill.get(position.organizationFiscalCode) }),
  });

  return {
    /** The notice of a whole position: every option that can be paid now (single payment, installments). */
    async forPosition(ec: string, iupd: string): Promise<NoticePdf> {
      const loaded = await load(ec, iupd);
      if (!loaded) throw errors.positionNotFound(ec, iupd);
      return render(loaded.position, assertPositionPayable(loaded.position, loaded.states), iupd);
    },

    /** The notice of one option (the single payment or one installment), by its notice number. */
    async forNotice(ec: string, nav: string): Promise<NoticePdf> {
      const found = await getOptionWithPosition(db, ec, nav);
      const loaded = found && (await load(ec, found.iupd));
      if (!loaded) throw errors.optionNotFound(ec, nav);
      return render(loaded.position, [assertOptionPayable(loaded.position, loaded.states, nav)], nav);
    },
  };
}

export type NoticeDocumentService = ReturnType<typeof createNoticeDocumentService>;
