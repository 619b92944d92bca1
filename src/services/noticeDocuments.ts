/**
 * Payment notices as documents: load the position and the state of each of its options, assert it
 * (or the one notice asked for) can be paid now, render the PDF. The states are those
 * paVerifyPaymentNotice answers (store/payments.ts noticeStates), so the database alone decides what
 * is payable. Read-only, so no transaction: the position is read first and the states after it, so
 * the decision is never older than what is printed; a payment that lands a moment later is caught
 * when the printed QR code is used, as paVerifyPaymentNotice answers then.
 *
 * A notice has one addressee. Co-obligors (GPD v3 options of different debtors) each get their own,
 * holding only their options: a position's notice is then asked for by debtor, or all of them at once.
 */
import { errors } from "../domain/errors.ts";
import { assertOptionPayable, assertPositionPayable } from "../domain/payable.ts";
import type { Debtor } from "../domain/position.ts";
import type { StoredOption, StoredPosition } from "../domain/stored.ts";
import { debtorOf, debtorsOf, optionsOfDebtor, sameFiscalCode } from "../notice/addressees.ts";
import { noticeSections, slipsOf } from "../notice/sections.ts";
import type { Sql } from "../store/db.ts";
import { noticeStates } from "../store/payments.ts";
import { getOptionWithPosition, getPosition } from "../store/positions.ts";

/** A notice a position has, without its PDF. */
export interface NoticeListing {
  /** What the notice is named by: the IUPD, the IUPD and the addressee's fiscal code (co-obligors), or the notice number. */
  name: string;
  /** A file name for the download: avviso-<name>.pdf. */
  filename: string;
  /** Who it is addressed to. */
  debtor: Debtor;
  /** The notice numbers it prints, in print order. */
  noticeNumbers: string[];
}

export interface NoticePdf extends Omit<NoticeListing, "noticeNumbers"> {
  pdf: Buffer;
}

/** A fiscal code as it may stand in a file name: the schema allows any 2 to 16 characters, a file name does not. */
const FILE_SAFE = /^[A-Za-z0-9]{1,16}$/;
const fileName = (name: string) => `avviso-${name}.pdf`;

/** The renderer (pdfkit, fontkit, fonts) is loaded for the first notice, not at every start of the station. */
let renderer: Promise<typeof import("../notice/pdf.ts")> | undefined;
const renderNotice: (typeof import("../notice/pdf.ts"))["renderNotice"] = async (...args) => (await (renderer ??= import("../notice/pdf.ts"))).renderNotice(...args);

export function createNoticeDocumentService(deps: { db: Sql; cbill: ReadonlyMap<string, string> }) {
  const { db, cbill } = deps;

  /** The position, its debtors and the options a notice prints now (position first: see the module comment). */
  const loadPayable = async (ec: string, iupd: string) => {
    const position = await getPosition(db, ec, iupd);
    if (!position) throw errors.positionNotFound(ec, iupd);
    const printed = assertPositionPayable(position, await noticeStates(db, ec, iupd));
    return { position, printed, debtors: debtorsOf(position) };
  };

  const render = async (position: StoredPosition, options: StoredOption[], debtor: Debtor, name: string): Promise<NoticePdf> => ({
    name,
    filename: fileName(name),
    debtor,
    pdf: await renderNotice({ position, options, cbill: cbill.get(position.organizationFiscalCode) }),
  });

  /** A co-obligor's notice is named <iupd>-<fiscal code> (or -debitore-<n> for a code a file name cannot hold). */
  const debtorName = (iupd: string, debtors: readonly Debtor[], debtor: Debtor) =>
    debtors.length === 1 ? iupd : `${iupd}-${FILE_SAFE.test(debtor.fiscalCode) ? debtor.fiscalCode.toUpperCase() : `debitore-${debtors.indexOf(debtor) + 1}`}`;

  const perDebtor = async (ec: string, iupd: string) => {
    const { position, printed, debtors } = await loadPayable(ec, iupd);
    const notices = debtors.map((debtor) => ({ debtor, options: optionsOfDebtor(position, printed, debtor.fiscalCode), name: debtorName(iupd, debtors, debtor) }));
    return { position, notices: notices.filter((n) => n.options.length > 0) };
  };

  return {
    /**
     * The notice of a whole position: every option that can be paid now (single payments, plans of
     * installments). A position with co-obligors has one notice per debtor: `debtorFiscalCode` says
     * whose (any case), and is required then.
     */
    async forPosition(ec: string, iupd: string, debtorFiscalCode?: string): Promise<NoticePdf> {
      const { position, printed, debtors } = await loadPayable(ec, iupd);
      if (debtorFiscalCode === undefined) {
        if (debtors.length > 1) {
          const codes = debtors.map((d) => d.fiscalCode).join(", ");
          throw errors.badRequest("debtorFiscalCode", `is required: debt position ${iupd} has co-obligors (${codes}), each with a notice of their own`);
        }
        return render(position, printed, debtors[0] ?? position.debtor, iupd);
      }
      const debtor = debtors.find((d) => sameFiscalCode(d.fiscalCode, debtorFiscalCode));
      if (!debtor) throw errors.notFound("Debtor not found", `Debt position ${iupd} has no payment option of debtor ${debtorFiscalCode}`);
      const own = optionsOfDebtor(position, printed, debtor.fiscalCode);
      if (own.length === 0) throw errors.notPayable(`Debt position ${iupd}`, `has no payment option of debtor ${debtor.fiscalCode} left to pay`);
      return render(position, own, debtor, debtorName(iupd, debtors, debtor));
    },

    /** The notices a position has now, one per debtor with an option payable now, in the order of their options; not rendered. */
    async list(ec: string, iupd: string): Promise<NoticeListing[]> {
      const { position, notices } = await perDebtor(ec, iupd);
      return notices.map(({ debtor, options, name }) => ({ name, filename: fileName(name), debtor, noticeNumbers: slipsOf(noticeSections(position, options)).map((s) => s.option.nav) }));
    },

    /** Every notice of a whole position, one per debtor with an option payable now, in the order of their options. */
    async forPositionPerDebtor(ec: string, iupd: string): Promise<NoticePdf[]> {
      const { position, notices } = await perDebtor(ec, iupd);
      return Promise.all(notices.map(({ debtor, options, name }) => render(position, options, debtor, name)));
    },

    /** The notice of one option (the single payment or one installment), by its notice number, addressed to its debtor. */
    async forNotice(ec: string, nav: string): Promise<NoticePdf> {
      const found = await getOptionWithPosition(db, ec, nav);
      const position = found && (await getPosition(db, ec, found.iupd));
      if (!position) throw errors.optionNotFound(ec, nav);
      const option = assertOptionPayable(position, await noticeStates(db, ec, position.iupd), nav);
      return render(position, [option], debtorOf(position, option), nav);
    },
  };
}

export type NoticeDocumentService = ReturnType<typeof createNoticeDocumentService>;
