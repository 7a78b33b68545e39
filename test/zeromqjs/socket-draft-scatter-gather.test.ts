// SCATTER to GATHER (zeromq.js's socket-draft-scatter-gather unit file): messages arrive in order as
// Buffers, and with `immediate` a Scatter that also connected to an endpoint nobody serves loses none.

import { expect, test } from "bun:test";
import { Gather, Scatter } from "../../src/draft.ts";
import { ALL_TRANSPORTS, forEachTransport, freshEndpoint, useSockets, vacantEndpoint, withTimeout } from "./support.ts";

const sockets = useSockets();
const MESSAGES = ["foo", "bar", "baz", "qux"];

async function collect(gather: Gather, count: number): Promise<string[]> {
  const received: string[] = [];
  const iterate = async () => {
    for await (const [message] of gather) {
      expect(message).toBeInstanceOf(Buffer);
      if (received.push(message.toString()) === count) break;
    }
  };
  await withTimeout(iterate(), 5000, `${count} messages (have ${received.length})`);
  return received;
}

forEachTransport(ALL_TRANSPORTS, (transport) => {
  test("messages scattered arrive at the Gather in order, as Buffers", async () => {
    const [scatter, gather] = [sockets.open(Scatter), sockets.open(Gather)];
    await gather.bind(freshEndpoint(transport));
    scatter.connect(gather.lastEndpoint!);
    for (const text of MESSAGES) await scatter.send(text);
    expect(await collect(gather, MESSAGES.length)).toEqual(MESSAGES);
  });

  if (transport !== "inproc") {
    test("with immediate, no message goes to an endpoint that never answered", async () => {
      const [scatter, gather] = [sockets.open(Scatter, { immediate: true }), sockets.open(Gather)];
      await gather.bind(freshEndpoint(transport));
      scatter.connect(gather.lastEndpoint!);
      scatter.connect(vacantEndpoint(transport));
      for (const text of MESSAGES) await scatter.send(text);
      expect(await collect(gather, MESSAGES.length)).toEqual(MESSAGES);
    });
  }
});

test("conflate is accepted on Scatter and Gather and, as in libzmq 4.3.5, changes nothing: every message arrives", async () => {
  const [scatter, gather] = [sockets.open(Scatter, { conflate: true }), sockets.open(Gather, { conflate: true })];
  await gather.bind(freshEndpoint("tcp"));
  scatter.connect(gather.lastEndpoint!);
  for (const text of MESSAGES) await scatter.send(text);
  expect(await collect(gather, MESSAGES.length)).toEqual(MESSAGES);
});
