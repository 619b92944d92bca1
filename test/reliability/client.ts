/** A small pagoPA Node stand-in: posts SOAP requests to an instance and reads outcome and fault code. */
import type { Instance } from "./processes.ts";

export interface Answer {
  status: number;
  outcome?: "OK" | "KO";
  faultCode?: string;
  body: string;
  ms: number;
}

export async function soap(instance: Instance | string, action: string, xml: string, timeoutMs = 20_000): Promise<Answer> {
  const url = typeof instance === "string" ? instance : instance.url;
  const started = Date.now();
  const res = await fetch(`${url}/paForNode`, {
    method: "POST",
    headers: { "content-type": "text/xml; charset=utf-8", soapaction: action },
    body: xml,
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = await res.text();
  return {
    status: res.status,
    outcome: /<outcome>(OK|KO)<\/outcome>/.exec(body)?.[1] as Answer["outcome"],
    faultCode: /<faultCode>([^<]+)<\/faultCode>/.exec(body)?.[1],
    body,
    ms: Date.now() - started,
  };
}

export async function rest(instance: Instance | string, method: string, pathname: string, key: string, body?: unknown, timeoutMs = 20_000) {
  const url = typeof instance === "string" ? instance : instance.url;
  const res = await fetch(`${url}${pathname}`, {
    method,
    headers: { "content-type": "application/json", "ocp-apim-subscription-key": key },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json as Record<string, unknown> };
}
