/**
 * Renders the example payment notice shown in the README, from made-up data (no database):
 *
 *   npx tsx src/cli/notice-example.ts [folder]      (default: docs)
 *
 * writes notice-example.pdf (a plan: single payment and 3 installments, two pages) and
 * notice-example.png (both pages side by side at 100 dpi; needs poppler's pdftoppm). A tool for
 * the docs: it uses pngjs, a development dependency.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { PNG } from "pngjs";
import { iuvWithCheckDigit, navOfIuv } from "../domain/noticeNumber.ts";
import type { StoredOption, StoredPosition } from "../domain/stored.ts";
import { renderNotice } from "../notice/pdf.ts";

const EC = "77777777777";
const scheme = { auxDigit: "3" as const, segregationCodes: [] };

function option(base: string, amount: number, description: string, isPartialPayment: boolean, dueDate: string): StoredOption {
  const iuv = iuvWithCheckDigit(base, scheme);
  const at = "2026-03-02T09:00:00Z";
  return {
    plan: isPartialPayment ? 1 : 0,
    nav: navOfIuv(iuv, scheme),
    iuv,
    organizationFiscalCode: EC,
    amount,
    description,
    isPartialPayment,
    dueDate,
    fee: 0,
    notificationFee: 0,
    status: "PO_UNPAID",
    noticeState: "OK",
    insertedDate: at,
    lastUpdatedDate: at,
    metadata: [],
    transfers: [],
  };
}

const debtor = { type: "F", fiscalCode: "RSSMRA80A01H501U", fullName: "Mario Rossi", streetName: "Via Roma", civicNumber: "1", postalCode: "00100", city: "Roma", province: "RM", country: "IT" } as const;

const examplePosition: StoredPosition = {
  organizationFiscalCode: EC,
  iupd: "TARI-2026-000123",
  debtor,
  companyName: "Comune di Esempio",
  officeName: "Ufficio Tributi",
  switchToExpired: false,
  payStandIn: true,
  status: "VALID",
  insertedDate: "2026-03-02T09:00:00Z",
  lastUpdatedDate: "2026-03-02T09:00:00Z",
  version: 1,
  plans: [0, 1].map(() => ({ debtor, switchToExpired: false, insertedDate: "2026-03-02T09:00:00Z" })),
  options: [
    option("020000000012345", 36000, "TARI 2026 - Tassa sui rifiuti, rata unica", false, "2026-05-31T21:59:59Z"),
    option("020000000012346", 12000, "TARI 2026 - Tassa sui rifiuti, rata 1 di 3", true, "2026-05-31T21:59:59Z"),
    option("020000000012347", 12000, "TARI 2026 - Tassa sui rifiuti, rata 2 di 3", true, "2026-07-31T21:59:59Z"),
    option("020000000012348", 12000, "TARI 2026 - Tassa sui rifiuti, rata 3 di 3", true, "2026-09-30T21:59:59Z"),
  ],
};

/** Pages side by side on a light grey background, as one PNG. */
function sideBySide(pages: Buffer[]): Buffer {
  const images = pages.map((p) => PNG.sync.read(p));
  const gap = 24;
  const width = images.reduce((w, i) => w + i.width, 0) + gap * (images.length + 1);
  const height = Math.max(...images.map((i) => i.height)) + 2 * gap;
  const out = new PNG({ width, height });
  out.data.fill(0xdd);
  let x = gap;
  for (const image of images) {
    PNG.bitblt(image, out, 0, 0, image.width, image.height, x, gap);
    x += image.width + gap;
  }
  return PNG.sync.write(out, { colorType: 2 });
}

async function main(folder: string): Promise<void> {
  const pdf = await renderNotice({ position: examplePosition, options: examplePosition.options, cbill: "AAAAA" });
  await writeFile(join(folder, "notice-example.pdf"), pdf);
  const work = await mkdtemp(join(tmpdir(), "notice-example-"));
  try {
    await writeFile(join(work, "notice.pdf"), pdf);
    await promisify(execFile)("pdftoppm", ["-r", "100", "-png", join(work, "notice.pdf"), join(work, "page")]);
    const files = (await readdir(work)).filter((f) => f.endsWith(".png")).sort();
    const pages = await Promise.all(files.map((f) => readFile(join(work, f))));
    await writeFile(join(folder, "notice-example.png"), sideBySide(pages));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  console.log(`wrote ${join(folder, "notice-example.pdf")} and notice-example.png`);
}

await main(resolve(process.argv[2] ?? "docs"));
