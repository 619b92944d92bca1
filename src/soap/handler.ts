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
import { OPERATIONS, requestSpecs, type Operation } from "./messages.ts";
import type { Primitive, RefusedRequest } from "./primitives.ts";
import { readComplex } from "./reader.ts";
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
}

function koXml(operation: Operation, fault: PaaFault, id: string, description: string): string {
  return responseEnvelope(
    OPERATIONS[operation].response,
    `<outcome>KO</outcome><fault><faultCode>${fault.faultCode}</faultCode><faultString>${escapeXml(fault.faultString)}</faultString><id>${escapeXml(id)}</id><description>${escapeXml(description)}</description></fault>`,
  );
}

export interface SoapEndpointDeps {
  primitives: Record<Operation, Primitive>;
  /** Told of every request refused for breaking the schema (receipts are kept). */
  onSchemaViolation: (refused: RefusedRequest) => Promise<void>;
  brokerId: string;
  bodyLimitBytes: number;
  log: Logger;
}

export function createSoapEndpoint(deps: SoapEndpointDeps) {
  const { primitives, brokerId, log } = deps;

  /** The answer to one request body. */
  async function answer(raw: Buffer, contentType: string | undefined, soapAction: string | undefined): Promise<SoapAnswer> {
    let operation: Operation | undefined;
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
      if (parsed.rootProblem) throw errors.schemaViolation(parsed.rootName, parsed.rootProblem);
      if (parsed.operation !== operation) {
        throw errors.schemaViolation(parsed.rootName, `is not the request of SOAPAction ${operation} (expected ${OPERATIONS[operation].request})`);
      }
      const request = readComplex(requestSpecs[operation], body, "");
      const children = await (primitives[operation] as (r: unknown, raw: string) => Promise<string>)(request, text);
      return { status: 200, xml: responseEnvelope(OPERATIONS[operation].response, `<outcome>OK</outcome>${children}`), operation };
    } catch (error) {
      if (error instanceof SoapFault) return { status: 500, xml: faultEnvelope(error), operation, faultCode: error.faultCode };
      if (!operation) {
        log.error({ err: error }, "unexpected error before the operation was known");
        return { status: 500, xml: faultEnvelope(new SoapFault("Server", "Internal error")) };
      }
      if (isDomainError(error)) {
        if (error.code === ErrorCode.schemaViolation) {
          await deps.onSchemaViolation({ operation, body: plainObject(body), rawBody: text, reason: error.detail }).catch((e: unknown) => log.warn({ err: e, operation }, "could not keep a refused request"));
        }
        const fault = paaFault(error.code);
        return { status: 200, xml: koXml(operation, fault, faultId, error.detail), operation, faultCode: fault.faultCode };
      }
      const correlationId = randomUUID();
      if (isUnavailable(error)) log.warn({ correlationId, operation, err: error }, "database unavailable");
      else log.error({ correlationId, operation, err: error }, "unexpected error");
      return { status: 200, xml: koXml(operation, SYSTEM_ERROR, faultId, `Temporary error, retry (correlation id ${correlationId})`), operation, faultCode: SYSTEM_ERROR.faultCode };
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > deps.bodyLimitBytes) {
        if (!tooLarge) {
          tooLarge = true;
          res.writeHead(413, { "content-type": "text/xml; charset=utf-8", connection: "close" });
          res.end(faultEnvelope(new SoapFault("Client", `The body exceeds ${deps.bodyLimitBytes} bytes`)));
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) return;
      const header = req.headers.soapaction;
      void answer(Buffer.concat(chunks, size), req.headers["content-type"], Array.isArray(header) ? header[0] : header).then((result) => {
        const body = Buffer.from(result.xml, "utf8");
        res.writeHead(result.status, { "content-type": "text/xml; charset=utf-8", "content-length": body.length });
        res.end(body);
      });
    });
    req.on("error", () => res.destroy());
  }

  return { handle };
}

export type SoapEndpoint = ReturnType<typeof createSoapEndpoint>;
