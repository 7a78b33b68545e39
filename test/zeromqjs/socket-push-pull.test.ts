// PUSH to PULL (zeromq.js's socket-push-pull unit file): messages arrive in order as Buffers, and
// with `immediate` a Push that also connected to an endpoint nobody serves loses none of them.

import { expect, test } from "bun:test";
import { Pull, Push } from "../../src/index.ts";
import { ALL_TRANSPORTS, forEachTransport, freshEndpoint, useSockets, vacantEndpoint, withTimeout } from "./support.ts";

const sockets = useSockets();
const MESSAGES = ["foo", "bar", "baz", "qux"];

/** Iterates `pull` until `count` messages arrived, checking each frame is a Buffer; bounded. */
async function collect(pull: Pull, count: number): Promise<string[]> {
  const received: string[] = [];
  const iterate = async () => {
    for await (const [frame] of pull) {
      expect(frame).toBeInstanceOf(Buffer);
      if (received.push(frame!.toString()) === count) break;
    }
  };
  await withTimeout(iterate(), 5000, `${count} messages (have ${received.length})`);
  return received;
}

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("messages pushed arrive at the Pull in order, as Buffers", async () => {
    const [push, pull] = [sockets.open(Push), sockets.open(Pull)];
    await pull.bind(freshEndpoint(transport));
    push.connect(pull.lastEndpoint!);
    for (const text of MESSAGES) await push.send(text);
    expect(await collect(pull, MESSAGES.length)).toEqual(MESSAGES);
  });

  if (transport !== "inproc") {
    test("with immediate, no message goes to an endpoint that never answered", async () => {
      const [push, pull] = [sockets.open(Push, { immediate: true }), sockets.open(Pull)];
      await pull.bind(freshEndpoint(transport));
      push.connect(pull.lastEndpoint!);
      push.connect(vacantEndpoint(transport));
      for (const text of MESSAGES) await push.send(text);
      expect(await collect(pull, MESSAGES.length)).toEqual(MESSAGES);
    });

    test("without immediate the same Push queues some messages for the silent endpoint instead", async () => {
      const [push, pull] = [sockets.open(Push), sockets.open(Pull, { receiveTimeout: 50 })];
      await pull.bind(freshEndpoint(transport));
      push.connect(pull.lastEndpoint!);
      push.connect(vacantEndpoint(transport));
      for (const text of MESSAGES) await push.send(text);
      const received: string[] = [];
      try {
        for (;;) received.push((await pull.receive())[0]!.toString());
      } catch (error) {
        expect((error as { code?: string }).code).toBe("EAGAIN");
      }
      expect(received.length).toBeLessThan(MESSAGES.length);
    });
  }
});
