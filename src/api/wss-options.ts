// The WebSocket options: wss:// TLS under libzmq's ZMQ_WSS_* names (numbers 103-107, DRAFT in
// libzmq, left out by zeromq.js): a bind's certificate and key, a connect's trusted certificates,
// system roots and expected host name; and bunzmq's wsBareProtocol. Each applies to connections and
// binds made after it is set. Imports core and the option shapes.

import { ZmqError } from "../core/errors.ts";
import type { SocketOptions } from "../core/options.ts";
import type { OptionSpec } from "./option-spec.ts";

type WssTextOption = "wssCertPem" | "wssKeyPem" | "wssTrustPem" | "wssHostname";

/** Options every socket has for wss:// (TLS over WebSocket). Strings also take a Buffer (UTF-8). */
export interface WssProperties {
  /**
   * A wss:// bind's certificate chain, PEM. A wss:// bind without it and `wssKeyPem` fails EINVAL.
   * @defaultValue null
   * @libzmq ZMQ_WSS_CERT_PEM (104)
   */
  wssCertPem: string | null;
  /**
   * The private key of `wssCertPem`, PEM.
   * @defaultValue null
   * @libzmq ZMQ_WSS_KEY_PEM (103)
   */
  wssKeyPem: string | null;
  /**
   * Certificates (PEM) a wss:// connect trusts beside the system's authorities, e.g. your own CA.
   * @defaultValue null
   * @libzmq ZMQ_WSS_TRUST_PEM (105)
   */
  wssTrustPem: string | null;
  /**
   * Whether a wss:// connect trusts the system's certificate authorities; false with `wssTrustPem`
   * trusts only those.
   * @defaultValue true
   * @libzmq ZMQ_WSS_TRUST_SYSTEM (107)
   */
  wssTrustSystem: boolean;
  /**
   * The name a wss:// connect expects in the server's certificate (and sends as SNI); null checks
   * the endpoint's host.
   * @defaultValue null
   * @libzmq ZMQ_WSS_HOSTNAME (106)
   */
  wssHostname: string | null;
  /**
   * Whether ws:// and wss:// connects offer only the bare `ZWS2.0` subprotocol (no ZMTP handshake;
   * each side's first message is its routing id), as jszmq and browsers speak it, instead of
   * `ZWS2.0/NULL` first. A jszmq server needs it: it takes the first subprotocol offered and then
   * speaks bare ZWS 2.0 whatever it took. NULL mechanism only: connect() fails EINVAL under PLAIN
   * or CURVE. A bunzmq addition, no libzmq number.
   * @defaultValue false
   */
  wsBareProtocol: boolean;
}

const fromUtf8 = new TextDecoder();

function textOption(name: WssTextOption, id: number): OptionSpec {
  return {
    name,
    id,
    kind: "string",
    access: "rw",
    on: "all",
    read: ({ options }) => (options[name] === "" ? null : options[name]),
    write: ({ options }, value: unknown) => {
      options[name] = text(name, value);
    },
  };
}

function text(name: string, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return fromUtf8.decode(value);
  throw new ZmqError("EINVAL", `Option ${name} must be a string or null, got ${String(value)}`);
}

/** @internal */
export const WSS_OPTIONS: readonly OptionSpec[] = [
  textOption("wssKeyPem", 103),
  textOption("wssCertPem", 104),
  textOption("wssTrustPem", 105),
  textOption("wssHostname", 106),
  flagOption("wssTrustSystem", 107),
  flagOption("wsBareProtocol", null),
];

function flagOption(name: "wssTrustSystem" | "wsBareProtocol", id: number | null): OptionSpec {
  return {
    name,
    id,
    kind: "bool",
    access: "rw",
    on: "all",
    read: ({ options }: { options: SocketOptions }) => options[name],
    write: ({ options }, value: boolean) => {
      options[name] = value;
    },
  };
}
