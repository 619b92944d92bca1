/**
 * Payment notices as documents: load the position, assert it (or the one notice asked for) can be
 * paid now, render the PDF. Read-only, so no transaction: a notice reflects one consistent read of
 * the position (one statement), and a payment that lands a moment later is caught when the printed
 * QR code is used, as paVerifyPaymentNotice answers then.
 */
import { errors } from "../domain/errors.ts";
import { assertOptionPayable, assertPositionPayable } from "../domain/payable.ts";
import type { StoredOption, StoredPosition } from "../domain/stored.ts";
import { renderNotice } from "../notice/pdf.ts";
import type { Sql } from "../store/db.ts";
import { getOptionByNav, getPosition } from "../store/positions.ts";

export interface NoticePdf {
  /** A file name for the download: avviso-<iupd or notice number>.pdf. */
  filename: string;
  pdf: Buffer;
}

export function createNoticeDocumentService(deps: { db: Sql; cbill: ReadonlyMap<string, string>; now?: () => Date }) {
  const { db, cbill } = deps;
  const now = deps.now ?? (() => new Date());

  const render = async (position: StoredPosition, options: StoredOption[], name: string): Promise<NoticePdf> => ({
    filename: `avviso-${name}.pdf`,
    pdf: await renderNotice({ position, options, cbill: cbill.get(position.organizationFiscalCode) }),
  });

  return {
    /** The notice of a whole position: every option that can be paid now (single payment, installments). */
    async forPosition(ec: string, iupd: string): Promise<NoticePdf> {
      const position = await getPosition(db, ec, iupd);
      if (!position) throw errors.positionNotFound(ec, iupd);
      return render(position, assertPositionPayable(position, now()), iupd);
    },

    /** The notice of one option (the single payment or one installment), by its notice number. */
    async forNotice(ec: string, nav: string): Promise<NoticePdf> {
      const found = await getOptionByNav(db, ec, nav);
      const position = found && (await getPosition(db, ec, found.iupd));
      if (!position) throw errors.optionNotFound(ec, nav);
      return render(position, [assertOptionPayable(position, nav, now())], nav);
    },
  };
}

export type NoticeDocumentService = ReturnType<typeof createNoticeDocumentService>;
