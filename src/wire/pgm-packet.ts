// PGM packets (RFC 3208 §8–9) as OpenPGM lays them out: the 16-byte common header, SPM, ODATA/RDATA,
// NAK/NCF and SPMR bodies, the option chain, and the Internet checksum over the whole packet.
// Imports nothing: pure code over Uint8Array, socket-free, so it is tested and fuzzed directly.
//
// Common header (network byte order):
//   0 sport u16 | 2 dport u16 | 4 type u8 | 5 options u8 | 6 checksum u16 | 8 GSI 6 bytes | 14 TSDU length u16
// SPM  16: sqn u32, trail u32, lead u32, NLA AFI u16, reserved u16, NLA (4 bytes IPv4)
// DATA 16: sqn u32, trail u32, [options], TSDU
// NAK  16: sqn u32, source NLA AFI u16, reserved u16, source NLA, group NLA AFI u16, reserved u16, group NLA
// Options: OPT_LENGTH (type 0, length 4, total u16) first, then each: type (0x80 = last), length, OPX, payload.

export const PGM_SPM = 0x00;
export const PGM_ODATA = 0x04;
export const PGM_RDATA = 0x05;
export const PGM_NAK = 0x08;
export const PGM_NNAK = 0x09;
export const PGM_NCF = 0x0a;
export const PGM_SPMR = 0x0c;

export const PGM_HEADER_SIZE = 16;
/** Header plus the data body's sqn and trail: what precedes a TSDU without options. */
export const PGM_DATA_OVERHEAD = 24;
const OPT_PRESENT = 0x01;
const OPT_LENGTH = 0x00;
const OPT_FRAGMENT = 0x01;
const OPT_NAK_LIST = 0x02;
const OPT_END = 0x80;
const AFI_IP = 1;
/** OpenPGM's limit on the sequence numbers one NAK may carry (its own plus 62 in OPT_NAK_LIST). */
export const MAX_NAK_LIST = 62;

/** Transport session id: the source's GSI (6 bytes) and its source port. */
export interface Tsi {
  gsi: Uint8Array;
  sourcePort: number;
}

export type PgmPacket =
  | { type: typeof PGM_SPM; tsi: Tsi; dport: number; sqn: number; trail: number; lead: number; nla: string }
  | {
      type: typeof PGM_ODATA | typeof PGM_RDATA;
      tsi: Tsi;
      dport: number;
      sqn: number;
      trail: number;
      data: Uint8Array;
      /** OPT_FRAGMENT: the packet holds part of a larger APDU (libzmq never sends these). */
      fragment: { firstSqn: number; offset: number; apduLength: number } | null;
    }
  | {
      type: typeof PGM_NAK | typeof PGM_NNAK | typeof PGM_NCF;
      tsi: Tsi;
      dport: number;
      sqns: number[];
      sourceNla: string;
      groupNla: string;
    }
  | { type: typeof PGM_SPMR; tsi: Tsi; dport: number };

/** Why a datagram was not a usable PGM packet; the caller counts and drops it. */
export type PgmReject = "truncated" | "checksum" | "options" | "type";

export type PgmDecoded = { ok: true; packet: PgmPacket } | { ok: false; reason: PgmReject };

/** RFC 1071 one's-complement sum of `bytes`, folded to 16 bits and complemented. */
export function internetChecksum(bytes: Uint8Array): number {
  let sum = 0;
  const end = bytes.length & ~1;
  for (let i = 0; i < end; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (bytes.length & 1) sum += bytes[end]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function decodePgm(bytes: Uint8Array): PgmDecoded {
  if (bytes.length < PGM_HEADER_SIZE) return { ok: false, reason: "truncated" };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A zero checksum means the sender did not compute one (RFC 3208 §8); otherwise the sum over the
  // whole packet, checksum included, must fold to zero. As in OpenPGM (on pgm:// and epgm:// alike),
  // ODATA and RDATA must carry one: only the control packets may go without.
  const checksum = view.getUint16(6);
  if (checksum === 0 && (bytes[4] === PGM_ODATA || bytes[4] === PGM_RDATA)) return { ok: false, reason: "checksum" };
  if (checksum !== 0 && internetChecksum(bytes) !== 0) return { ok: false, reason: "checksum" };
  const tsi = { gsi: bytes.slice(8, 14), sourcePort: view.getUint16(0) };
  const dport = view.getUint16(2);
  const type = bytes[4]!;
  const hasOptions = (bytes[5]! & OPT_PRESENT) !== 0;
  const tsduLength = view.getUint16(14);
  switch (type) {
    case PGM_SPM: {
      if (bytes.length < PGM_HEADER_SIZE + 20) return { ok: false, reason: "truncated" };
      const nla = readNla(view, 28);
      return { ok: true, packet: { type, tsi, dport, sqn: view.getUint32(16), trail: view.getUint32(20), lead: view.getUint32(24), nla } };
    }
    case PGM_ODATA:
    case PGM_RDATA: {
      if (bytes.length < PGM_DATA_OVERHEAD) return { ok: false, reason: "truncated" };
      const options = hasOptions ? readOptions(view, PGM_DATA_OVERHEAD) : EMPTY_OPTIONS;
      if (options === null) return { ok: false, reason: "options" };
      const start = PGM_DATA_OVERHEAD + options.length;
      if (bytes.length < start + tsduLength) return { ok: false, reason: "truncated" };
      const data = bytes.subarray(start, start + tsduLength);
      return {
        ok: true,
        packet: { type, tsi, dport, sqn: view.getUint32(16), trail: view.getUint32(20), data, fragment: options.fragment },
      };
    }
    case PGM_NAK:
    case PGM_NNAK:
    case PGM_NCF: {
      if (bytes.length < PGM_HEADER_SIZE + 20) return { ok: false, reason: "truncated" };
      const options = hasOptions ? readOptions(view, PGM_HEADER_SIZE + 20) : EMPTY_OPTIONS;
      if (options === null) return { ok: false, reason: "options" };
      const sqns = [view.getUint32(16), ...options.nakList];
      return { ok: true, packet: { type, tsi, dport, sqns, sourceNla: readNla(view, 20), groupNla: readNla(view, 28) } };
    }
    case PGM_SPMR:
      return { ok: true, packet: { type, tsi, dport } };
    default:
      return { ok: false, reason: "type" };
  }
}

interface Options {
  length: number;
  fragment: { firstSqn: number; offset: number; apduLength: number } | null;
  nakList: number[];
}

const EMPTY_OPTIONS: Options = { length: 0, fragment: null, nakList: [] };

/** The option chain at `at`, or null when it is malformed (lengths that overrun, a missing OPT_LENGTH). */
function readOptions(view: DataView, at: number): Options | null {
  if (view.byteLength < at + 4 || view.getUint8(at) !== OPT_LENGTH || view.getUint8(at + 1) !== 4) return null;
  const total = view.getUint16(at + 2);
  if (total < 4 || at + total > view.byteLength) return null;
  const result: Options = { length: total, fragment: null, nakList: [] };
  let cursor = at + 4;
  const end = at + total;
  while (cursor < end) {
    if (cursor + 3 > end) return null;
    const type = view.getUint8(cursor);
    const length = view.getUint8(cursor + 1);
    if (length < 3 || cursor + length > end) return null;
    const kind = type & ~OPT_END;
    if (kind === OPT_FRAGMENT) {
      if (length !== 16) return null;
      result.fragment = {
        firstSqn: view.getUint32(cursor + 4),
        offset: view.getUint32(cursor + 8),
        apduLength: view.getUint32(cursor + 12),
      };
    } else if (kind === OPT_NAK_LIST) {
      for (let i = cursor + 4; i + 4 <= cursor + length; i += 4) result.nakList.push(view.getUint32(i));
    }
    cursor += length;
    if (type & OPT_END) break;
  }
  return result;
}

function readNla(view: DataView, at: number): string {
  if (view.getUint16(at) !== AFI_IP) return "";
  return `${view.getUint8(at + 4)}.${view.getUint8(at + 5)}.${view.getUint8(at + 6)}.${view.getUint8(at + 7)}`;
}

function writeNla(view: DataView, at: number, address: string): void {
  view.setUint16(at, AFI_IP);
  view.setUint16(at + 2, 0);
  address.split(".").forEach((part, i) => view.setUint8(at + 4 + i, Number(part)));
}

/** Header fields every packet carries: ports as seen on the wire (upstream packets swap them). */
interface HeaderFields {
  sport: number;
  dport: number;
  gsi: Uint8Array;
}

function packet(type: number, fields: HeaderFields, bodySize: number, tsduLength = 0, options = 0): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(PGM_HEADER_SIZE + bodySize);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, fields.sport);
  view.setUint16(2, fields.dport);
  bytes[4] = type;
  bytes[5] = options;
  bytes.set(fields.gsi, 8);
  view.setUint16(14, tsduLength);
  return { bytes, view };
}

/** Fills in the checksum; a computed zero goes out as 0xffff, since zero means "none". */
export function seal(bytes: Uint8Array): Uint8Array {
  const sum = internetChecksum(bytes);
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(6, sum === 0 ? 0xffff : sum);
  return bytes;
}

export function encodeSpm(fields: HeaderFields, sqn: number, trail: number, lead: number, nla: string): Uint8Array {
  const { bytes, view } = packet(PGM_SPM, fields, 20);
  view.setUint32(16, sqn >>> 0);
  view.setUint32(20, trail >>> 0);
  view.setUint32(24, lead >>> 0);
  writeNla(view, 28, nla);
  return seal(bytes);
}

/** ODATA or RDATA carrying one whole APDU (`data`), as libzmq's sender always sends. */
export function encodeData(
  type: typeof PGM_ODATA | typeof PGM_RDATA,
  fields: HeaderFields,
  sqn: number,
  trail: number,
  data: Uint8Array,
): Uint8Array {
  const { bytes, view } = packet(type, fields, 8 + data.length, data.length);
  view.setUint32(16, sqn >>> 0);
  view.setUint32(20, trail >>> 0);
  bytes.set(data, PGM_DATA_OVERHEAD);
  return seal(bytes);
}

/** NAK, N-NAK or NCF for `sqns` (1 to 63): the first in the body, the rest in OPT_NAK_LIST. */
export function encodeNak(
  type: typeof PGM_NAK | typeof PGM_NNAK | typeof PGM_NCF,
  fields: HeaderFields,
  sqns: readonly number[],
  sourceNla: string,
  groupNla: string,
): Uint8Array {
  const extra = sqns.slice(1, 1 + MAX_NAK_LIST);
  const optionsSize = extra.length === 0 ? 0 : 4 + 4 + 4 * extra.length;
  const { bytes, view } = packet(type, fields, 20 + optionsSize, 0, optionsSize === 0 ? 0 : OPT_PRESENT | 0x02);
  view.setUint32(16, sqns[0]! >>> 0);
  writeNla(view, 20, sourceNla);
  writeNla(view, 28, groupNla);
  if (optionsSize > 0) {
    const at = PGM_HEADER_SIZE + 20;
    view.setUint8(at, OPT_LENGTH);
    view.setUint8(at + 1, 4);
    view.setUint16(at + 2, optionsSize);
    view.setUint8(at + 4, OPT_NAK_LIST | OPT_END);
    view.setUint8(at + 5, 4 + 4 * extra.length);
    extra.forEach((sqn, i) => view.setUint32(at + 8 + 4 * i, sqn >>> 0));
  }
  return seal(bytes);
}

export function encodeSpmr(fields: HeaderFields): Uint8Array {
  return seal(packet(PGM_SPMR, fields, 0).bytes);
}

/** "gsi-hex.sport": how events and logs name a sender. */
export function tsiText(tsi: Tsi): string {
  let hex = "";
  for (const byte of tsi.gsi) hex += byte.toString(16).padStart(2, "0");
  return `${hex}.${tsi.sourcePort}`;
}
