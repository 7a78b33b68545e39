// Deterministic test payloads and small helpers shared by the interop suites.

import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { waitFor } from "./wait.ts";

/** `size` bytes of a position-dependent pattern, so shifted or truncated data never compares equal. */
export function pattern(size: number, seed = 7): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed + (i >>> 8)) & 0xff;
  return out;
}

/** The sizes the interop suites cover: empty, short, largest short frame, smallest long frame, 1 MiB. */
export const BODY_SIZES = [0, 1, 255, 256, 1024 * 1024] as const;
export const HUGE_BODY = 16 * 1024 * 1024;

/** The resolved endpoint of a bound socket (bunzmq `lastEndpoint` may be typed `string | null`). */
export function endpointOf(socket: { readonly lastEndpoint: string | null | undefined }): string {
  const endpoint = socket.lastEndpoint;
  if (typeof endpoint !== "string" || endpoint.length === 0) throw new Error("socket has no lastEndpoint yet");
  return endpoint;
}

/**
 * Reads from several libzmq sockets until `total` messages have arrived across them (bounded);
 * returns each socket's messages in arrival order, frames decoded as UTF-8.
 */
export async function collectFrom(sockets: LibzmqSocket[], total: number, timeoutMs = 5000): Promise<string[][][]> {
  const received: string[][][] = sockets.map(() => []);
  const count = () => received.reduce((n, list) => n + list.length, 0);
  await waitFor(
    () => {
      sockets.forEach((socket, i) => {
        for (let m = socket.tryReceive(); m !== null; m = socket.tryReceive()) received[i]!.push(m.map(String));
      });
      return count() >= total;
    },
    { timeoutMs, what: () => `${total} messages across ${sockets.length} libzmq sockets (have ${count()})` },
  );
  return received;
}
