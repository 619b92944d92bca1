/**
 * Reading payment notices back: the text of each page (pdf.js), the pages as PNG (pdftoppm from
 * poppler-utils) and every QR code on a PNG (jsQR).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import jsQRModule from "jsqr";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { PNG } from "pngjs";
import type { Debtor } from "../../src/domain/position.ts";
import type { StoredOption, StoredPosition } from "../../src/domain/stored.ts";
import { EC } from "../support/app.ts";
import { nextNotice } from "../support/factories.ts";

const run = promisify(execFile);
/** jsqr is CommonJS whose typings declare an ES default export; at run time the module is the function. */
const jsQR = ((jsQRModule as unknown as { default?: typeof jsQRModule.default }).default ?? jsQRModule) as unknown as typeof jsQRModule.default;

/** The text of each page, lines joined with spaces and runs of white space (incl. no-break) as one space. */
export async function pdfPages(pdf: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      const text = content.items.map((item) => ("str" in item ? item.str : "")).join(" ");
      pages.push(text.replace(/\s+/g, " "));
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

export const pdfText = async (pdf: Buffer) => (await pdfPages(pdf)).join(" ");

let pdftoppm: Promise<boolean> | undefined;

/** Whether poppler's pdftoppm is installed (.ci/run installs it). */
export function hasPdftoppm(): Promise<boolean> {
  pdftoppm ??= run("pdftoppm", ["-v"]).then(
    () => true,
    () => false,
  );
  return pdftoppm;
}

/**
 * Each page as a PNG at the given resolution, rendered by pdftoppm; `leftPt`: only the strip that
 * far from the left edge (in points), where the slips' QR codes are, which reads several times faster.
 */
export async function rasterise(pdf: Buffer, dpi = 150, leftPt?: number): Promise<Buffer[]> {
  const dir = await mkdtemp(join(tmpdir(), "notice-raster-"));
  try {
    await writeFile(join(dir, "notice.pdf"), pdf);
    const crop = leftPt === undefined ? [] : ["-x", "0", "-y", "0", "-W", String(Math.round((leftPt * dpi) / 72)), "-H", String(Math.ceil((842 * dpi) / 72))];
    await run("pdftoppm", ["-r", String(dpi), ...crop, "-png", join(dir, "notice.pdf"), join(dir, "page")]);
    // page-1.png ... (zero-padded once there are 10 pages or more): the numeric part orders them
    const files = (await readdir(dir)).filter((f) => f.endsWith(".png")).sort((a, b) => pageNumber(a) - pageNumber(b));
    return Promise.all(files.map((f) => readFile(join(dir, f))));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const pageNumber = (file: string) => Number(/(\d+)\.png$/.exec(file)?.[1] ?? 0);

/**
 * Every QR code on a PNG, top to bottom, each with its height on the page (0 top, 1 bottom). jsQR finds
 * at most one code per call and may find none when several share the image, or when text around a code
 * hides it, so: look in overlapping horizontal bands a fifth of the page high (a code, its margin and a
 * quarter band's step), then in the whole image; paint each code found over in white and look again until
 * nothing more is found (at most 20 codes). Read at 144 dpi or more.
 */
function locateQrCodes(png: Buffer): Array<{ text: string; at: number }> {
  const image = PNG.sync.read(png);
  const { width, height } = image;
  const data = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  const band = Math.min(height, Math.round(height / 5));
  const windows: Array<{ top: number; rows: number }> = [];
  for (let top = 0; top < height; top += Math.round(band / 4)) windows.push({ top: Math.min(top, height - band), rows: band });
  windows.push({ top: 0, rows: height });
  const found: Array<{ text: string; y: number }> = [];
  // a window where nothing was found is not read again: painting a code over only takes from the page
  let next = 0;
  while (found.length < 20) {
    let code: ReturnType<typeof jsQR> = null;
    for (; next < windows.length && !code; next += code ? 0 : 1) {
      const { top, rows } = windows[next]!;
      code = jsQR(data.subarray(top * width * 4, (top + rows) * width * 4), width, rows, { inversionAttempts: "dontInvert" });
      // jsQR now and then "finds" an empty code where a band cuts a real one, or in text and rules: painting
      // that over would wipe part of the real code, so the window is passed over instead
      if (code?.data === "") code = null;
    }
    if (!code) break;
    const { top } = windows[next]!;
    const corners = [code.location.topLeftCorner, code.location.topRightCorner, code.location.bottomLeftCorner, code.location.bottomRightCorner];
    const pad = 12;
    const x0 = Math.max(0, Math.floor(Math.min(...corners.map((p) => p.x))) - pad);
    const x1 = Math.min(width, Math.ceil(Math.max(...corners.map((p) => p.x))) + pad);
    const y0 = Math.max(0, top + Math.floor(Math.min(...corners.map((p) => p.y))) - pad);
    const y1 = Math.min(height, top + Math.ceil(Math.max(...corners.map((p) => p.y))) + pad);
    for (let y = y0; y < y1; y++) data.fill(255, (y * width + x0) * 4, (y * width + x1) * 4);
    found.push({ text: code.data, y: y0 });
  }
  return found.sort((a, b) => a.y - b.y).map((f) => ({ text: f.text, at: f.y / height }));
}

/** The QR codes of each page of a notice, top to bottom: its slips' codes stand within 200 pt of the left edge. */
export async function readQrCodes(pdf: Buffer): Promise<string[][]> {
  // Each page is read at 150 dpi and again at 200 dpi, and the codes (which all differ) merged: a code
  // one resolution misses is rarely missed at the other.
  const [low, high] = await Promise.all([rasterise(pdf, 150, 200), rasterise(pdf, 200, 200)]);
  return low.map((png, page) => {
    const seen = new Map<string, number>();
    for (const { text, at } of [...locateQrCodes(png), ...locateQrCodes(high[page]!)]) if (!seen.has(text)) seen.set(text, at);
    return [...seen].sort((a, b) => a[1] - b[1]).map(([text]) => text);
  });
}

/** The one QR code of a PNG (the images embedded in the PDF carry one each), read from the whole image. */
export function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  const code = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height, { inversionAttempts: "dontInvert" });
  return code?.data || undefined;
}

/** A stored position as the store returns it, for the renderer (no database). */
export function storedPosition(overrides: Partial<StoredPosition> = {}): StoredPosition {
  const position: Omit<StoredPosition, "plans"> & { plans?: StoredPosition["plans"] } = {
    organizationFiscalCode: EC,
    iupd: `IUPD-NOTICE-${nextNotice().nav}`,
    debtor: { type: "F", fiscalCode: "RSSMRA80A01H501U", fullName: "Mario Rossi", streetName: "Via Roma", civicNumber: "1", postalCode: "00100", city: "Roma", province: "RM", country: "IT" },
    companyName: "Comune di Esempio",
    officeName: "Ufficio Tributi",
    switchToExpired: false,
    payStandIn: true,
    status: "VALID",
    insertedDate: "2026-01-10T09:00:00Z",
    lastUpdatedDate: "2026-01-10T09:00:00Z",
    version: 1,
    options: [storedOption()],
    ...overrides,
  };
  // one plan for each plan index the options name, with the position's debtor
  const planCount = Math.max(...position.options.map((o) => o.plan)) + 1;
  return { ...position, plans: position.plans ?? Array.from({ length: planCount }, () => ({ debtor: position.debtor, switchToExpired: position.switchToExpired, insertedDate: position.insertedDate })) };
}

export function storedOption(overrides: Partial<StoredOption> = {}): StoredOption {
  const { nav, iuv } = nextNotice();
  return {
    plan: overrides.isPartialPayment ? 1 : 0,
    noticeState: "OK",
    nav,
    iuv,
    organizationFiscalCode: EC,
    amount: 10000,
    description: "TARI 2026 - Tassa sui rifiuti",
    isPartialPayment: false,
    dueDate: "2099-12-31T22:59:59Z",
    fee: 0,
    notificationFee: 0,
    status: "PO_UNPAID",
    insertedDate: "2026-01-10T09:00:00Z",
    lastUpdatedDate: "2026-01-10T09:00:00Z",
    metadata: [],
    transfers: [],
    ...overrides,
  };
}

/** A plan: a single payment of `total` and `count` installments, each due at the end of a month of 2099. */
export function storedPlan(total: number, count: number, overrides: Partial<StoredPosition> = {}): StoredPosition {
  const share = Math.floor(total / count);
  const installments = Array.from({ length: count }, (_, i) =>
    storedOption({
      amount: i === count - 1 ? total - share * (count - 1) : share,
      isPartialPayment: true,
      description: `TARI 2026 - rata ${i + 1} di ${count}`,
      dueDate: `2099-0${i + 2}-15T10:00:00Z`,
    }),
  );
  return storedPosition({ options: [storedOption({ amount: total, dueDate: "2099-01-31T10:00:00Z" }), ...installments], ...overrides });
}

/**
 * A position of GPD v3 payment options: one plan per entry of `counts` (installments each, one: a
 * single payment), each of `total` cents, installment k due on the 28th of month k of 2099; plan k
 * owed by `debtors[k]` (the position's debtor where not given).
 */
export function storedPlans(counts: readonly number[], opts: { total?: number; debtors?: readonly Debtor[] } = {}): StoredPosition {
  const total = opts.total ?? 30000;
  const options = counts.flatMap((count, plan) => {
    const share = Math.floor(total / count);
    return Array.from({ length: count }, (_, i) =>
      storedOption({
        plan,
        amount: i === count - 1 ? total - share * (count - 1) : share,
        isPartialPayment: count > 1,
        description: count === 1 ? `Opzione ${plan + 1}: rata unica` : `Opzione ${plan + 1}: rata ${i + 1} di ${count}`,
        dueDate: `2099-${String((i % 12) + 1).padStart(2, "0")}-28T10:00:00Z`,
      }),
    );
  });
  const position = storedPosition({ options });
  position.plans = position.plans.map((p, k) => ({ ...p, debtor: opts.debtors?.[k] ?? p.debtor }));
  return position;
}
