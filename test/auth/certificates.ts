/**
 * Certificates made at test time with the openssl command (node:crypto cannot issue X.509): a CA for the
 * Node's client certificates, a CA for the server's, and certificates the station must refuse. P-256 keys,
 * so the whole set takes a fraction of a second. Made once per run, in a temporary directory.
 */
import { execFileSync } from "node:child_process";
import { randomBytes, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface Pair {
  keyFile: string;
  certFile: string;
  key: Buffer;
  cert: Buffer;
  /** SHA-256 fingerprint as openssl prints it (AB:CD:…). */
  fingerprint: string;
}

export interface TestCertificates {
  dir: string;
  serverCa: Pair;
  /** localhost / 127.0.0.1, issued by serverCa. */
  server: Pair;
  /** A second server certificate, for reloads. */
  renewedServer: Pair;
  nodeCa: Pair;
  /** The Node's client certificate, issued by nodeCa. */
  node: Pair;
  /** Another client certificate issued by nodeCa (chains, but is not the pinned one). */
  nodeSibling: Pair;
  /** A self-signed client certificate. */
  stranger: Pair;
  /** A client certificate issued by an unrelated CA. */
  foreign: Pair;
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
}

function pair(dir: string, name: string): Pair {
  const keyFile = path.join(dir, `${name}.key`);
  const certFile = path.join(dir, `${name}.pem`);
  const cert = readFileSync(certFile);
  return { keyFile, certFile, key: readFileSync(keyFile), cert, fingerprint: new X509Certificate(cert).fingerprint256 };
}

function selfSigned(dir: string, name: string, subject: string, extensions: string[]): Pair {
  openssl(dir, ["req", "-x509", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.pem`, "-days", "2", "-subj", subject, ...extensions.flatMap((e) => ["-addext", e])]);
  return pair(dir, name);
}

const authority = (dir: string, name: string, subject: string) =>
  selfSigned(dir, name, subject, ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"]);

function issued(dir: string, name: string, subject: string, ca: string, extensions: string): Pair {
  openssl(dir, ["req", "-new", ...EC_KEY, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject]);
  writeFileSync(path.join(dir, `${name}.ext`), extensions);
  const serial = `0x${randomBytes(8).toString("hex")}`;
  openssl(dir, ["x509", "-req", "-in", `${name}.csr`, "-CA", `${ca}.pem`, "-CAkey", `${ca}.key`, "-set_serial", serial, "-days", "2", "-out", `${name}.pem`, "-extfile", `${name}.ext`]);
  return pair(dir, name);
}

const SERVER_EXT = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n";
const CLIENT_EXT = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n";

let made: TestCertificates | undefined;

export function testCertificates(): TestCertificates {
  if (made) return made;
  const dir = mkdtempSync(path.join(tmpdir(), "stazione-tls-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  authority(dir, "server-ca", "/CN=Test server CA");
  authority(dir, "node-ca", "/CN=Test Node CA");
  authority(dir, "foreign-ca", "/CN=Unrelated CA");
  made = {
    dir,
    serverCa: pair(dir, "server-ca"),
    server: issued(dir, "server", "/CN=localhost", "server-ca", SERVER_EXT),
    renewedServer: issued(dir, "renewed-server", "/CN=localhost", "server-ca", SERVER_EXT),
    nodeCa: pair(dir, "node-ca"),
    node: issued(dir, "node", "/CN=pagoPA Node", "node-ca", CLIENT_EXT),
    nodeSibling: issued(dir, "node-sibling", "/CN=Another client of the Node CA", "node-ca", CLIENT_EXT),
    stranger: selfSigned(dir, "stranger", "/CN=stranger", ["extendedKeyUsage=clientAuth"]),
    foreign: issued(dir, "foreign", "/CN=pagoPA Node", "foreign-ca", CLIENT_EXT),
  };
  return made;
}
