/**
 * Sends 1 MiB request bodies of adversarial shapes back to back on two connections for the given
 * seconds (beside the benchmark's verify traffic): prints READY once the bodies are built, then how
 * many were answered and the slowest answer as JSON. Usage: tsx bench/adversarial.ts <port> <seconds>
 */
import { ADVERSARIAL_SHAPES, filledTo } from "../test/support/adversarial.ts";

const [port, seconds] = process.argv.slice(2).map(Number) as [number, number];
const LIMIT = 1_048_576;
const MARKER = "FILL";
const REQUEST =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body>' +
  `<pafn:paSendRTReq><idPA>77777777777</idPA><idBrokerPA>77777777777</idBrokerPA><idStation>77777777777_01</idStation><receipt><receiptId>adversarial</receiptId><description>${MARKER}</description></receipt></pafn:paSendRTReq></soapenv:Body></soapenv:Envelope>`;
const bodies = Object.values(ADVERSARIAL_SHAPES).map((fill) => filledTo(REQUEST, MARKER, LIMIT, fill));

console.log("READY");
const until = Date.now() + seconds * 1000;
let answered = 0;
let slowestMs = 0;
async function sender(offset: number): Promise<void> {
  for (let i = offset; Date.now() < until; i++) {
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/paForNode`, { method: "POST", headers: { "content-type": "text/xml; charset=utf-8", soapaction: "paSendRT" }, body: bodies[i % bodies.length] });
    await res.arrayBuffer();
    slowestMs = Math.max(slowestMs, performance.now() - started);
    if (res.status !== 500 && res.status !== 200) throw new Error(`adversarial body answered ${res.status}`);
    answered++;
  }
}
await Promise.all([sender(0), sender(7)]);
console.log(`JSON ${JSON.stringify({ answered, slowestMs: Math.round(slowestMs), shapes: bodies.length })}`);
