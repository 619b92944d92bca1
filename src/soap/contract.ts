/**
 * Serves the contract so any WSDL client (SoapUI, the `soap` package) imports the service from a URL:
 * the WSDL's address becomes the SOAP endpoint as the client reached it, and every schemaLocation
 * an absolute URL under /xsd/. Files are read once at start.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function createContract(options: { soapPath: string; publicUrl: string | undefined }) {
  const wsdl = readFileSync(`${ROOT}wsdl/paForNode.wsdl`, "utf8");
  const schemas = new Map(readdirSync(`${ROOT}xsd`).filter((f) => f.endsWith(".xsd")).map((f) => [f, readFileSync(`${ROOT}xsd/${f}`, "utf8")]));

  /** The base URL the client used (or PUBLIC_URL), from Host and X-Forwarded-Proto. */
  const baseUrl = (req: IncomingMessage) => {
    if (options.publicUrl) return options.publicUrl;
    const forwarded = req.headers["x-forwarded-proto"];
    const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim() || "http";
    return `${proto}://${req.headers.host ?? "localhost"}`;
  };
  const absoluteLocations = (text: string, base: string) =>
    text.replace(/schemaLocation="(?:\.\.\/xsd\/)?([A-Za-z0-9_.-]+\.xsd)"/g, `schemaLocation="${base}/xsd/$1"`);

  return {
    wsdl(req: IncomingMessage): string {
      const base = baseUrl(req);
      return absoluteLocations(wsdl, base).replace('location="http://localhost/paForNode"', `location="${base}${options.soapPath}"`);
    },
    schema(req: IncomingMessage, name: string): string | undefined {
      const text = schemas.get(name);
      return text === undefined ? undefined : absoluteLocations(text, baseUrl(req));
    },
  };
}
