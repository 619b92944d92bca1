/**
 * The payment notice ("avviso di pagamento") as an A4 PDF, laid out after the pagoPA notice model:
 * title and object, creditor institution and addressee, how much and by when, where to pay, then
 * one section per payment option (sections.ts: a single payment, or a plan of installments with its
 * total and dates), each installment on a payment slip of its own with its pagoPA QR code, notice
 * code and, when the EC has one, its CBILL code.
 *
 * A pure function of the position and the options to print: no database, no clock. A notice has one
 * addressee, the debtor of the options it prints (co-obligors each get a notice: addressees.ts).
 * Text is real text in an embedded TrueType font (DejaVu Sans Condensed, subset to the glyphs used),
 * so it can be selected, searched and read aloud, and any debtor name prints (Latin, Greek, Cyrillic...).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { create as parseFont } from "fontkit";
import PDFDocument from "pdfkit";
import { formatNoticeCode } from "../domain/noticeNumber.ts";
import type { Debtor } from "../domain/position.ts";
import type { StoredOption, StoredPosition } from "../domain/stored.ts";
import { romeDate } from "../domain/time.ts";
import { addresseeOf } from "./addressees.ts";
import { noticeQr, type NoticeQr } from "./qr.ts";
import { noticeSections, slipName, slipsOf, type NoticeSection, type NoticeSlip } from "./sections.ts";

export interface NoticeDocument {
  /** The position: EC name and fiscal code, office, its plans and their debtors. */
  position: StoredPosition;
  /** The options to print, each on its own slip (normally the payable ones of one debtor), grouped by plan when printed. */
  options: readonly StoredOption[];
  /** The EC's CBILL code, printed on each slip when given. */
  cbill?: string;
}

/**
 * The fonts are read and parsed once per process and shared by every document (pdfkit takes a
 * parsed fontkit font; each document still embeds its own subset of the glyphs it uses). Parsing
 * them again for each notice was about half of its render time. fontkit is a direct dependency on
 * the major version pdfkit depends on (2.x); pdfkit recognises a parsed font by its layout method,
 * not by its class, so the copy it loads itself need not be this one.
 */
const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
function font(file: string): PDFKit.Mixins.PDFFontSource {
  const parsed = parseFont(readFileSync(join(FONT_DIR, file)));
  if (!("layout" in parsed)) throw new Error(`${file} is a font collection, not one font`);
  // @types/pdfkit lists only paths and bytes as font sources; pdfkit itself also takes a fontkit font
  return parsed as unknown as PDFKit.Mixins.PDFFontSource;
}
const REGULAR = font("DejaVuSansCondensed.ttf");
const BOLD = font("DejaVuSansCondensed-Bold.ttf");

const TEXT = "#17324D";
const ACCENT = "#0066CC";
const MUTED = "#5C6F82";
const RULE = "#C5D0DB";
const BAND = "#EAF1F8";

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = 40;
const CONTENT = PAGE.width - 2 * MARGIN;
/** Lowest y a slip may reach: the footer lives below it. */
const BOTTOM = PAGE.height - 58;
const SLIP_HEIGHT = 186;
const SLIP_GAP = 12;
/** A section's heading: title and total, its dates, a line on installments. */
const HEADING_HEIGHT = 40;
const SECTION_GAP = 6;
/** Where the slips of a continuation page begin, under its short header. */
const CONTINUATION_TOP = MARGIN + 56;
const QR_SIZE = 112;

const messages = {
  title: "AVVISO DI PAGAMENTO",
  brand: "pagoPA",
  creditor: "ENTE CREDITORE",
  addressee: "DESTINATARIO AVVISO",
  howMuch: "QUANTO E QUANDO PAGARE?",
  where: "DOVE PAGARE?",
  whereList: "Lista dei canali di pagamento su www.pagopa.gov.it",
  online: "PAGA SUL SITO O CON LE APP",
  onlineText: "del tuo Ente Creditore, della tua Banca o degli altri canali di pagamento. Potrai pagare con carte, conto corrente, CBILL.",
  onSite: "PAGA SUL TERRITORIO",
  onSiteText: "in tutti gli Uffici Postali, in Banca, in Ricevitoria, dal Tabaccaio, al Bancomat, al Supermercato. Potrai pagare in contanti, con carte o conto corrente.",
  amountNote:
    "L'importo è aggiornato automaticamente dal sistema e potrebbe subire variazioni per eventuali sgravi, note di credito, indennità di mora, sanzioni o interessi, ecc. Un operatore, il sito o l'app che userai ti potrebbero quindi chiedere una cifra diversa da quella qui indicata.",
  choose: "Utilizza la porzione di avviso relativa alla rata e al canale di pagamento che preferisci.",
  channels: "BANCHE E ALTRI CANALI",
  slipText: (cbill: boolean) =>
    `Qui accanto trovi il codice QR${cbill ? " e il codice interbancario CBILL" : ""} per pagare attraverso il circuito bancario e gli altri canali di pagamento abilitati.`,
  single: "RATA UNICA",
  installments: (n: number) => `PAGAMENTO IN ${n} RATE`,
  continued: "(segue)",
  /** "Puoi pagare con una unica rata, in 3 rate o in 5 rate." */
  choice: (ways: readonly string[]) => `Puoi pagare ${ways.length > 1 ? `${ways.slice(0, -1).join(", ")} o ${ways[ways.length - 1]!}` : ways[0]!}: scegli una delle opzioni qui sotto. `,
  installmentsText: "Ogni rata ha il suo codice avviso e la sua scadenza: paga ciascuna rata con la sua porzione di avviso.",
};

/** Cents as Italian euro: "1.234,56 €". */
export function formatEuro(cents: number): string {
  return `${formatAmount(cents)} €`;
}

/** Cents as an Italian decimal with thousands dots: "1.234,56". */
export function formatAmount(cents: number): string {
  const whole = Math.trunc(cents / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${whole},${String(cents % 100).padStart(2, "0")}`;
}

/** An instant as the Europe/Rome calendar day, dd/mm/yyyy. */
export function formatDay(iso: string): string {
  const [y, m, d] = romeDate(new Date(iso)).split("-");
  return `${d}/${m}/${y}`;
}

/** The QR codes a notice embeds, one per slip, in print order. */
export function noticeQrCodes(notice: NoticeDocument): Promise<NoticeQr[]> {
  return Promise.all(slipsOf(noticeSections(notice.position, notice.options)).map(({ option }) => noticeQr(option.nav, notice.position.organizationFiscalCode, option.amount)));
}

function address(debtor: Debtor): string[] {
  const street = [debtor.streetName, debtor.civicNumber].filter(Boolean).join(" ");
  const town = [debtor.postalCode, debtor.city, debtor.province ? `(${debtor.province})` : undefined].filter(Boolean).join(" ");
  return [street, town, debtor.country && debtor.country !== "IT" ? debtor.country : ""].filter(Boolean);
}

const lastDue = (section: NoticeSection) => section.slips[section.slips.length - 1]?.option.dueDate ?? "";
const firstDue = (section: NoticeSection) => section.slips[0]?.option.dueDate ?? "";

/** How a section is paid, as the headline says it: "entro il 31/05/2026" or "in 3 rate". */
function sectionWhen(section: NoticeSection): string {
  return section.slips.length === 1 ? `entro il ${formatDay(firstDue(section))}` : `in ${section.slips.length} rate`;
}

/** The headline amount and the sentences under it: the first option's, and the choice when there are several. */
function summary(sections: readonly NoticeSection[]): { amount: number; when: string; note: string } {
  const [first] = sections;
  if (!first) return { amount: 0, when: "", note: messages.amountNote };
  const ways = [...new Set(sections.map((s) => (s.size === 1 ? "con una unica rata" : `in ${s.slips.length} rate`)))];
  const lead =
    sections.length > 1
      ? messages.choice(ways)
      : first.size === 1
        ? ""
        : first.slips.length === 1
          ? `Rata ${first.slips[0]!.index} di ${first.size} del pagamento rateale. `
          : `La prima rata scade il ${formatDay(firstDue(first))}. `;
  return { amount: first.total, when: sectionWhen(first), note: lead + messages.amountNote };
}

/** The lines under a section's title: its description, validity and due dates. */
function sectionDetails(section: NoticeSection): string {
  const parts = [
    section.info?.description,
    section.size > 1 && section.slips.length < section.size ? `restano ${section.slips.length} rate di ${section.size}` : undefined,
    section.info?.validityDate ? `pagabile dal ${formatDay(section.info.validityDate)}` : undefined,
    section.slips.length === 1 ? `entro il ${formatDay(firstDue(section))}` : `prima rata entro il ${formatDay(firstDue(section))}, ultima entro il ${formatDay(lastDue(section))}`,
  ];
  return parts.filter(Boolean).join(" · ");
}

export async function renderNotice(notice: NoticeDocument): Promise<Buffer> {
  const { position, options } = notice;
  const debtor = addresseeOf(position, options);
  const sections = noticeSections(position, options);
  const qrs = new Map((await noticeQrCodes(notice)).map((qr) => [qr.nav, qr]));
  const first = slipsOf(sections)[0]?.option;
  const doc = new PDFDocument({
    size: "A4",
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: 20 },
    bufferPages: true,
    autoFirstPage: true,
    lang: "it-IT",
    displayTitle: true,
    info: {
      Title: `Avviso di pagamento ${first ? formatNoticeCode(first.nav) : position.iupd}`,
      Author: position.companyName,
      Subject: first?.description ?? "",
      Creator: "stazione",
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.registerFont("regular", REGULAR);
  doc.registerFont("bold", BOLD);

  /** One block of text at a fixed place, cut with an ellipsis past `lines` lines: never flows to a new page. */
  const put = (text: string, x: number, y: number, o: { width: number; size: number; bold?: boolean; color?: string; lines?: number; align?: "left" | "right" | "center" }) => {
    doc.font(o.bold ? "bold" : "regular").fontSize(o.size).fillColor(o.color ?? TEXT);
    const lineHeight = doc.currentLineHeight(true);
    const height = lineHeight * (o.lines ?? 1);
    doc.text(text, x, y, { width: o.width, height, ellipsis: true, align: o.align ?? "left", lineGap: 0 });
    return Math.min(doc.heightOfString(text, { width: o.width, lineGap: 0 }), height);
  };
  const rule = (y: number) => doc.moveTo(MARGIN, y).lineTo(MARGIN + CONTENT, y).lineWidth(0.6).strokeColor(RULE).stroke();
  const labelled = (label: string, value: string, x: number, y: number, width: number, align: "left" | "right" = "left") => {
    put(label, x, y, { width, size: 7.5, color: MUTED, align });
    put(value, x, y + 10, { width, size: 10, bold: true, align });
  };
  const ecName = position.companyName;
  const ecCode = position.organizationFiscalCode;
  const halfWidth = (CONTENT - 20) / 2;
  const right = MARGIN + halfWidth + 20;

  // Header: title, object, brand.
  put(messages.title, MARGIN, MARGIN, { width: CONTENT - 120, size: 22, bold: true });
  put(messages.brand, MARGIN + CONTENT - 120, MARGIN, { width: 120, size: 22, bold: true, color: ACCENT, align: "right" });
  put(first?.description ?? "", MARGIN, MARGIN + 32, { width: CONTENT - 120, size: 12, lines: 2 });
  rule(MARGIN + 68);

  // Creditor institution and addressee.
  let y = MARGIN + 80;
  put(messages.creditor, MARGIN, y, { width: halfWidth, size: 9, bold: true, color: ACCENT });
  put(`Cod. Fiscale ${ecCode}`, MARGIN, y, { width: halfWidth, size: 9, align: "right" });
  const ecBottom = y + 18 + put(ecName, MARGIN, y + 16, { width: halfWidth, size: 13, bold: true, lines: 2 });
  if (position.officeName) put(position.officeName, MARGIN, ecBottom, { width: halfWidth, size: 10, color: MUTED, lines: 2 });
  put(messages.addressee, right, y, { width: halfWidth, size: 9, bold: true, color: ACCENT });
  put(`Cod. Fiscale ${debtor.fiscalCode}`, right, y, { width: halfWidth, size: 9, align: "right" });
  const debtorBottom = y + 18 + put(debtor.fullName, right, y + 16, { width: halfWidth, size: 13, bold: true, lines: 2 });
  address(debtor).forEach((line, i) => put(line, right, debtorBottom + i * 13, { width: halfWidth, size: 10, color: MUTED }));
  rule(y + 96);

  // How much and by when; where to pay.
  y += 108;
  const { amount, when, note } = summary(sections);
  put(messages.howMuch, MARGIN, y, { width: halfWidth, size: 11, bold: true });
  doc.font("bold").fontSize(20);
  const amountText = formatEuro(amount);
  const amountWidth = Math.min(doc.widthOfString(amountText), halfWidth - 10);
  put(amountText, MARGIN, y + 20, { width: halfWidth, size: 20, bold: true, color: ACCENT });
  put(when, MARGIN + amountWidth + 8, y + 27, { width: halfWidth - amountWidth - 8, size: 12 });
  put(note, MARGIN, y + 52, { width: halfWidth, size: 8, color: MUTED, lines: 8 });
  put(messages.where, right, y, { width: halfWidth, size: 11, bold: true });
  put(messages.whereList, right, y + 16, { width: halfWidth, size: 9 });
  put(messages.online, right, y + 38, { width: halfWidth, size: 9, bold: true, color: ACCENT });
  put(messages.onlineText, right, y + 50, { width: halfWidth, size: 8, color: MUTED, lines: 3 });
  put(messages.onSite, right, y + 84, { width: halfWidth, size: 9, bold: true, color: ACCENT });
  put(messages.onSiteText, right, y + 96, { width: halfWidth, size: 8, color: MUTED, lines: 3 });
  rule(y + 136);
  put(messages.choose, MARGIN, y + 146, { width: CONTENT, size: 9, bold: true });

  /** Pages after the first repeat who owes whom, so a loose page still says whose notice it is. */
  const continuationPage = () => {
    doc.addPage();
    put(messages.title, MARGIN, MARGIN, { width: CONTENT - 120, size: 13, bold: true });
    put(messages.brand, MARGIN + CONTENT - 120, MARGIN, { width: 120, size: 13, bold: true, color: ACCENT, align: "right" });
    put(`${messages.creditor}: ${ecName} (Cod. Fiscale ${ecCode}) · ${messages.addressee}: ${debtor.fullName} (Cod. Fiscale ${debtor.fiscalCode})`, MARGIN, MARGIN + 20, {
      width: CONTENT,
      size: 8,
      color: MUTED,
      lines: 2,
    });
    rule(MARGIN + 44);
  };

  /** A section's title, total and dates; again, marked as continued, atop a page its slips run on to. */
  const sectionHeading = (section: NoticeSection, continued: boolean, top: number) => {
    const title = section.size === 1 ? messages.single : messages.installments(section.size);
    put(continued ? `${title} ${messages.continued}` : title, MARGIN, top, { width: CONTENT - 140, size: 11, bold: true });
    put(formatEuro(section.total), MARGIN + CONTENT - 140, top, { width: 140, size: 11, bold: true, color: ACCENT, align: "right" });
    put(sectionDetails(section), MARGIN, top + 15, { width: CONTENT, size: 8, color: MUTED });
    if (section.size > 1) put(messages.installmentsText, MARGIN, top + 25, { width: CONTENT, size: 8, color: MUTED });
  };

  const slip = (section: NoticeSection, printed: NoticeSlip, top: number) => {
    const { option } = printed;
    doc.roundedRect(MARGIN, top, CONTENT, SLIP_HEIGHT, 6).lineWidth(0.8).strokeColor(RULE).stroke();
    doc.save().roundedRect(MARGIN, top, CONTENT, 24, 6).clip().rect(MARGIN, top, CONTENT, 24).fill(BAND).restore();
    put(messages.channels, MARGIN + 12, top + 7, { width: 200, size: 10, bold: true, color: ACCENT });
    put(`${slipName(section, printed)} entro il ${formatDay(option.dueDate)}`, MARGIN + 212, top + 7, { width: CONTENT - 224, size: 10, bold: true, align: "right" });
    doc.image(qrs.get(option.nav)!.png, MARGIN + 8, top + 34, { width: QR_SIZE, height: QR_SIZE });
    const x = MARGIN + QR_SIZE + 20;
    const width = MARGIN + CONTENT - 12 - x;
    put(messages.slipText(notice.cbill !== undefined), x, top + 32, { width, size: 8, color: MUTED, lines: 2 });
    labelled("Destinatario", debtor.fullName, x, top + 58, width - 120);
    labelled("Euro", formatAmount(option.amount), x + width - 110, top + 58, 110, "right");
    labelled("Ente Creditore", ecName, x, top + 86, width);
    labelled("Oggetto del pagamento", option.description, x, top + 114, width);
    const codes = top + 146;
    let cx = x;
    if (notice.cbill !== undefined) {
      labelled("Codice CBILL", notice.cbill, cx, codes, 70);
      cx += 80;
    }
    labelled("Codice Avviso", formatNoticeCode(option.nav), cx, codes, 150);
    labelled("Cod. Fiscale Ente Creditore", ecCode, x + width - 130, codes, 130, "right");
  };

  // Lay the blocks out first (page, top), then draw. A slip is never split across pages, and a
  // section's heading always has its first slip under it; a section that runs on to a new page
  // repeats its heading there, so each page says which option its slips belong to.
  const blocks: Array<{ page: number; top: number; draw: (top: number) => void }> = [];
  let page = 0;
  let cursor = y + 166;
  for (const section of sections) {
    section.slips.forEach((s, k) => {
      const broke = cursor + (k === 0 ? HEADING_HEIGHT : 0) + SLIP_HEIGHT > BOTTOM;
      if (broke) {
        page += 1;
        cursor = CONTINUATION_TOP;
      }
      if (k === 0 || broke) {
        blocks.push({ page, top: cursor, draw: (top) => sectionHeading(section, k > 0, top) });
        cursor += HEADING_HEIGHT;
      }
      blocks.push({ page, top: cursor, draw: (top) => slip(section, s, top) });
      cursor += SLIP_HEIGHT + SLIP_GAP;
    });
    cursor += SECTION_GAP;
  }
  for (const block of blocks) {
    if (block.page > doc.bufferedPageRange().count - 1) continuationPage();
    block.draw(block.top);
  }

  // Footer: which position, which page.
  const { count } = doc.bufferedPageRange();
  for (let n = 0; n < count; n++) {
    doc.switchToPage(n);
    put(`${ecName} · Posizione debitoria ${position.iupd}`, MARGIN, PAGE.height - 36, { width: CONTENT - 80, size: 7, color: MUTED });
    put(`Pagina ${n + 1} di ${count}`, MARGIN + CONTENT - 80, PAGE.height - 36, { width: 80, size: 7, color: MUTED, align: "right" });
  }
  doc.end();
  return done;
}
