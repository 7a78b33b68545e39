// A reference ZMTP 3.x frame parser for the fuzz properties: the whole stream at once, sizes as
// bigint, written for obviousness rather than speed and independently of src/wire, so that the
// incremental decoder (and the engine above it) can be checked against it frame by frame.
//
//   frame = flags(1) size(1, or 8 big-endian when flags has 0x02) body(size)     (RFC 23 §Framing)

/** Largest body any decoder can hand out: Bun 1.4.5's buffer.kMaxLength, 2^32 bytes. */
export const RUNTIME_BUFFER_LIMIT = 2n ** 32n;

export interface ReferenceFrame {
  flags: number;
  body: Uint8Array;
}

export interface ReferenceParse {
  /** The whole frames, in order, up to the first refused size or the end of the bytes. */
  frames: ReferenceFrame[];
  /** Why parsing stopped for good: a declared size over the limit; null if the bytes simply ran out. */
  error: "EMSGSIZE" | null;
  /** Bytes of the stream the whole frames took (a cut-off last frame is not counted). */
  consumed: number;
}

/**
 * Parses `stream` with `maxFrameSize` as the largest body allowed (-1, or any negative, means only
 * the runtime's limit). A size is judged as soon as its header is complete, before its body has
 * arrived: that is the point of checking it (a peer must not make us wait for, or hold, 4 GiB).
 */
export function referenceFrames(stream: Uint8Array, maxFrameSize: number): ReferenceParse {
  const limit = maxFrameSize >= 0 && BigInt(maxFrameSize) < RUNTIME_BUFFER_LIMIT ? BigInt(maxFrameSize) : RUNTIME_BUFFER_LIMIT;
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const frames: ReferenceFrame[] = [];
  let at = 0;
  while (at < stream.length) {
    const flags = stream[at]!;
    const long = (flags & 0x02) !== 0;
    const headerSize = long ? 9 : 2;
    if (stream.length - at < headerSize) break;
    const size = long ? view.getBigUint64(at + 1) : BigInt(stream[at + 1]!);
    if (size > limit) return { frames, error: "EMSGSIZE", consumed: at };
    const bodyStart = at + headerSize;
    if (BigInt(stream.length - bodyStart) < size) break;
    const bodyEnd = bodyStart + Number(size);
    frames.push({ flags, body: stream.slice(bodyStart, bodyEnd) });
    at = bodyEnd;
  }
  return { frames, error: null, consumed: at };
}

/** Messages as a ZMTP reader assembles them from data frames: MORE (0x01) joins the next frame. */
export interface ReferenceTraffic {
  /** Complete messages of data frames, in order. */
  messages: Uint8Array[][];
  /** Command frames (flags 0x04), in order, with the data frames around them left out. */
  commands: ReferenceFrame[];
  /** Frames of a message whose last frame has not arrived. */
  pending: Uint8Array[];
}

/** Sorts `frames` into messages and commands the way RFC 23 reads them; commands never have MORE. */
export function referenceTraffic(frames: readonly ReferenceFrame[]): ReferenceTraffic {
  const messages: Uint8Array[][] = [];
  const commands: ReferenceFrame[] = [];
  let pending: Uint8Array[] = [];
  for (const frame of frames) {
    if ((frame.flags & 0x04) !== 0) {
      commands.push(frame);
      continue;
    }
    pending.push(frame.body);
    if ((frame.flags & 0x01) === 0) {
      messages.push(pending);
      pending = [];
    }
  }
  return { messages, commands, pending };
}
