/**
 * SSRF guard for webhook and ACA targets: an address that is not on the public internet (private,
 * loopback, link-local, unique-local, multicast, unspecified, reserved; IPv4-mapped IPv6 forms are
 * judged as the IPv4 address they carry) is refused. Names are resolved and every address checked, and
 * the connection then goes to the addresses that were checked (see `checkedLookup`), so a name that
 * resolves differently a moment later (DNS rebinding) cannot reach the inside.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP, type LookupFunction } from "node:net";

const NOT_PUBLIC_IPV4 = [
  ["0.0.0.0", 8], // "this" network, incl. the unspecified address
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local (cloud metadata services live here)
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, incl. broadcast
] as const;
const NOT_PUBLIC_IPV6 = [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["64:ff9b:1::", 48], // local-use NAT64
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const;

const notPublic = new BlockList();
for (const [address, prefix] of NOT_PUBLIC_IPV4) notPublic.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of NOT_PUBLIC_IPV6) notPublic.addSubnet(address, prefix, "ipv6");

/** True for an IP address on the public internet; false for any other address and for text that is not one. */
export function isPublicAddress(address: string): boolean {
  const plain = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const version = isIP(plain);
  // BlockList judges an IPv4-mapped IPv6 address (::ffff:7f00:1, ::ffff:127.0.0.1) by its IPv4 rules
  return version !== 0 && !notPublic.check(plain, version === 4 ? "ipv4" : "ipv6");
}

export class TargetRefused extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = "TargetRefused";
  }
}

function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))));
}

/** The host's addresses when every one is public; a TargetRefused naming the first that is not. */
export async function publicAddressesOf(hostname: string): Promise<LookupAddress[]> {
  const literal = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  const family = isIP(literal);
  const addresses = family ? [{ address: literal, family }] : await resolveAll(hostname);
  const inside = addresses.find((a) => !isPublicAddress(a.address));
  if (inside) throw new TargetRefused(`${hostname} resolves to ${inside.address}, which is not a public address`);
  return addresses;
}

/**
 * A socket lookup that resolves, refuses non-public addresses, and hands the connection exactly the
 * addresses it checked: no second resolution between check and connect.
 */
export const checkedLookup: LookupFunction = (hostname, options, callback) => {
  publicAddressesOf(hostname).then(
    (addresses) => {
      if (options.all) (callback as unknown as (error: null, all: LookupAddress[]) => void)(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    },
    (error: NodeJS.ErrnoException) => callback(error, "", 0),
  );
};
