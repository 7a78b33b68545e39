// The udp:// datagrams of libzmq 4.3.5 (udp_engine.cpp): what one RADIO message or one DGRAM body
// looks like inside one UDP datagram, and the "ip:port" address frames of DGRAM. Imports nothing:
// pure code over Uint8Array, socket-free, so it is tested and fuzzed directly.
//
//   RADIO/DISH datagram:  group length u8 | group (that many bytes) | body (the rest)
//   DGRAM datagram:       body (the whole datagram; the peer is the UDP source or destination)
//
// libzmq reads and writes datagrams of at most MAX_UDP_DATAGRAM bytes (its MAX_UDP_MSG): it reads a
// longer one cut short, and a longer send would overrun its buffer, so neither side here makes one.

/** libzmq's MAX_UDP_MSG: the largest datagram it sends or receives whole. */
export const MAX_UDP_DATAGRAM = 8192;

/** One RADIO message as a DISH reads it from a datagram: views into the datagram, not copies. */
export interface GroupDatagram {
  readonly group: Uint8Array;
  readonly body: Uint8Array;
}

/**
 * `group` (at most 255 bytes) and `body` as one datagram, or null when it would exceed
 * MAX_UDP_DATAGRAM (libzmq could not read it whole).
 */
export function encodeGroupDatagram(group: Uint8Array, body: Uint8Array): Uint8Array | null {
  if (group.length > 255) return null;
  const size = 1 + group.length + body.length;
  if (size > MAX_UDP_DATAGRAM) return null;
  const datagram = new Uint8Array(size);
  datagram[0] = group.length;
  datagram.set(group, 1);
  datagram.set(body, 1 + group.length);
  return datagram;
}

/**
 * Reads a RADIO datagram; null when it is malformed: empty (no length byte) or a group length that
 * runs past its end. libzmq ignores those too (an empty one it reads from a stale buffer).
 */
export function decodeGroupDatagram(datagram: Uint8Array): GroupDatagram | null {
  if (datagram.length === 0) return null;
  const groupLength = datagram[0]!;
  if (1 + groupLength > datagram.length) return null;
  return { group: datagram.subarray(1, 1 + groupLength), body: datagram.subarray(1 + groupLength) };
}

/** A DGRAM peer as libzmq names it in the first frame: "a.b.c.d:port". */
export interface DatagramPeer {
  readonly address: string;
  readonly port: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const latin1 = new TextDecoder("latin1");
const ascii = new TextEncoder();

/**
 * The first frame of a received DGRAM message: the sender as "ip:port" and a NUL, exactly as
 * libzmq's sockaddr_to_msg makes it (it sizes the frame for the C string's terminator).
 */
export function encodePeerFrame(address: string, port: number): Uint8Array {
  return ascii.encode(`${address}:${port}\0`);
}

/**
 * The destination a DGRAM message's first frame names, as libzmq's resolve_raw_address reads it:
 * a dotted IPv4 address, the last ':', a port 1-65535, and a NUL or not (so a received sender
 * frame echoes back as it is). Null for anything else (libzmq drops it).
 */
export function decodePeerFrame(frame: Uint8Array): DatagramPeer | null {
  const length = frame.length > 0 && frame[frame.length - 1] === 0 ? frame.length - 1 : frame.length;
  if (length === 0 || length > 21) return null;
  const text = latin1.decode(frame.subarray(0, length));
  const colon = text.lastIndexOf(":");
  if (colon < 0) return null;
  const address = text.slice(0, colon);
  const portText = text.slice(colon + 1);
  if (!IPV4.test(address) || !/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port === 0 || port > 65535) return null;
  return { address, port };
}
