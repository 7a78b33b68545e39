// ZMQ_TCP_ACCEPT_FILTER: a bound TCP socket accepts only peers whose address matches one of the
// socket's "address[/bits]" masks, as libzmq's tcp_address_mask_t does (numeric addresses only, no
// DNS, no interface names; accept-mask.ts checks their syntax). Imports node:net, whose BlockList does
// the prefix matching.
// One difference: an IPv4-mapped IPv6 peer (::ffff:a.b.c.d, on an ipv6 listener) matches IPv4
// masks, where libzmq would compare it with IPv6 masks only.

import { BlockList, isIPv4 } from "node:net";

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
