/** The SSRF guard: which addresses are public, and a refused target is never connected to. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { isPublicAddress, publicAddressesOf, TargetRefused } from "../../src/events/addresses.ts";
import { postJson } from "../../src/events/http.ts";

describe("the SSRF guard", () => {
  const notPublic = [
    "127.0.0.1", "127.255.0.9", "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1",
    "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "febf::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:a9fe:a9fe", "[::1]", "not an address",
  ];
  const isPublic = ["8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "2001:4860:4860::8888", "2a00:1450::1", "::ffff:8.8.8.8", "[2001:db8::1]"];

  for (const address of notPublic) it(`refuses ${address}`, () => expect(isPublicAddress(address)).to.equal(false));
  for (const address of isPublic) it(`accepts ${address}`, () => expect(isPublicAddress(address)).to.equal(true));

  it("resolves names and refuses one that resolves to loopback", async () => {
    const error = await publicAddressesOf("localhost").catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TargetRefused);
  });

  it("never connects to a refused target at delivery time, by address or by name", async () => {
    let reached = 0;
    const server = createServer((_req, res) => {
      reached++;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
        const error = await postJson(url, "{}", {}, { timeoutMs: 2000, allowPrivate: false }).catch((e: unknown) => e);
        expect(error, url).to.be.instanceOf(Error);
        expect((error as Error).message, url).to.match(/not a public address/);
      }
      expect(reached).to.equal(0);
      expect((await postJson(`http://127.0.0.1:${port}/`, "{}", {}, { timeoutMs: 2000, allowPrivate: true })).status).to.equal(200);
      expect(reached).to.equal(1);
    } finally {
      server.close();
    }
  });
});
