/**
 * The two pagoPA platform services the gpd-payments suite talks to besides the station, played on loopback:
 *
 * - ApiConfig (`…/creditorinstitutions/{ec}`, `/brokers/{id}`, `/stations/{id}`, `/stations/{id}/creditorinstitutions/{ec}`,
 *   `/refresh/config`, `/info`): answers from the station's own configuration, so the suite finds its EC, broker and
 *   station registered, and an unknown EC gets 404 as it would in pagoPA.
 * - the Node's nodeForPsp endpoint (`/nodo/node-for-psp/v1`): `activatePaymentNoticeV2` is forwarded to the station
 *   as `paGetPaymentV2` (what the Node does) and answered with a payment token when the station answers OK;
 *   `sendPaymentOutcome` is answered OK for a token issued here. The suite then delivers the receipt to the station
 *   itself (`paSendRT`/`paSendRTV2`), so this Node sends none.
 *
 * Requests come only from the suite on loopback; the SOAP values are read with plain string search.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readAll } from "./recorder.ts";

export interface PlatformOptions {
  port: number;
  stationUrl: string;
  soapPath: string;
  organizations: readonly string[];
  brokerId: string;
  stationId: string;
  /** Segregation code ApiConfig reports for the EC–station association (the suite prefixes its IUVs with it). */
  segregationCode: string;
}

export interface RunningPlatform {
  apiConfigUrl: string;
  nodeUrl: string;
  stop(): Promise<void>;
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const tokens = new Set<string>();
  const server: Server = createServer((req, res) => {
    void readAll(req)
      .then((body) => route(options, tokens, req, body.toString("utf8"), res))
      .catch((error: unknown) => send(res, 500, "text/plain", String(error)));
  });
  await new Promise<void>((resolve) => server.listen(options.port, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${options.port}`;
  return {
    apiConfigUrl: `${base}/apiconfig/auth/api/v1`,
    nodeUrl: base,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function route(options: PlatformOptions, tokens: Set<string>, req: IncomingMessage, body: string, res: ServerResponse) {
  const path = (req.url ?? "/").split("?")[0]!;
  if (req.method === "POST" && path === "/nodo/node-for-psp/v1") return nodeForPsp(options, tokens, req, body, res);
  const api = path.startsWith("/apiconfig/auth/api/v1/") ? path.slice("/apiconfig/auth/api/v1".length) : undefined;
  if (req.method === "GET" && api !== undefined) return apiConfig(options, api.split("/").slice(1), res);
  send(res, 404, "application/json", JSON.stringify({ title: "Not Found", status: 404 }));
}

function apiConfig(options: PlatformOptions, parts: string[], res: ServerResponse) {
  const json = (status: number, value: unknown) => send(res, status, "application/json", JSON.stringify(value));
  const served = (ec: string | undefined) => ec !== undefined && options.organizations.includes(ec);
  const notFound = () => json(404, { title: "Not Found", status: 404 });
  const [head, id, sub, subId, extra] = parts;
  if (head === "info" && parts.length === 1) return json(200, { name: "apiconfig", environment: "peer" });
  if (head === "refresh" && id === "config") return json(200, {});
  if (head === "creditorinstitutions" && served(id)) {
    if (parts.length === 2) return json(200, { creditor_institution_code: id, business_name: id, enabled: true });
    if (sub === "ibans" && subId === "enhanced" && extra === undefined) return json(200, { ibans_enhanced: [] });
  }
  if (head === "brokers" && id === options.brokerId && parts.length === 2) {
    return json(200, { broker_code: id, enabled: true, extended_fault_bean: true });
  }
  if (head === "stations" && id === options.stationId) {
    if (parts.length === 2) return json(200, { station_code: id, broker_code: options.brokerId, enabled: true });
    if (sub === "creditorinstitutions" && served(subId) && extra === undefined) {
      return json(200, { creditor_institution_code: subId, segregation_code: Number(options.segregationCode), aux_digit: 3, mod4: false });
    }
  }
  return notFound();
}

async function nodeForPsp(options: PlatformOptions, tokens: Set<string>, req: IncomingMessage, body: string, res: ServerResponse) {
  const action = String(req.headers.soapaction ?? "").replaceAll('"', "");
  if (action === "activatePaymentNoticeV2") return activate(options, tokens, body, res);
  if (action === "sendPaymentOutcome") {
    const token = element(body, "paymentToken");
    const answer = token !== undefined && tokens.has(token) ? "<outcome>OK</outcome>" : koBody("PPT_TOKEN_SCONOSCIUTO", "unknown payment token");
    return sendSoap(res, "sendPaymentOutcomeRes", answer);
  }
  send(res, 500, "text/plain", `unknown SOAPAction ${action}`);
}

async function activate(options: PlatformOptions, tokens: Set<string>, body: string, res: ServerResponse) {
  const fiscalCode = element(body, "fiscalCode") ?? "";
  const noticeNumber = element(body, "noticeNumber") ?? "";
  const amount = element(body, "amount") ?? "";
  if (!options.organizations.includes(fiscalCode)) {
    return sendSoap(res, "activatePaymentNoticeV2Response", koBody("PPT_DOMINIO_SCONOSCIUTO", `unknown creditor institution ${fiscalCode}`));
  }
  const request = `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:pafn="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd"><soapenv:Body><pafn:paGetPaymentV2Request><idPA>${fiscalCode}</idPA><idBrokerPA>${options.brokerId}</idBrokerPA><idStation>${options.stationId}</idStation><qrCode><fiscalCode>${fiscalCode}</fiscalCode><noticeNumber>${noticeNumber}</noticeNumber></qrCode><amount>${amount}</amount></pafn:paGetPaymentV2Request></soapenv:Body></soapenv:Envelope>`;
  const answer = await fetch(`${options.stationUrl}${options.soapPath}`, {
    method: "POST",
    headers: { "Content-Type": "text/xml; charset=utf-8", SOAPAction: "paGetPaymentV2" },
    body: request,
  });
  const text = await answer.text();
  if (element(text, "outcome") !== "OK") {
    const fault = element(text, "faultCode") ?? `HTTP ${answer.status}`;
    return sendSoap(res, "activatePaymentNoticeV2Response", koBody("PPT_ERRORE_EMESSO_DA_PAA", `the station answered ${fault}`));
  }
  const token = randomBytes(16).toString("hex");
  tokens.add(token);
  const paid = element(text, "paymentAmount") ?? amount;
  return sendSoap(
    res,
    "activatePaymentNoticeV2Response",
    `<outcome>OK</outcome><totalAmount>${paid}</totalAmount><paymentDescription>${element(text, "description") ?? ""}</paymentDescription><fiscalCodePA>${fiscalCode}</fiscalCodePA><companyName>${element(text, "companyName") ?? ""}</companyName><paymentToken>${token}</paymentToken><creditorReferenceId>${element(text, "creditorReferenceId") ?? ""}</creditorReferenceId>`,
  );
}

/** Text of the first `<name>` or `<prefix:name>` element without attributes (the suites send both forms). */
function element(xml: string, name: string): string | undefined {
  let start = xml.indexOf(`<${name}>`);
  if (start >= 0) start += name.length + 2;
  else {
    const colon = xml.indexOf(`:${name}>`);
    const open = xml.lastIndexOf("<", colon);
    if (colon < 0 || open < 0 || xml[open + 1] === "/" || xml.lastIndexOf(">", colon) > open) return undefined;
    start = colon + name.length + 2;
  }
  const end = xml.indexOf("</", start);
  return end < 0 ? undefined : xml.slice(start, end);
}

function koBody(code: string, description: string): string {
  return `<outcome>KO</outcome><fault><faultCode>${code}</faultCode><faultString>${description}</faultString><id>NodoDeiPagamentiSPC</id><description>${description}</description></fault>`;
}

function sendSoap(res: ServerResponse, root: string, content: string) {
  const xml = `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:nfp="http://pagopa-api.pagopa.gov.it/node/nodeForPsp.xsd"><soapenv:Body><nfp:${root}>${content}</nfp:${root}></soapenv:Body></soapenv:Envelope>`;
  send(res, 200, "text/xml; charset=utf-8", xml);
}

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { "Content-Type": type }).end(body);
}
