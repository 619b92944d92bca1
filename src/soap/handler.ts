/**
 * The SOAP endpoint, on bare node:http request/response objects: it reads the raw body itself so
 * the hot path pays for no middleware. Business errors answer HTTP 200 with outcome KO and a
 * fault; only what is not a SOAP 1.1 message at all answers a SOAP Fault with HTTP 500.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { ErrorCode, errors, isDomainError } from "../domain/errors.ts";
import { isUnavailable } from "../store/db.ts";
import { actionOperation, assertSoap11ContentType, escapeXml, faultEnvelope, parseEnvelope, responseEnvelope, SoapFault } from "./envelope.ts";
import { paaFault, SYSTEM_ERROR, type PaaFault } from "./faults.ts";
import { PAA_FAULTS } from "../kit/scenarios.ts";
import { OPERATIONS, requestSpecs, type Operation } from "./messages.ts";
import type { Primitive, RefusedRequest } from "./primitives.ts";
import { readComplex } from "./reader.ts";
import type { Behaviour } from "../kit/scenarios.ts";
import type { Exchange } from "../kit/journal.ts";
import { plainTree, type XmlElement } from "./xml.ts";

const KNOWN_ACTIONS = new Set(Object.keys(OPERATIONS));
const utf8 = new TextDecoder("utf-8", { fatal: true });

const RECEIPT_OPERATIONS: ReadonlySet<Operation | undefined> = new Set(["paSendRT", "paSendRTV2"]);

/**
 * The SOAPAction header names the operation, the body root when it is absent. Between the two receipt
 * operations the body decides: a receipt is proof of a payment and is never refused for its header.
 */
function chosenOperation(fromAction: Operation | undefined, fromBody: Operation | undefined): Operation | undefined {
  if (RECEIPT_OPERATIONS.has(fromAction) && RECEIPT_OPERATIONS.has(fromBody)) return fromBody;
  return fromAction ?? fromBody;
}

/** The body root's content for the quarantine, read without the schema. */
function plainObject(body: XmlElement | undefined): Record<string, unknown> {
  const tree = body ? plainTree(body) : {};
  return typeof tree === "string" ? {} : tree;
}

export interface SoapAnswer {
  status: number;
  xml: string;
  operation?: Operation;
  faultCode?: string;
  noticeNumber?: string;
  /** A test scenario asked to close the connection without an answer. */
  close?: boolean;
}

/** The notice number of a request: under qrCode (verify, activate), receipt (receipts) or the body root. */
function noticeNumberIn(body: XmlElement): string | undefined {
  for (const child of body.children) {
    if (child.name === "noticeNumber") return child.text;
    if (child.name === "qrCode" || child.name === "receipt") {
      const found = child.children.find((c) => c.name === "noticeNumber");
      if (found) return found.text;
    }
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function koXml(operation: Operation, fault: PaaFault, id: string, description: string): string {
  return responseEnvelope(
    OPERATIONS[operation].response,
    `<outcome>KO</outcome><fault><faultCode>${fault.faultCode}</faultCode><faultString>${escapeXml(fault.faultString)}</faultString><id>${escapeXml(id)}</id><description>${escapeXml(description)}</description></fault>`,
  );
}

/**
 * The SOAP door never takes less than this, whatever BODY_LIMIT_BYTES says: a receipt refused for its size is a
 * payment lost. A paSendRTV2 with 5 transfers and 15 metadata entries on each and on the receipt, their texts
 * at their length limit and each character written as a character reference, is 0.24 MiB.
 */
export const MIN_SOAP_BODY_BYTES = 1_048_576;

export interface SoapEndpointDeps {
  primitives: Record<Operation, Primitive>;
  /** Told of every request refused for breaking the schema (receipts are kept). */
  onSchemaViolation: (refused: RefusedRequest) => Promise<void>;
  brokerId: string;
  /** BODY_LIMIT_BYTES; taken as MIN_SOAP_BODY_BYTES when smaller. */
  bodyLimitBytes: number;
  log: Logger;
  /** Testers' scenarios (TEST_SCENARIOS=on); absent otherwise, so the hot path pays one test for them. */
  scenarioFor?: (operation: Operation, noticeNumber: string | undefined) => Promise<(Behaviour & { scenarioId: number }) | undefined>;
  /** Told of each exchange once its answer has been sent (journal, metrics). */
  onExchange?: (exchange: Exchange) => void;
}

export function createSoapEndpoint(deps: SoapEndpointDeps) {
  const { primitives, brokerId, log } = deps;
  const bodyLimitBytes = Math.max(deps.bodyLimitBytes, MIN_SOAP_BODY_BYTES);

  /** The answer to one request body. */
  async function answer(raw: Buffer, contentType: string | undefined, soapAction: string | undefined, correlationId: string): Promise<SoapAnswer> {
    let operation: Operation | undefined;
    let noticeNumber: string | undefined;
    let faultId = brokerId;
    let text = "";
    let body: XmlElement | undefined;
    try {
      assertSoap11ContentType(contentType);
      try {
        text = utf8.decode(raw);
      } catch {
        throw new SoapFault("Client", "The body is not valid UTF-8");
      }
      const parsed = parseEnvelope(text);
      operation = chosenOperation(actionOperation(soapAction, KNOWN_ACTIONS), parsed.operation);
      if (!operation) throw new SoapFault("Client", `Unknown operation: ${parsed.rootName} is not a paForNode request`);
      body = parsed.body;
      const idPA = body.children.find((c) => c.name === "idPA" && c.ns === "")?.text;
      if (idPA !== undefined && /^\d{11}$/.test(idPA)) faultId = idPA;
      noticeNumber = noticeNumberIn(body);
      if (deps.scenarioFor) {
        const played = await deps.scenarioFor(operation, noticeNumber);
        if (played?.behaviour === "delay") await sleep(played.delayMs);
        else if (played) return scenarioAnswer(played, operation, faultId, noticeNumber);
      }
      if (parsed.rootProblem) throw errors.schemaViolation(parsed.rootName, parsed.rootProblem);
      if (parsed.operation !== operation) {
        throw errors.schemaViolation(parsed.rootName, `is not the request of SOAPAction ${operation} (expected ${OPERATIONS[operation].request})`);
      }
      const request = readComplex(requestSpecs[operation], body, "");
      const children = await (primitives[operation] as (r: unknown, raw: string) => Promise<string>)(request, text);
      return { status: 200, xml: responseEnvelope(OPERATIONS[operation].response, `<outcome>OK</outcome>${children}`), operation, noticeNumber };
    } catch (error) {
      if (error instanceof SoapFault) return { status: 500, xml: faultEnvelope(error), operation, faultCode: error.faultCode, noticeNumber };
      if (!operation) {
        log.error({ correlationId, err: error }, "unexpected error before the operation was known");
        return { status: 500, xml: faultEnvelope(new SoapFault("Server", "Internal error")) };
      }
      if (isDomainError(error)) {
        if (error.code === ErrorCode.schemaViolation) {
          await deps.onSchemaViolation({ operation, body: plainObject(body), rawBody: text, reason: error.detail }).catch((e: unknown) => log.warn({ err: e, operation }, "could not keep a refused request"));
        }
        const fault = paaFault(error.code);
        return { status: 200, xml: koXml(operation, fault, faultId, error.detail), operation, faultCode: fault.faultCode, noticeNumber };
      }
      if (isUnavailable(error)) log.warn({ correlationId, operation, err: error }, "database unavailable");
      else log.error({ correlationId, operation, err: error }, "unexpected error");
      return { status: 200, xml: koXml(operation, SYSTEM_ERROR, faultId, `Temporary error, retry (correlation id ${correlationId})`), operation, faultCode: SYSTEM_ERROR.faultCode, noticeNumber };
    }
  }

  function scenarioAnswer(played: Exclude<Behaviour, { behaviour: "delay" }> & { scenarioId: number }, operation: Operation, faultId: string, noticeNumber: string | undefined): SoapAnswer {
    const description = `Test scenario ${played.scenarioId}`;
    switch (played.behaviour) {
      case "close":
        return { status: 0, xml: "", operation, noticeNumber, close: true };
      case "soapFault":
        return { status: 500, xml: faultEnvelope(new SoapFault("Server", description)), operation, faultCode: "Server", noticeNumber };
      case "fault": {
        const fault = PAA_FAULTS.get(played.faultCode)!;
        return { status: 200, xml: koXml(operation, fault, faultId, description), operation, faultCode: fault.faultCode, noticeNumber };
      }
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const receivedAt = new Date();
    const correlationId = randomUUID();
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > bodyLimitBytes) {
        if (!tooLarge) {
          tooLarge = true;
          res.writeHead(413, { "content-type": "text/xml; charset=utf-8", connection: "close" });
          res.end(faultEnvelope(new SoapFault("Client", `The body exceeds ${bodyLimitBytes} bytes`)));
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) return;
      const header = req.headers.soapaction;
      const raw = Buffer.concat(chunks, size);
      void answer(raw, req.headers["content-type"], Array.isArray(header) ? header[0] : header, correlationId).then((result) => {
        if (result.close) res.destroy();
        else {
          const body = Buffer.from(result.xml, "utf8");
          res.writeHead(result.status, { "content-type": "text/xml; charset=utf-8", "content-length": body.length, "x-correlation-id": correlationId });
          res.end(body);
        }
        deps.onExchange?.({
          correlationId,
          operation: result.operation,
          noticeNumber: result.noticeNumber,
          outcome: result.close ? "CLOSED" : result.status !== 200 ? "FAULT" : result.faultCode ? "KO" : "OK",
          faultCode: result.faultCode,
          status: result.status,
          receivedAt,
          durationMs: performance.now() - started,
          request: raw,
          response: result.xml,
        });
      });
    });
    req.on("error", () => res.destroy());
  }

  return { handle };
}

export type SoapEndpoint = ReturnType<typeof createSoapEndpoint>;
