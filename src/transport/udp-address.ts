// Endpoint parsing for udp://, with libzmq 4.3.5's rules (udp_address.cpp): `udp://host:port` and
// `udp://<interface>;<group>:port`. Imports core and the interface lookup of pgm-address.ts.
//
// What the address means depends on the verb, as in libzmq:
// - bind (DISH, DGRAM): a unicast address is where to listen ("*" for every interface, an
//   interface name such as "lo", or one of this host's addresses); a multicast group is joined, on
//   the interface before ';' when one is named, and the socket listens on every address.
// - connect (RADIO): the address is where datagrams go, a host or a group; with a group, the
//   interface before ';' is the one they leave by.
// An interface before ';' is allowed only with a multicast group (libzmq: EINVAL otherwise).

import { ZmqError } from "../core/errors.ts";
import { interfaceAddress } from "./pgm-address.ts";

export interface UdpAddress {
  scheme: "udp";
  /** Where a RADIO sends: a host name, an IPv4 address or a group (unused by a bind). */
  target: string;
  port: number;
  /** The group to join (bind) or to set the outgoing interface for (connect), or null. */
  group: string | null;
  /** The local address to bind: "0.0.0.0" for "*", for a group, or for a connect. */
  bindAddress: string;
  /** This host's address on the interface named before ';', or "0.0.0.0" to let the kernel choose. */
  interfaceAddress: string;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?$/;

function isMulticast(address: string): boolean {
  if (!IPV4.test(address)) return false;
  const first = Number(address.split(".")[0]);
  return first >= 224 && first <= 239;
}

export function parseUdp(endpoint: string, rest: string, purpose: "bind" | "connect"): UdpAddress {
  const invalid = (why: string) =>
    new ZmqError(
      "EINVAL",
      `Invalid endpoint "${endpoint}": ${why}; expected "udp://host:port" or "udp://<interface>;<group>:port"`,
      endpoint,
    );
  const colon = rest.lastIndexOf(":");
  if (colon <= 0) throw invalid("no port");
  const portText = rest.slice(colon + 1);
  if (portText === "*" || portText === "0") {
    // libzmq would bind a port it cannot report; a datagram peer has to know the port anyway.
    throw invalid("a udp:// endpoint needs its port: a sender addresses datagrams to it, and * would hide which one");
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
    throw invalid(`"${portText}" is not a port (1-65535)`);
  const port = Number(portText);
  const host = rest.slice(0, colon);
  const semicolon = host.lastIndexOf(";");
  const target = semicolon < 0 ? host : host.slice(semicolon + 1);
  if (target.includes("[") || target.includes("]")) {
    throw new ZmqError("EPROTONOSUPPORT", `udp:// in "${endpoint}" is IPv4 only here; use an IPv4 address or group`, endpoint);
  }
  const multicast = isMulticast(target);
  if (semicolon >= 0) {
    if (!multicast)
      throw invalid(`"${target}" is not a multicast group (224.0.0.0-239.255.255.255), and only a group takes an interface before ';'`);
    const iface = host.slice(0, semicolon);
    if (isMulticast(iface)) throw invalid(`the interface "${iface}" is a multicast address`);
    const local = iface === "*" ? "0.0.0.0" : interfaceAddress(endpoint, iface);
    return { scheme: "udp", target, port, group: target, bindAddress: "0.0.0.0", interfaceAddress: local };
  }
  if (multicast) return { scheme: "udp", target, port, group: target, bindAddress: "0.0.0.0", interfaceAddress: "0.0.0.0" };
  if (purpose === "connect") {
    if (!IPV4.test(target) && !HOSTNAME.test(target)) throw invalid(`"${target}" is not a host name or IPv4 address`);
    return { scheme: "udp", target, port, group: null, bindAddress: "0.0.0.0", interfaceAddress: "0.0.0.0" };
  }
  // A unicast bind: the address is where to listen.
  const local = target === "*" || target === "0.0.0.0" ? "0.0.0.0" : interfaceAddress(endpoint, target);
  return { scheme: "udp", target: local, port, group: null, bindAddress: local, interfaceAddress: "0.0.0.0" };
}
