// The syntax of ZMQ_TCP_ACCEPT_FILTER's masks, checked as libzmq's setsockopt checks them: a numeric
// IPv4 or IPv6 address with an optional "/bits". Apart from accept-filter.ts, which applies the masks
// with node:net's BlockList, so that the options (api/connection-options.ts) need only node:net's
// address tests, which the browser build's node:net polyfill has too. Imports core and node:net.

import { isIPv4, isIPv6 } from "node:net";
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
