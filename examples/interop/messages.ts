// The interop demo's message sequence, shared by ./demo.ts and its libzmq peer so each side can
// rebuild message i and check what it received byte for byte.
//
// Message i is one frame of 16–255 bytes, except: every 1000th is one 64 KiB + (i % 7) byte frame,
// and every 5000th is multipart: [`part-<i>`, the body, an empty frame]. A body starts with i as a
// little-endian uint32, so a lost, duplicated or reordered message is caught at once.

export const DEMO_COUNT = 100_000;

function bodySize(i: number): number {
  return i % 1000 === 999 ? 65536 + (i % 7) : 16 + ((i * 37) % 240);
}

function body(i: number): Uint8Array {
  const out = new Uint8Array(bodySize(i));
  new DataView(out.buffer).setUint32(0, i, true);
  for (let k = 4; k < out.length; k++) out[k] = (i + k * 13) & 0xff;
  return out;
}

export function isMultipart(i: number): boolean {
  return i % 5000 === 4999;
}

export function isLarge(i: number): boolean {
  return i % 1000 === 999;
}

/** The frames of message i. */
export function demoMessage(i: number): Uint8Array[] {
  if (!isMultipart(i)) return [body(i)];
  return [new TextEncoder().encode(`part-${i}`), body(i), new Uint8Array(0)];
}

/** null if `frames` is exactly message i, else what differs. */
export function checkDemoMessage(i: number, frames: Uint8Array[]): string | null {
  const expected = demoMessage(i);
  if (frames.length !== expected.length) return `message ${i}: ${frames.length} frames, expected ${expected.length}`;
  for (let f = 0; f < expected.length; f++) {
    const got = frames[f]!;
    const want = expected[f]!;
    if (got.length !== want.length) {
      const index = got.length >= 4 ? new DataView(got.buffer, got.byteOffset, 4).getUint32(0, true) : -1;
      return `message ${i} frame ${f}: ${got.length} bytes, expected ${want.length} (it starts like message ${index})`;
    }
    for (let k = 0; k < want.length; k++) {
      if (got[k] !== want[k]) return `message ${i} frame ${f}: byte ${k} is ${got[k]}, expected ${want[k]}`;
    }
  }
  return null;
}

/** Total bytes of messages [0, count), all frames. */
export function demoBytes(count: number): number {
  let total = 0;
  for (let i = 0; i < count; i++) total += bodySize(i) + (isMultipart(i) ? `part-${i}`.length : 0);
  return total;
}
