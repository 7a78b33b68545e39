// Endpoint parsing for pgm:// and epgm://, with libzmq's syntax: `epgm://<interface>;<group>:<port>`,
// where the interface is an IPv4 address of this host or an interface name ("eth0", "lo"), and may
// be left out (`epgm://239.192.1.1:5555`) to let the kernel choose. Imports core and node:os.

import { networkInterfaces } from "node:os";
import { ZmqError } from "../core/errors.ts";

/** One type per scheme, so that a check of `scheme` narrows an Address. */
export type PgmAddress = PgmAddressOf<"pgm"> | PgmAddressOf<"epgm">;

interface PgmAddressOf<S extends "pgm" | "epgm"> {
  scheme: S;
  /** This host's IPv4 address on the interface, or "0.0.0.0" when none was named. */
  interfaceAddress: string;
  group: string;
  port: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

export function parsePgm(endpoint: string, scheme: "pgm" | "epgm", rest: string): PgmAddress {
  const colon = rest.lastIndexOf(":");
  const invalid = (why: string) =>
    new ZmqError("EINVAL", `Invalid endpoint "${endpoint}": ${why}; expected "${scheme}://<interface>;<group>:<port>"`, endpoint);
  if (colon <= 0) throw invalid("no port");
  const portText = rest.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535)
    throw invalid(`"${portText}" is not a port (1-65535)`);
  const host = rest.slice(0, colon);
  const semicolon = host.indexOf(";");
  const iface = semicolon < 0 ? "" : host.slice(0, semicolon);
  const group = semicolon < 0 ? host : host.slice(semicolon + 1);
  if (!IPV4.test(group) || Number(group.split(".")[0]) < 224 || Number(group.split(".")[0]) > 239) {
    throw invalid(`"${group}" is not an IPv4 multicast group (224.0.0.0-239.255.255.255)`);
  }
  return {
    scheme: scheme as "epgm",
    interfaceAddress: iface === "" ? "0.0.0.0" : interfaceAddress(endpoint, iface),
    group,
    port: Number(portText),
  };
}

/** An interface name's first IPv4 address, or a literal address checked to be this host's. */
export function interfaceAddress(endpoint: string, name: string): string {
  const interfaces = networkInterfaces();
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  if (IPV4.test(name)) {
    if (all.some((entry) => entry.family === "IPv4" && entry.address === name)) return name;
    throw new ZmqError("ENODEV", `No interface of this host has the address ${name} in "${endpoint}"`, endpoint);
  }
  const found = (interfaces[name] ?? []).find((entry) => entry.family === "IPv4");
  if (found !== undefined) return found.address;
  throw new ZmqError("ENODEV", `No interface "${name}" with an IPv4 address in "${endpoint}"`, endpoint);
}
