// What the ws:// and wss:// transports read from the socket's options as each connection opens (the
// mechanism, the message size limit, TLS under libzmq's ZMQ_WSS_* names), and the ZWS 2.0
// subprotocol the mechanism picks, as libzmq 4.3.5's ws_engine picks it: a client offers
// `ZWS2.0/<its mechanism>` (NULL also offers bare `ZWS2.0`), and a server takes the first offer its
// own mechanism accepts, refusing the connection when none fits, so a CURVE server turns away a
// bare `ZWS2.0` client. Imports only its sibling zws-translator.ts's type.

import type { ZwsMode } from "./zws-translator.ts";

export interface WsOptions {
  readonly mechanism: "NULL" | "PLAIN" | "CURVE";
  /** ZMQ_MAXMSGSIZE: a server also caps the WebSocket messages it reads at this plus the flags byte. */
  readonly maxMessageSize: number;
  /** ZMQ_WSS_CERT_PEM / ZMQ_WSS_KEY_PEM: a wss:// bind's certificate chain and key, PEM. */
  readonly wssCertPem: string;
  readonly wssKeyPem: string;
  /** ZMQ_WSS_TRUST_PEM: certificates a wss:// connect trusts, PEM; "" for none beyond the system's. */
  readonly wssTrustPem: string;
  /** ZMQ_WSS_TRUST_SYSTEM: whether a wss:// connect also trusts the system's certificate authorities. */
  readonly wssTrustSystem: boolean;
  /** ZMQ_WSS_HOSTNAME: the name a wss:// connect expects in the certificate (and sends as SNI); "" for the endpoint's host. */
  readonly wssHostname: string;
  /** Connects offer only the bare "ZWS2.0" subprotocol (NULL, no handshake), as jszmq and browsers do. */
  readonly wsBareProtocol: boolean;
}

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
