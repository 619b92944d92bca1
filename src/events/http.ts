/**
 * One POST of a JSON body to a webhook or ACA, with a deadline for the whole exchange. Redirects are not
 * followed (a 3xx is a failure: a redirect could lead inside). Unless private targets are allowed, the
 * target's addresses are checked and the socket connects only to them (addresses.ts).
 */
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import { checkedLookup, publicAddressesOf } from "./addresses.ts";

export interface PostOptions {
  timeoutMs: number;
  allowPrivate: boolean;
}

/** What a target answered: 2xx is success. */
export interface PostOutcome {
  status: number;
}

/** The answer's body is read and dropped, up to this much; a receiver has nothing to tell but its status. */
const MAX_ANSWER_BYTES = 64 * 1024;

export async function postJson(url: string, body: string, headers: Record<string, string>, options: PostOptions): Promise<PostOutcome> {
  const target = new URL(url);
  const literal = target.hostname.startsWith("[") ? target.hostname.slice(1, -1) : target.hostname;
  // an IP literal never goes through the socket's lookup: check it here
  if (!options.allowPrivate && isIP(literal)) await publicAddressesOf(literal);
  const client = target.protocol === "https:" ? https : http;
  return new Promise<PostOutcome>((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers },
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(options.allowPrivate ? {} : { lookup: checkedLookup }),
      },
      (response) => {
        let read = 0;
        response.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        response.on("close", () => resolve({ status: response.statusCode ?? 0 }));
        response.on("error", () => resolve({ status: response.statusCode ?? 0 }));
      },
    );
    request.on("error", (error: Error) => reject(error.name === "AbortError" ? new Error(`no answer within ${options.timeoutMs} ms`) : error));
    request.end(body);
  });
}
