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
import { examplePosition } from "../notice/example.ts";
import { renderNotice } from "../notice/pdf.ts";

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
