// ws:// and wss:// endpoint rules: `ws://host:port/path`, as libzmq's ws_address_t reads them (the
// path defaults to "/"; bind takes "*" or a numeric address, and port "*" for any). Imports only
// core.

import { ZmqError } from "../core/errors.ts";

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

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/;
// RFC 3986 path characters: no spaces, quotes or controls, which would break the request line.
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

export function parseWs(endpoint: string, scheme: "ws" | "wss", rest: string, purpose: "bind" | "connect", ipv6: boolean): WsAddress {
  const slash = rest.startsWith("[") ? rest.indexOf("/", rest.indexOf("]")) : rest.indexOf("/");
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? "/" : rest.slice(slash);
  if (!PATH.test(path)) throw invalidWs(endpoint, `"${path}" is not a URL path`);
  const colon = authority.lastIndexOf(":");
  if (colon <= 0) throw invalidWs(endpoint, `expected "${scheme}://host:port/path"`);
  let host = authority.slice(0, colon);
  let family: 4 | 6 = 4;
  if (host.startsWith("[") && host.endsWith("]")) {
    host = host.slice(1, -1);
    family = 6;
    if (!/^[0-9A-Fa-f:.]+$/.test(host) || !host.includes(":")) throw invalidWs(endpoint, "malformed IPv6 address");
  }
  const port = parsePort(endpoint, authority.slice(colon + 1), purpose);
  if (purpose === "bind") {
    if (host === "*") return { scheme, host: ipv6 ? "::" : "0.0.0.0", port, family: ipv6 ? 6 : 4, path };
    if (host === "localhost" || host === "lo") return { scheme, host: "127.0.0.1", port, family: 4, path };
    if (family === 6 || IPV4.test(host)) return { scheme, host, port, family, path };
    throw new ZmqError("ENODEV", `Cannot bind to "${host}" in "${endpoint}": use "*", a numeric address or "localhost"`, endpoint);
  }
  if (family === 4 && !IPV4.test(host) && !HOSTNAME.test(host)) throw invalidWs(endpoint, `"${host}" is not a host name or address`);
  return { scheme, host, port, family, path };
}

/** The endpoint as lastEndpoint reports it, with the real port. */
export function formatWsEndpoint(address: WsAddress, port: number = address.port): string {
  const host = address.host.includes(":") ? `[${address.host}]` : address.host;
  return `${address.scheme}://${host}:${port}${address.path}`;
}

function parsePort(endpoint: string, text: string, purpose: "bind" | "connect"): number {
  if (text === "*" || text === "0") {
    if (purpose === "connect") throw invalidWs(endpoint, "a connect endpoint needs a real port, not * or 0");
    return 0;
  }
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535 || Number(text) === 0) {
    throw invalidWs(endpoint, `"${text}" is not a port number (1-65535${purpose === "bind" ? ", or * for any" : ""})`);
  }
  return Number(text);
}

function invalidWs(endpoint: string, why: string): ZmqError {
  return new ZmqError("EINVAL", `Invalid endpoint "${endpoint}": ${why}`, endpoint);
}
