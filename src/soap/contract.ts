/**
 * Serves the contract so any WSDL client (SoapUI, the `soap` package) imports the service from a URL:
 * the WSDL's address becomes the SOAP endpoint as the client reached it, and every schemaLocation
 * an absolute URL under /xsd/. Files are read once at start.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { projectFile } from "../projectFiles.ts";
import { escapeXml } from "./envelope.ts";

/** A DNS name, an IPv4 address or a bracketed IPv6 address, and an optional port (no alternatives that overlap). */
const HOST_PORT = /^(?:[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

export function createContract(options: { soapPath: string; publicUrl: string | undefined }) {
  const wsdl = readFileSync(projectFile("wsdl", "paForNode.wsdl"), "utf8");
  const schemas = new Map(readdirSync(projectFile("xsd")).filter((f) => f.endsWith(".xsd")).map((f) => [f, readFileSync(projectFile("xsd", f), "utf8")]));

  /**
   * The base URL: PUBLIC_URL, else the one the client used when its Host is a host[:port] and its
   * X-Forwarded-Proto (if any) http or https, else this server's own port on localhost. Anything a
   * client sends is checked before it is written into the contract, and escaped all the same.
   */
  const baseUrl = (req: IncomingMessage) => {
    if (options.publicUrl) return escapeXml(options.publicUrl);
    const forwarded = req.headers["x-forwarded-proto"];
    const proto = ((Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0] ?? "http").trim().toLowerCase();
    const host = req.headers.host;
    if ((proto === "http" || proto === "https") && host !== undefined && host.length <= 260 && HOST_PORT.test(host)) return escapeXml(`${proto}://${host}`);
    return `http://localhost:${req.socket.localPort ?? 80}`;
  };
  const absoluteLocations = (text: string, base: string) =>
    text.replace(/schemaLocation="(?:\.\.\/xsd\/)?([A-Za-z0-9_.-]+\.xsd)"/g, (_, file: string) => `schemaLocation="${base}/xsd/${file}"`);

  return {
    wsdl(req: IncomingMessage): string {
      const base = baseUrl(req);
      return absoluteLocations(wsdl, base).replace('location="http://localhost/paForNode"', () => `location="${base}${escapeXml(options.soapPath)}"`);
    },
    schema(req: IncomingMessage, name: string): string | undefined {
      const text = schemas.get(name);
      return text === undefined ? undefined : absoluteLocations(text, baseUrl(req));
    },
  };
}
