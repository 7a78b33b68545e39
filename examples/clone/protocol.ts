// The Clustered Hashmap Protocol (RFC 12/CHP, rfc.zeromq.org/spec/12): a key-value map kept by a
// server and shared with every client, which gets a snapshot and then the updates. Every command but
// ICANHAZ is five frames, so one shape serves them all:
//
//   ICANHAZ  client -> server snapshot   ["ICANHAZ?", subtree]
//   KVSYNC   server -> client snapshot   [key, sequence, "", "", value]
//   KTHXBAI  server -> client snapshot   ["KTHXBAI", sequence, "", "", subtree]
//   KVPUB    server -> clients, PUB      [key, sequence, uuid, properties, value]
//   HUGZ     server -> clients, PUB      ["HUGZ", 0, "", "", ""]       (when there is nothing else)
//   KVSET    client -> server, PUB       [key, 0, uuid, properties, value]
//
// Sequence numbers are 8 bytes in network order; an empty value deletes the key. A subtree is ""
// (everything) or "/a/b/"; keys under it start with it, so a SUB subscribed to the subtree receives
// exactly its updates. RFC 12 binds ports P, P+1 and P+2; here each socket binds a free port of its
// own and the client is given the three endpoints.

export const ICANHAZ = "ICANHAZ?";
export const KTHXBAI = "KTHXBAI";
export const HUGZ = "HUGZ";

/** One key-value command in its five frames' meaning. */
export interface KeyValue {
  key: string;
  sequence: bigint;
  /** 16 bytes, or empty where the command has none. */
  uuid: Uint8Array;
  properties: string;
  /** Empty: delete the key. */
  value: Uint8Array;
}

function sequenceFrame(sequence: bigint): Uint8Array {
  const frame = new Uint8Array(8);
  new DataView(frame.buffer).setBigUint64(0, sequence);
  return frame;
}

/** The five frames of a KVSYNC, KTHXBAI, KVPUB, HUGZ or KVSET. */
export function encode({ key, sequence, uuid, properties, value }: KeyValue): Array<string | Uint8Array> {
  return [key, sequenceFrame(sequence), uuid, properties, value];
}

/** A five-frame command, or null for anything else (which a peer ignores). */
export function decode(frames: readonly Uint8Array[]): KeyValue | null {
  if (frames.length !== 5 || frames[1]!.length !== 8) return null;
  const [key, sequence, uuid, properties, value] = frames;
  const text = new TextDecoder();
  return {
    key: text.decode(key),
    sequence: new DataView(sequence!.buffer, sequence!.byteOffset, 8).getBigUint64(0),
    uuid: uuid!,
    properties: text.decode(properties),
    value: value!,
  };
}

/** A random 16-byte UUID (version 4), so a client can recognise its own update when it comes back. */
export function newUuid(): Uint8Array {
  const uuid = crypto.getRandomValues(new Uint8Array(16));
  uuid[6] = (uuid[6]! & 0x0f) | 0x40;
  uuid[8] = (uuid[8]! & 0x3f) | 0x80;
  return uuid;
}

export const EMPTY = new Uint8Array(0);
