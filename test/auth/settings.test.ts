import { expect } from "chai";
import { loadConfig } from "../../src/config.ts";
import { testCertificates } from "./certificates.ts";
import { problemsOf } from "../support/config.ts";

const certs = testCertificates();

describe("Node access settings (auth/settings.ts)", () => {
  it("default to plain HTTP and an open Node-facing surface, with nginx's header names", () => {
    expect(loadConfig({}).nodeAccess).to.deep.equal({
      tls: undefined,
      clientCaFile: undefined,
      clientFingerprints: [],
      allowedCidrs: [],
      trustedProxies: [],
      proxyHeaders: { verify: "x-ssl-client-verify", fingerprint: "x-ssl-client-fingerprint", certificate: "x-ssl-client-cert" },
    });
  });

  it("reads every setting", () => {
    const access = loadConfig({
      TLS_CERT_FILE: certs.server.certFile,
      TLS_KEY_FILE: certs.server.keyFile,
      NODE_CLIENT_CA_FILE: certs.nodeCa.certFile,
      NODE_CLIENT_CERT_FINGERPRINTS: `${certs.node.fingerprint}, ${certs.stranger.fingerprint.replaceAll(":", "").toLowerCase()}`,
      NODE_ALLOWED_CIDRS: "203.0.113.0/24, 2001:db8::/32",
      TRUSTED_PROXIES: "10.0.0.1",
      PROXY_CLIENT_VERIFY_HEADER: "X-Client-Verify",
      PROXY_CLIENT_FINGERPRINT_HEADER: "X-Client-Sha256",
      PROXY_CLIENT_CERT_HEADER: "X-Client-Cert",
    }).nodeAccess;
    expect(access.tls).to.deep.equal({ certFile: certs.server.certFile, keyFile: certs.server.keyFile });
    expect(access.clientCaFile).to.equal(certs.nodeCa.certFile);
    expect(access.clientFingerprints).to.deep.equal([certs.node.fingerprint, certs.stranger.fingerprint].map((f) => f.replaceAll(":", "").toLowerCase()));
    expect(access.allowedCidrs.map((c) => `${c.address}/${c.prefix}`)).to.deep.equal(["203.0.113.0/24", "2001:db8::/32"]);
    expect(access.trustedProxies.map((c) => `${c.address}/${c.prefix}`)).to.deep.equal(["10.0.0.1/32"]);
    expect(access.proxyHeaders).to.deep.equal({ verify: "x-client-verify", fingerprint: "x-client-sha256", certificate: "x-client-cert" });
  });

  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ["a certificate without its key", { TLS_CERT_FILE: certs.server.certFile }, /^TLS_CERT_FILE and TLS_KEY_FILE must be set together$/],
    ["a file that does not exist", { TLS_CERT_FILE: "/nonexistent/cert.pem", TLS_KEY_FILE: certs.server.keyFile }, /^TLS_CERT_FILE must name a readable file, got "\/nonexistent\/cert.pem"$/],
    ["a client CA with neither HTTPS nor a proxy", { NODE_CLIENT_CA_FILE: certs.nodeCa.certFile }, /^NODE_CLIENT_CA_FILE and NODE_CLIENT_CERT_FINGERPRINTS need HTTPS here/],
    ["pins with neither HTTPS nor a proxy", { NODE_CLIENT_CERT_FINGERPRINTS: certs.node.fingerprint }, /need HTTPS here \(TLS_CERT_FILE, TLS_KEY_FILE\) or at a proxy \(TRUSTED_PROXIES\)$/],
    ["a fingerprint that is not SHA-256", { TRUSTED_PROXIES: "10.0.0.1", NODE_CLIENT_CERT_FINGERPRINTS: "da39a3ee5e6b4b0d3255bfef95601890afd80709" }, /^NODE_CLIENT_CERT_FINGERPRINTS must list SHA-256 fingerprints/],
    ["a network that is not one", { NODE_ALLOWED_CIDRS: "10.0.0.0/40" }, /^NODE_ALLOWED_CIDRS must list IPv4 or IPv6 addresses or CIDRs .* got "10.0.0.0\/40"$/],
    ["a proxy given by name", { TRUSTED_PROXIES: "proxy.internal" }, /^TRUSTED_PROXIES must list IPv4 or IPv6 addresses/],
    ["a header name with a space", { PROXY_CLIENT_VERIFY_HEADER: "X SSL" }, /^PROXY_CLIENT_VERIFY_HEADER must be an HTTP header name, got "X SSL"$/],
  ];
  for (const [what, env, message] of cases) {
    it(`refuses ${what}, naming the variable`, () => {
      const problems = problemsOf(env);
      expect(problems, problems.join("\n")).to.have.length(1);
      expect(problems[0]).to.match(message);
    });
  }
});
