// ZMQ_TCP_ACCEPT_FILTER: a bound TCP socket accepts only peers whose address matches one of the
// socket's "address[/bits]" masks, as libzmq's tcp_address_mask_t does (numeric addresses only, no
// DNS, no interface names). Imports core and node:net, whose BlockList does the prefix matching.
// One difference: an IPv4-mapped IPv6 peer (::ffff:a.b.c.d, on an ipv6 listener) matches IPv4
// masks, where libzmq would compare it with IPv6 masks only.

import { BlockList, isIPv4, isIPv6 } from "node:net";
import { ZmqError } from "../core/errors.ts";

/**
 * Checks one filter as libzmq's setsockopt does and returns it unchanged: a numeric IPv4 or IPv6
 * address, optionally "/bits" (0..32 or 0..128); IPv6 only with the socket's ipv6 option on.
 */
export function validateAcceptFilter(text: string, ipv6: boolean): string {
  const slash = text.lastIndexOf("/");
  const address = slash < 0 ? text : text.slice(0, slash);
  const bitsText = slash < 0 ? null : text.slice(slash + 1);
  const family = isIPv4(address) ? 4 : isIPv6(address) ? 6 : 0;
  const fail = (why: string): never => {
    throw new ZmqError("EINVAL", `Option tcpAcceptFilter "${text}" ${why}`);
  };
  if (family === 0) fail("is not a numeric IPv4 or IPv6 address with an optional /bits");
  if (family === 6 && !ipv6) fail("is an IPv6 mask: set the socket's ipv6 option first, as libzmq requires");
  if (bitsText !== null) {
    const max = family === 4 ? 32 : 128;
    if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > max) fail(`has a mask outside 0..${max}`);
  }
  return text;
}

const compiled = new WeakMap<readonly string[], BlockList>();

function blockListOf(filters: readonly string[]): BlockList {
  let list = compiled.get(filters);
  if (list !== undefined) return list;
  list = new BlockList();
  for (const filter of filters) {
    const slash = filter.lastIndexOf("/");
    const address = slash < 0 ? filter : filter.slice(0, slash);
    const type = isIPv4(address) ? "ipv4" : "ipv6";
    const bits = slash < 0 ? (type === "ipv4" ? 32 : 128) : Number(filter.slice(slash + 1));
    list.addSubnet(address, bits, type);
  }
  compiled.set(filters, list);
  return list;
}

/** Whether a peer at `address` (as Bun reports it) may connect; an empty filter list admits everyone. */
export function acceptsPeer(filters: readonly string[], address: string): boolean {
  if (filters.length === 0) return true;
  return blockListOf(filters).check(address, isIPv4(address) ? "ipv4" : "ipv6");
}
