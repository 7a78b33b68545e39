// Reads IP packets from a TUN descriptor on Bun's event loop. Bun.file(fd).stream() watches the
// non-blocking descriptor with the loop's own epoll, but joins the packets of several reads into one
// chunk (bun-notes §8), so packets are cut apart again by the length in their IP header. Imports
// nothing.

/** The length of the IP packet starting at `at`, from its header, or 0 when the header is not all there. */
export function packetLength(bytes: Uint8Array, at: number): number {
  const version = bytes[at]! >> 4;
  if (version === 4) return bytes.length >= at + 4 ? (bytes[at + 2]! << 8) | bytes[at + 3]! : 0;
  if (version === 6) return bytes.length >= at + 6 ? 40 + ((bytes[at + 4]! << 8) | bytes[at + 5]!) : 0;
  throw new Error(`not an IP packet: version ${version} at offset ${at}`);
}

/**
 * Splits concatenated packets. A TUN read always returns whole packets, so a chunk normally ends on
 * a boundary; should one ever end inside a packet, the tail is kept and completed by the next chunk.
 */
export class PacketSplitter {
  #tail: Uint8Array | null = null;

  /** The whole packets in `tail + chunk`, as views. */
  push(chunk: Uint8Array): Uint8Array[] {
    let bytes = chunk;
    if (this.#tail !== null) {
      bytes = new Uint8Array(this.#tail.length + chunk.length);
      bytes.set(this.#tail);
      bytes.set(chunk, this.#tail.length);
      this.#tail = null;
    }
    const packets: Uint8Array[] = [];
    let at = 0;
    while (at < bytes.length) {
      const length = packetLength(bytes, at);
      if (length === 0 || at + length > bytes.length) {
        this.#tail = bytes.slice(at);
        break;
      }
      packets.push(bytes.subarray(at, at + length));
      at += length;
    }
    return packets;
  }
}

/**
 * Calls `onPacket` for each packet read from `fd` until the stream ends or `signal` aborts. The
 * stream reads a duplicate of the descriptor, and keeps the process alive until it is cancelled.
 */
export async function readPackets(fd: number, onPacket: (packet: Uint8Array) => void, signal: AbortSignal): Promise<void> {
  const reader = Bun.file(fd).stream().getReader();
  const cancel = () => void reader.cancel().catch(() => {});
  signal.addEventListener("abort", cancel, { once: true });
  const splitter = new PacketSplitter();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || signal.aborted) return;
      for (const packet of splitter.push(value)) onPacket(packet);
    }
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}
