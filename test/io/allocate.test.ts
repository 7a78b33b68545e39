// Socket.allocate (issue 20): a Buffer the application fills and sends, which with I/O threads
// lies in memory the threads share and crosses to the Worker without a copy. What a user sees: the
// bytes arrive as sent, in order, whatever mix of allocated and ordinary frames; more allocated
// Buffers than the arena holds at once still all arrive (ordinary memory takes over); a bad size
// is EINVAL; and without I/O threads it is an ordinary Buffer.

import { describe, expect, test } from "bun:test";
import { Context, Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 30_000;

async function pair(ioThreads: number): Promise<{ push: Push; pull: Pull }> {
  const context = new Context({ ioThreads });
  cleanup.add(() => context.close());
  const pull = cleanup.track(new Pull({ linger: 0 }));
  await pull.bind(TCP_ANY);
  const push = cleanup.track(new Push({ context, linger: 0 }));
  push.connect(pull.lastEndpoint!);
  return { push, pull };
}

describe("Socket.allocate", () => {
  test(
    "with an I/O thread, allocated frames arrive as sent, beside ordinary ones, in order",
    async () => {
      const { push, pull } = await pair(1);
      const sizes = [16 * 1024, 64 * 1024, 1024 * 1024, 100, 2 * 1024 * 1024];
      const bodies = sizes.map((size, i) => push.allocate(size).fill(i + 1));
      expect(bodies[1]!.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(bodies[3]!.buffer).not.toBeInstanceOf(SharedArrayBuffer); // too small to share
      expect(bodies[4]!.buffer).not.toBeInstanceOf(SharedArrayBuffer); // too large to share
      for (const body of bodies) await push.send([Buffer.from("head"), body]);
      await push.send(Buffer.alloc(64 * 1024, 0xee));
      for (const body of bodies) {
        const [head, got] = await withTimeout(pull.receive(), 10_000, `the ${body.length}-byte frame`);
        expect(head!.toString()).toBe("head");
        expect(got!.equals(body)).toBe(true);
      }
      const [last] = await withTimeout(pull.receive(), 10_000, "the ordinary 64 KiB frame");
      expect(last!.equals(Buffer.alloc(64 * 1024, 0xee))).toBe(true);
    },
    TEST_TIMEOUT,
  );

  test(
    "more allocated Buffers in flight than the arena holds still all arrive, each with its own bytes",
    async () => {
      const { push, pull } = await pair(1);
      // 80 MiB of 1 MiB Buffers, none let go before all are sent: the arena (64 MiB) runs out.
      const bodies: Buffer[] = [];
      for (let i = 0; i < 80; i++) bodies.push(push.allocate(1024 * 1024).fill(i));
      expect(bodies.filter((body) => body.buffer instanceof SharedArrayBuffer)).toHaveLength(64);
      const received = (async () => {
        for (let i = 0; i < bodies.length; i++) {
          const [got] = await withTimeout(pull.receive(), 10_000, `message ${i}`);
          expect(got!.length).toBe(1024 * 1024);
          expect(got![0]).toBe(i);
          expect(got![got!.length - 1]).toBe(i);
        }
      })();
      for (const body of bodies) await push.send(body);
      await received;
    },
    TEST_TIMEOUT,
  );

  test("a size that is not a whole number of bytes is EINVAL; without I/O threads the Buffer is ordinary", async () => {
    const { push } = await pair(0);
    expect(() => push.allocate(-1)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    expect(() => push.allocate(1.5)).toThrow(expect.objectContaining({ code: "EINVAL" }));
    const body = push.allocate(64 * 1024);
    expect(body.length).toBe(64 * 1024);
    expect(body.buffer).not.toBeInstanceOf(SharedArrayBuffer);
  });
});
