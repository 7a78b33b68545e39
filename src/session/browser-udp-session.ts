// The udp:// session for the browser build (scripts/build-browser.ts puts this file in place of
// udp-session.ts): a page has no UDP, and the browser transport refuses udp:// before a session is
// made (transport/browser-transport.ts), so this only stands in for the names udp-session.ts
// exports, keeping node:dgram out of the page. Imports core.

import { ZmqError } from "../core/errors.ts";

const NO_UDP = "a web page has no udp:// transport; connect to a ws:// or wss:// endpoint";

/** Never reached in a page: assertSupported refuses udp:// first. */
export function udpRole(): never {
  throw new ZmqError("EPROTONOSUPPORT", NO_UDP);
}

/** Never made: a page has no udp:// transport. */
export class UdpSession {
  constructor() {
    throw new ZmqError("EPROTONOSUPPORT", NO_UDP);
  }
}
