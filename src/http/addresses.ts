/**
 * Client addresses: CIDR lists (IPv4 and IPv6) and the caller's address behind trusted proxies. Every
 * step is a split and a lookup: no input costs more than linear time.
 */
import { BlockList, isIP } from "node:net";

export interface Cidr {
  address: string;
  prefix: number;
  family: "ipv4" | "ipv6";
}

/** "10.0.0.0/8", "2001:db8::/32", or a single address (a /32 or /128); undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf("/");
  const address = unmapped(slash < 0 ? text : text.slice(0, slash));
  const version = isIP(address);
  if (version === 0) return undefined;
  const bits = version === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(bits) : text.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > bits) return undefined;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** An IPv4 address a dual-stack socket reports as ::ffff:a.b.c.d, in its IPv4 form. */
function unmapped(address: string): string {
  return address.length > 7 && address.slice(0, 7).toLowerCase() === "::ffff:" && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

export interface AddressSet {
  has(address: string | undefined): boolean;
  readonly empty: boolean;
}

export function addressSet(cidrs: readonly Cidr[]): AddressSet {
  const list = new BlockList();
  for (const cidr of cidrs) list.addSubnet(cidr.address, cidr.prefix, cidr.family);
  return {
    empty: cidrs.length === 0,
    has(address) {
      if (address === undefined) return false;
      const plain = unmapped(address);
      const version = isIP(plain);
      return version !== 0 && list.check(plain, version === 4 ? "ipv4" : "ipv6");
    },
  };
}

/**
 * The caller's address. When the peer is a trusted proxy, X-Forwarded-For is read right to left and the
 * first address that is not itself a trusted proxy is the caller (the entries to its left were written by
 * the caller and prove nothing); from any other peer the header is ignored. An entry that is not an IP
 * address ends the walk and is returned as it is, so no allow-list ever matches it.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trustedProxies: AddressSet): string | undefined {
  const peerAddress = peer === undefined ? undefined : unmapped(peer);
  if (!forwardedFor || !trustedProxies.has(peerAddress)) return peerAddress;
  const hops = forwardedFor.split(",");
  let caller = peerAddress;
  for (let i = hops.length - 1; i >= 0; i--) {
    caller = unmapped(hops[i]!.trim());
    if (!trustedProxies.has(caller)) return caller;
  }
  return caller;
}
