import { expect } from "chai";
import { addressSet, clientAddress, parseCidr } from "../../src/http/addresses.ts";
import { normalizeFingerprint } from "../../src/auth/fingerprints.ts";

describe("client addresses (http/addresses.ts)", () => {
  describe("parseCidr", () => {
    it("reads IPv4 and IPv6 networks and single addresses", () => {
      expect(parseCidr("10.0.0.0/8")).to.deep.equal({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
      expect(parseCidr("2001:db8::/32")).to.deep.equal({ address: "2001:db8::", prefix: 32, family: "ipv6" });
      expect(parseCidr("192.0.2.1")).to.deep.equal({ address: "192.0.2.1", prefix: 32, family: "ipv4" });
      expect(parseCidr("::1")).to.deep.equal({ address: "::1", prefix: 128, family: "ipv6" });
      expect(parseCidr("::ffff:192.0.2.1/32")).to.deep.equal({ address: "192.0.2.1", prefix: 32, family: "ipv4" });
    });

    it("refuses what is not a network", () => {
      for (const text of ["", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.256", "example.org", "10.0.0.0/1e1", " 10.0.0.0/8"])
        expect(parseCidr(text), text).to.equal(undefined);
    });
  });

  describe("addressSet", () => {
    const set = addressSet(["10.0.0.0/8", "2001:db8::/32"].map((t) => parseCidr(t)!));

    it("matches IPv4, IPv6 and IPv4 seen through a dual-stack socket", () => {
      expect(set.has("10.200.0.1")).to.equal(true);
      expect(set.has("::ffff:10.1.2.3")).to.equal(true);
      expect(set.has("2001:db8:ffff::1")).to.equal(true);
      expect(set.has("11.0.0.1")).to.equal(false);
      expect(set.has("2001:db9::1")).to.equal(false);
      expect(set.has("garbage")).to.equal(false);
      expect(set.has(undefined)).to.equal(false);
    });

    it("is empty without networks", () => {
      expect(addressSet([]).empty).to.equal(true);
      expect(addressSet([]).has("10.0.0.1")).to.equal(false);
    });
  });

  describe("clientAddress", () => {
    const proxies = addressSet(["10.0.0.0/8", "fd00::/8"].map((t) => parseCidr(t)!));

    it("is the peer when the peer is not a trusted proxy, whatever X-Forwarded-For says", () => {
      expect(clientAddress("198.51.100.9", "203.0.113.7", proxies)).to.equal("198.51.100.9");
      expect(clientAddress("::ffff:198.51.100.9", undefined, proxies)).to.equal("198.51.100.9");
    });

    it("walks X-Forwarded-For right to left past trusted proxies", () => {
      expect(clientAddress("10.0.0.1", "203.0.113.7", proxies)).to.equal("203.0.113.7");
      expect(clientAddress("10.0.0.1", "1.1.1.1, 203.0.113.7, 10.0.0.2,fd00::3", proxies)).to.equal("203.0.113.7");
      expect(clientAddress("fd00::1", "2001:db8::5", proxies)).to.equal("2001:db8::5");
      expect(clientAddress("10.0.0.1", "10.0.0.3, 10.0.0.2", proxies)).to.equal("10.0.0.3");
      expect(clientAddress("10.0.0.1", "203.0.113.7, not-an-ip", proxies)).to.equal("not-an-ip");
      expect(clientAddress("10.0.0.1", undefined, proxies)).to.equal("10.0.0.1");
    });

    it("takes linear time on a huge header", () => {
      const timed = (hops: number) => {
        const header = Array.from({ length: hops }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`).join(",");
        const start = process.hrtime.bigint();
        expect(clientAddress("10.0.0.1", `203.0.113.7,${header}`, proxies)).to.equal("203.0.113.7");
        return Number(process.hrtime.bigint() - start) / 1e6;
      };
      timed(1000);
      const small = timed(20_000);
      const large = timed(160_000);
      expect(large, `${small} ms for 20k hops, ${large} ms for 160k`).to.be.below(small * 8 * 4 + 50);
    });
  });
});

describe("certificate fingerprints (auth/fingerprints.ts)", () => {
  const hex = "32b0b799558b34126593e8824f442fea0787f7086f7631df73cf7227643b5a75";
  it("reads openssl's colon-separated form and plain hex, in any case", () => {
    expect(normalizeFingerprint(hex.toUpperCase())).to.equal(hex);
    expect(normalizeFingerprint(hex.match(/../g)!.join(":"))).to.equal(hex);
    expect(normalizeFingerprint(` ${hex.match(/../g)!.join(":").toUpperCase()} `)).to.equal(hex);
  });
  it("refuses anything else (SHA-1 included)", () => {
    for (const text of ["", hex.slice(2), `${hex}00`, hex.replace("b", "g"), "da39a3ee5e6b4b0d3255bfef95601890afd80709"]) expect(normalizeFingerprint(text), text).to.equal(undefined);
  });
});
