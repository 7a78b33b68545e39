// The game cluster's messages, as bunzmq multipart messages between the gateway and its game servers,
// and as WebSocket messages between players and the gateway. One header frame of fixed binary
// fields (cheap to build and parse per action) plus the player's payload as its own frame, so the
// payload is never copied on its way through the gateway.
//
//   gateway → server (actions PUSH)   [ACTION header, payload]
//   server → gateway (results PUSH)   [RESULT header, payload] | [HELLO, serverId, endpoint] | [BYE, serverId]
//   player ↔ gateway (WebSocket)      binary: u32 client sequence + payload, both ways

/** First byte of every header frame. */
export const Kind = { Action: 1, Result: 2, Hello: 3, Bye: 4 } as const;

/** What the gateway tracks per action; the server echoes all of it in the result. */
export interface ActionHeader {
  /** Gateway-wide sequence number: the at-least-once key. */
  actionId: number;
  /** The gateway's id for the player's connection. */
  playerId: number;
  /** The player's own sequence number, returned to it with the result. */
  clientSeq: number;
  /** How many times the gateway has dispatched this action (1 = first time). */
  attempt: number;
  /** When the gateway dispatched it, in µs modulo 2^32 (its clock only): the gateway's latency. */
  sentAt: number;
}

export interface ResultHeader extends ActionHeader {
  /** Which game server computed the result: the gateway's per-server share. */
  serverId: number;
}

const ACTION_BYTES = 1 + 5 * 4;

// Received frames are Buffers already; anything else is copied (a view would first need `.buffer`,
// which Bun makes slow for small typed arrays).
function asBuffer(frame: Uint8Array): Buffer {
  return frame instanceof Buffer ? frame : Buffer.from(frame);
}
const RESULT_BYTES = ACTION_BYTES + 4;

// A result header is the action header it answers, kind byte changed, plus the server's id.
function writeHeader(kind: number, h: ActionHeader, bytes: number): Buffer {
  const frame = Buffer.allocUnsafe(bytes);
  frame[0] = kind;
  frame.writeUInt32BE(h.actionId, 1);
  frame.writeUInt32BE(h.playerId, 5);
  frame.writeUInt32BE(h.clientSeq, 9);
  frame.writeUInt32BE(h.attempt, 13);
  frame.writeUInt32BE(h.sentAt, 17);
  return frame;
}

function readHeader(view: Buffer): ActionHeader {
  return {
    actionId: view.readUInt32BE(1),
    playerId: view.readUInt32BE(5),
    clientSeq: view.readUInt32BE(9),
    attempt: view.readUInt32BE(13),
    sentAt: view.readUInt32BE(17),
  };
}

export function encodeAction(h: ActionHeader): Buffer {
  return writeHeader(Kind.Action, h, ACTION_BYTES);
}

export function decodeAction(frame: Uint8Array): ActionHeader | null {
  if (frame.length !== ACTION_BYTES || frame[0] !== Kind.Action) return null;
  return readHeader(asBuffer(frame));
}

export function encodeResult(h: ResultHeader): Buffer {
  const frame = writeHeader(Kind.Result, h, RESULT_BYTES);
  frame.writeUInt32BE(h.serverId, ACTION_BYTES);
  return frame;
}

/** A frame from a server: a result, an announcement, or null for anything malformed. */
export type ServerMessage =
  | { kind: "result"; header: ResultHeader; payload: Uint8Array }
  | { kind: "hello"; serverId: number; endpoint: string }
  | { kind: "bye"; serverId: number };

export function decodeServerMessage(frames: Uint8Array[]): ServerMessage | null {
  const head = frames[0];
  if (head === undefined || head.length === 0) return null;
  const view = asBuffer(head);
  if (head[0] === Kind.Result && head.length === RESULT_BYTES && frames.length === 2) {
    const header = { ...readHeader(view), serverId: view.readUInt32BE(ACTION_BYTES) };
    return { kind: "result", header, payload: frames[1]! };
  }
  if (head[0] === Kind.Hello && head.length === 5 && frames.length === 2) {
    return { kind: "hello", serverId: view.readUInt32BE(1), endpoint: Buffer.from(frames[1]!).toString("utf8") };
  }
  if (head[0] === Kind.Bye && head.length === 5 && frames.length === 1) return { kind: "bye", serverId: view.readUInt32BE(1) };
  return null;
}

export function encodeHello(serverId: number, endpoint: string): Buffer[] {
  const head = Buffer.allocUnsafe(5);
  head[0] = Kind.Hello;
  head.writeUInt32BE(serverId, 1);
  return [head, Buffer.from(endpoint, "utf8")];
}

export function encodeBye(serverId: number): Buffer[] {
  const head = Buffer.allocUnsafe(5);
  head[0] = Kind.Bye;
  head.writeUInt32BE(serverId, 1);
  return [head];
}

/** The gateway's clock for `sentAt`: µs modulo 2^32 (wraps every 71 minutes; differences stay right). */
export function nowMicros(): number {
  return Math.floor(performance.now() * 1000) >>> 0;
}

/** ms from `sentAt` until now, on the same gateway's clock. */
export function elapsedMs(sentAt: number): number {
  return ((nowMicros() - sentAt) >>> 0) / 1000;
}

/** Largest action payload a player may send; a bigger WebSocket message closes that player. */
export const MAX_ACTION_BYTES = 1024;

/** Player → gateway and gateway → player: u32 client sequence, then the payload. */
export function encodePlayerFrame(clientSeq: number, payload: Uint8Array): Uint8Array {
  const frame = Buffer.allocUnsafe(4 + payload.length);
  frame.writeUInt32BE(clientSeq, 0);
  frame.set(payload, 4);
  return frame;
}

export function decodePlayerFrame(frame: Uint8Array): { clientSeq: number; payload: Uint8Array } | null {
  if (frame.length < 4 || frame.length > 4 + MAX_ACTION_BYTES) return null;
  const clientSeq = ((frame[0]! << 24) | (frame[1]! << 16) | (frame[2]! << 8) | frame[3]!) >>> 0;
  return { clientSeq, payload: frame.subarray(4) };
}
