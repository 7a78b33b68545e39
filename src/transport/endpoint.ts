// Endpoint parsing: turns `tcp://host:port`, `ipc://path`, `ws://host:port/path`,
// `epgm://iface;group:port` and `udp://[iface;]host:port` into something a transport can use, with libzmq's rules (zmtp-notes
// §7.2–7.3; ws as libzmq's ws_address_t). Imports only core. Errors name the endpoint and say what to fix.

import { ZmqError } from "../core/errors.ts";
import { type IpcAddress, parseIpc } from "./ipc-address.ts";
import { type PgmAddress, parsePgm } from "./pgm-address.ts";
import { type UdpAddress, parseUdp } from "./udp-address.ts";

export type { IpcAddress } from "./ipc-address.ts";
export type { PgmAddress } from "./pgm-address.ts";
export type { UdpAddress } from "./udp-address.ts";
/** Any address a stream transport (tcp, ipc, ws, wss) can listen on or dial. */
export type StreamAddress = TcpAddress | IpcAddress | WsAddress;

/** inproc://name: sockets of one Context linked by pipes, no bytes at all. */
export interface InprocAddress {
  scheme: "inproc";
  name: string;
}

export type Address = StreamAddress | InprocAddress | PgmAddress | UdpAddress;

export interface TcpAddress {
  scheme: "tcp";
  /** Hostname or numeric address without brackets; for bind, a numeric address. */
  host: string;
  /** 0 = pick an ephemeral port (bind only). */
  port: number;
  family: 4 | 6;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/;
const SUPPORTED = ["tcp", "ipc", "inproc", "ws", "wss", "epgm", "udp"];
const KNOWN = ["tcp", "ipc", "inproc", "pgm", "epgm", "tipc", "vmci", "udp", "ws", "wss"];

export function parseEndpoint(endpoint: string, purpose: "bind" | "connect", ipv6: boolean): Address {
  if (typeof endpoint !== "string") throw new ZmqError("EINVAL", `Endpoint must be a string such as "tcp://127.0.0.1:5555"`);
  const match = /^([a-z]+):\/\/(.*)$/.exec(endpoint);
  if (match === null) throw invalid(endpoint, `expected "scheme://address", e.g. "tcp://127.0.0.1:5555"`);
  const [, scheme, rest] = match as unknown as [string, string, string];
  if (!SUPPORTED.includes(scheme)) {
    const why = KNOWN.includes(scheme) ? "is not supported by bunzmq yet" : "is not a ZeroMQ transport";
    throw new ZmqError(
      "EPROTONOSUPPORT",
      `Transport "${scheme}" in "${endpoint}" ${why}; use tcp://, ipc://, inproc://, ws://, wss://, epgm:// or udp://`,
      endpoint,
    );
  }
  if (scheme === "ipc") return parseIpc(endpoint, rest, purpose);
  if (scheme === "epgm") return parsePgm(endpoint, scheme, rest);
  if (scheme === "udp") return parseUdp(endpoint, rest, purpose);
  if (scheme === "inproc") {
    if (rest === "") throw invalid(endpoint, "an inproc endpoint needs a name, e.g. inproc://workers");
    return { scheme: "inproc", name: rest };
  }
  if (scheme === "ws" || scheme === "wss") {
    // ws://host:port/path: the host and port follow tcp's rules (libzmq's ws_address_t resolves them as tcp's).
    const { authority, path } = splitWsPath(endpoint, rest);
    return { ...parseTcp(endpoint, authority, purpose, ipv6, scheme), scheme, path };
  }
  return parseTcp(endpoint, rest, purpose, ipv6, "tcp");
}

/** `host:port` by libzmq's tcp rules; `scheme` only names the endpoint's form in errors. */
function parseTcp(endpoint: string, rest: string, purpose: "bind" | "connect", ipv6: boolean, scheme: string): TcpAddress {
  const colon = rest.lastIndexOf(":");
  if (colon <= 0) throw invalid(endpoint, `expected "${scheme}://host:port${scheme === "tcp" ? "" : "/path"}"`);
  let host = rest.slice(0, colon);
  const portText = rest.slice(colon + 1);
  if (host.includes(";")) throw invalid(endpoint, "source-address endpoints (src;dst) are not supported");
  let family: 4 | 6 = 4;
  if (host.startsWith("[") && host.endsWith("]")) {
    host = host.slice(1, -1);
    family = 6;
    if (!/^[0-9A-Fa-f:.]+(%[\w.-]+)?$/.test(host) || !host.includes(":")) throw invalid(endpoint, "malformed IPv6 address");
  }
  const port = parsePort(endpoint, portText, purpose);
  if (purpose === "bind") {
    if (host === "*") return { scheme: "tcp", host: ipv6 ? "::" : "0.0.0.0", port, family: ipv6 ? 6 : 4 };
    if (host === "lo") return { scheme: "tcp", host: "127.0.0.1", port, family: 4 };
    if (family === 6 && !ipv6) {
      throw new ZmqError(
        "ENODEV",
        `Cannot bind to IPv6 address "${host}" in "${endpoint}" with ipv6 off; set the socket's ipv6 option to true`,
        endpoint,
      );
    }
    if (family === 6 || IPV4.test(host)) return { scheme: "tcp", host, port, family };
    // libzmq binds only to numeric addresses and interface names; a DNS name is ENODEV.
    throw new ZmqError("ENODEV", `Cannot bind to "${host}" in "${endpoint}": use "*", a numeric address or "lo"`, endpoint);
  }
  if (family === 4 && !IPV4.test(host) && !HOSTNAME.test(host)) throw invalid(endpoint, `"${host}" is not a host name or address`);
  return { scheme: "tcp", host, port, family };
}

/** The canonical text libzmq reports as ZMQ_LAST_ENDPOINT. */
export function formatTcpEndpoint(host: string, port: number): string {
  return host.includes(":") ? `tcp://[${host}]:${port}` : `tcp://${host}:${port}`;
}

function parsePort(endpoint: string, text: string, purpose: "bind" | "connect"): number {
  if (text === "*" || text === "0") {
    if (purpose === "connect") throw invalid(endpoint, "a connect endpoint needs a real port, not * or 0");
    return 0;
  }
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535 || Number(text) === 0) {
    throw invalid(endpoint, `"${text}" is not a port number (1-65535${purpose === "bind" ? ", or * for any" : ""})`);
  }
  return Number(text);
}

export function invalid(endpoint: string, why: string): ZmqError {
  return new ZmqError("EINVAL", `Invalid endpoint "${endpoint}": ${why}`, endpoint);
}

/** ws:// and wss://: tcp's host and port, plus the HTTP resource the upgrade asks for. */
export interface WsAddress {
  scheme: "ws" | "wss";
  /** Hostname or numeric address without brackets; for bind, a numeric address. */
  host: string;
  /** 0 = pick an ephemeral port (bind only). */
  port: number;
  family: 4 | 6;
  /** The HTTP resource the upgrade asks for; several sockets may share a port under different paths. */
  path: string;
}

// RFC 3986 path characters: no spaces, quotes or controls, which would break the request line.
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/** Splits what follows "ws://" into `host:port` and the path; throws EINVAL for a path that is not a URL path. */
export function splitWsPath(endpoint: string, rest: string): { authority: string; path: string } {
  const slash = rest.startsWith("[") ? rest.indexOf("/", rest.indexOf("]")) : rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "/" : rest.slice(slash);
  if (!PATH.test(path)) throw invalid(endpoint, `"${path}" is not a URL path`);
  return { authority, path };
}

/** The endpoint as lastEndpoint reports it, with the real port. */
export function formatWsEndpoint(address: WsAddress, port: number = address.port): string {
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return `${address.scheme}://${host}:${port}${address.path}`;
}

/**
 * The proxy's address from ZMQ_SOCKS_PROXY's "host:port" ("[v6]:port" for IPv6; a leading "tcp://"
 * is tolerated). Throws EINVAL naming the option when it is not one.
 */
export function parseSocksProxy(proxy: string, ipv6: boolean): TcpAddress {
  const endpoint = proxy.startsWith("tcp://") ? proxy : `tcp://${proxy}`;
  try {
    const address = parseEndpoint(endpoint, "connect", ipv6);
    if (address.scheme === "tcp") return address;
  } catch {
    // reported below with the option's name
  }
  throw new ZmqError("EINVAL", `Option socksProxy "${proxy}" is not "host:port" (e.g. "127.0.0.1:1080")`);
}
