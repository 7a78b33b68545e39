// The multicast session for the browser build (scripts/build-browser.ts puts this file in place of
// pgm-session.ts): a page has no UDP, and the browser transport refuses epgm:// before a session is
// made (transport/browser-transport.ts), so this only stands in for the names pgm-session.ts exports,
// keeping UDP sockets and node:os out of the page. Imports core.

import { ZmqError } from "../core/errors.ts";

/** No socket type multicasts in a page. */
export function multicastCapable(_type: number): boolean {
  return false;
}

/** Never made: a page has no epgm:// transport. */
export class PgmSession {
  constructor() {
    throw new ZmqError("EPROTONOSUPPORT", "a web page has no epgm:// transport; connect to a ws:// or wss:// endpoint");
  }
}
