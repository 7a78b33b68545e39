// The ends of an inproc connection between threads, driven in one thread: the far thread is played
// by writing into and reading from the connection's rings directly. What one side queued before it
// let go still reaches the other side whole, however small that side's queue, and only then does
// the other side detach.

import { expect, test } from "bun:test";
import { SocketType } from "../../src/core/socket-type.ts";
import type { Message } from "../../src/core/message.ts";
import { RemoteConnector } from "../../src/io/inproc-link-ends.ts";
import { type InprocMessage, type LinkThread, RING_BYTES } from "../../src/io/inproc-protocol.ts";
import { createRing } from "../../src/thread/byte-ring.ts";
import { AtomicsDoorbell } from "../../src/thread/doorbell.ts";
import { MessageWriter } from "../../src/thread/message-ring.ts";
import { ThreadLoop } from "../../src/thread/thread-loop.ts";
import { waitFor } from "../helpers/wait.ts";

/** This thread's side of the protocol, reduced to what the ends use; posts are recorded. */
function fakeLinks(): { links: LinkThread; posted: InprocMessage[]; close(): void } {
  const loop = new ThreadLoop(new AtomicsDoorbell());
  loop.start();
  const posted: InprocMessage[] = [];
  const links: LinkThread = { loop, post: (message) => void posted.push(message), forget: () => {} };
  return { links, posted, close: () => loop.close() };
}

const frame = (i: number): Uint8Array => new TextEncoder().encode(`message ${i}`);

test("messages the connector sent before it let go are all received, past the pipe's high-water mark, before the binder detaches", async () => {
  const { links, posted, close } = fakeLinks();
  try {
    const toBinder = createRing(RING_BYTES);
    const farThread = new AtomicsDoorbell();
    const connector = new RemoteConnector(
      links,
      {
        type: "connect",
        to: 0,
        from: 1,
        link: "1.1",
        name: "drain",
        socketType: SocketType.Push,
        routingId: new Uint8Array(0),
        sendHighWaterMark: 1,
        receiveHighWaterMark: 1,
        toBinder,
        toConnector: createRing(RING_BYTES),
        doorbell: farThread.address,
      },
      { sendHighWaterMark: 1, receiveHighWaterMark: 1 },
    );
    let detached = 0;
    connector.onUnlink = () => detached++;
    // The connecting thread queued 50 messages and let go.
    const writer = new MessageWriter(toBinder);
    for (let i = 0; i < 50; i++) expect(writer.write([frame(i)])).toBe(true);
    writer.publish();
    connector.closedByPeer();
    // The binder's socket reads its pipe (marks 1 + 1) slowly; the rest keeps coming.
    const inbound = connector.peerEnd().inbound;
    const received: Message[] = [];
    await waitFor(
      () => {
        for (let message = inbound.read(); message !== undefined; message = inbound.read()) received.push(message);
        return received.length === 50 || detached > 0;
      },
      { what: "all 50 messages through a queue of 2" },
    );
    expect(received.map((message) => new TextDecoder().decode(message[0]!))).toEqual(Array.from({ length: 50 }, (_, i) => `message ${i}`));
    await waitFor(() => detached === 1, { what: "the binder to detach once the ring is empty" });
    expect(posted).toEqual([]);
    farThread.close();
  } finally {
    close();
  }
});
