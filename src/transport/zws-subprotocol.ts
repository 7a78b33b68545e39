// Which ZWS 2.0 subprotocol a connection speaks, as libzmq 4.3.5's ws_engine chooses it: a client
// offers `ZWS2.0/<its mechanism>` (NULL also offers bare `ZWS2.0`), and a server takes the first
// offer its own mechanism accepts, refusing the connection when none fits, so a CURVE server turns
// away a bare `ZWS2.0` client. Imports only its sibling zws-translator.ts's type.

import type { ZwsMode } from "./zws-translator.ts";

export type Mechanism = "NULL" | "PLAIN" | "CURVE";

/** The Sec-WebSocket-Protocol a client sends, in libzmq's order of preference; `bare` offers only "ZWS2.0". */
export function offeredSubprotocols(mechanism: Mechanism, bare = false): string[] {
  if (bare) return ["ZWS2.0"];
  return mechanism === "NULL" ? ["ZWS2.0/NULL", "ZWS2.0"] : [`ZWS2.0/${mechanism}`];
}

/** The server's pick from a client's Sec-WebSocket-Protocol header(s), or null when none fits. */
export function selectSubprotocol(header: string | null, mechanism: Mechanism): string | null {
  if (header === null) return null;
  for (const offer of header.split(",")) {
    const protocol = offer.trim();
    if (modeOf(protocol, mechanism) !== null) return protocol;
  }
  return null;
}

/** How `protocol` runs under a socket with `mechanism`; null when that socket cannot speak it. */
export function modeOf(protocol: string, mechanism: Mechanism): ZwsMode | null {
  if (protocol === "ZWS2.0") return mechanism === "NULL" ? "bare" : null;
  return protocol === `ZWS2.0/${mechanism}` ? mechanism : null;
}
