/**
 * A loopback proxy in front of the station that writes every exchange of a suite to a traffic log (method, URL,
 * status, both bodies, cut at a few kB), so a failing scenario shows what was asked and what the station answered.
 */
import { appendFileSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server } from "node:http";

export interface RunningRecorder {
  url: string;
  /** Later exchanges go to this file (one log per suite). */
  writeTo(file: string): void;
  stop(): Promise<void>;
}

const SHOWN_BYTES = 4000;

export async function startRecorder(port: number, target: URL): Promise<RunningRecorder> {
  let file: string | undefined;
  const server: Server = createServer((req, res) => {
    void readAll(req).then((body) => {
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          void readAll(answer).then((answerBody) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers).end(answerBody);
            record(req, body, answer.statusCode ?? 0, answerBody);
          });
        },
      );
      upstream.on("error", (error) => {
        res.writeHead(502, { "Content-Type": "text/plain" }).end(String(error));
        record(req, body, 502, Buffer.from(String(error)));
      });
      upstream.end(body);
    });
  });
  const record = (req: IncomingMessage, body: Buffer, status: number, answer: Buffer) => {
    if (!file) return;
    const action = req.headers.soapaction ? ` SOAPAction: ${String(req.headers.soapaction)}` : "";
    appendFileSync(
      file,
      `${new Date().toISOString()} ${req.method} ${req.url}${action}\n  > ${shown(body)}\n  < ${status} ${shown(answer)}\n`,
    );
  };
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    writeTo: (next) => (file = next),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function shown(body: Buffer): string {
  const text = body.toString("utf8").replace(/\s*\n\s*/g, " ");
  return text.length > SHOWN_BYTES ? `${text.slice(0, SHOWN_BYTES)}… (${body.length} bytes)` : text;
}

export function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("end", () => resolve(Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}
