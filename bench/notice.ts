/**
 * npm run bench:notice: time to render the example payment notice (two pages, four QR codes) against
 * a bare pdfkit page in the same run, so the ratio holds when the machine's speed drifts.
 * In-process timing over many renders after a warm-up; prints the medians and the ratio.
 */
import PDFDocument from "pdfkit";
import { examplePosition } from "../src/notice/example.ts";
import { renderNotice } from "../src/notice/pdf.ts";

const RUNS = Number(process.env.BENCH_NOTICE_RUNS ?? 40);

/** A one-page pdfkit document with one line of text: the floor of any PDF we write. */
function barePage(): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4" });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.text("Avviso di pagamento");
  doc.end();
  return done;
}

async function medianMs(render: () => Promise<Buffer>): Promise<number> {
  for (let i = 0; i < 5; i++) await render();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await render();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const notice = () => renderNotice({ position: examplePosition, options: examplePosition.options, cbill: "AAAAA" });
const bare = await medianMs(barePage);
const example = await medianMs(notice);
console.log(`payment notice (2 pages, 4 QR codes): median ${example.toFixed(1)} ms over ${RUNS} renders`);
console.log(`bare pdfkit page:                     median ${bare.toFixed(1)} ms`);
console.log(`ratio notice / bare page:             ${(example / bare).toFixed(1)}`);
