// The PUB/SUB part of the transport contract: the same cases over every row of transports.ts and
// over the multicast rows (multicast-rows.ts), where PUB/SUB is all there is. Whatever carries the
// subscriptions (a ZMTP command upstream, or nothing at all on multicast, where each SUB filters
// what arrives), a SUB gets what it subscribed to, whole and in order.

import { expect } from "bun:test";
import { Publisher, type SocketInit, Subscriber } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { endpointOf, pattern } from "../helpers/payload.ts";
import { awaitJoined, nextMessage, SYNC_TOPIC } from "../helpers/pubsub.ts";
import { waitFor } from "../helpers/wait.ts";
import { MULTICAST_TRANSPORTS } from "./multicast-rows.ts";
import { conformanceTest, forEachTransport, TRANSPORTS, type TransportRow } from "./transports.ts";

const cleanup = useCleanup();

function open<T extends { close(): unknown }>(row: TransportRow, type: new (options?: SocketInit) => T, options: SocketInit = {}): T {
  return cleanup.track(new type({ linger: 0, ...row.socketOptions, ...options }));
}

/** A bound Publisher and `topics.length` Subscribers, each subscribed to its topics and joined. */
async function joined(row: TransportRow, topics: string[][], subOptions: SocketInit = {}) {
  const pub = open(row, Publisher);
  await pub.bind(row.bindable());
  const subs: Subscriber[] = [];
  for (const [i, own] of topics.entries()) {
    const sub = open(row, Subscriber, subOptions);
    sub.connect(endpointOf(pub));
    const marker = `${SYNC_TOPIC}${i}`;
    sub.subscribe(marker, ...own);
    await awaitJoined(
      () => pub.send(marker),
      () => sub.tryReceive(),
      { marker },
    );
    subs.push(sub);
  }
  return { pub, subs };
}

/** The next `count` messages that are not sync messages, as text. */
async function texts(sub: Subscriber, count: number): Promise<string[]> {
  const out: string[] = [];
  while (out.length < count) out.push(await nextMessage(() => sub.tryReceive()));
  return out;
}

forEachTransport(
  (row) => {
    conformanceTest(
      row,
      "fan-out",
      "a PUB delivers each message, multipart and empty frames included, in order, to every SUB whose subscription matches",
      async () => {
        const { pub, subs } = await joined(row, [["a"], [""]]);
        const sent: string[][] = [];
        for (let i = 0; i < 50; i++) sent.push([i % 2 === 0 ? `a${i}` : `b${i}`, "", `part ${i}`]);
        for (const message of sent) await pub.send(message);
        const all = sent.map((message) => message.join("|"));
        expect(await texts(subs[0]!, 25)).toEqual(all.filter((text) => text.startsWith("a")));
        expect(await texts(subs[1]!, 50)).toEqual(all);
      },
    );

    conformanceTest(row, "huge publication", "a 4 MiB frame reaches a SUB intact, between smaller frames of the same message", async () => {
      const { pub, subs } = await joined(row, [["big"]], { maxMessageSize: -1 });
      const huge = pattern(4 * 1024 * 1024);
      await pub.send(["big", huge, "end"]);
      const message = await waitFor(
        () => {
          for (let next = subs[0]!.tryReceive(); next !== null; next = subs[0]!.tryReceive()) if (String(next[0]) === "big") return next;
          return null;
        },
        { what: "the 4 MiB message", timeoutMs: 10_000 },
      );
      expect(message.map((frame) => frame.length)).toEqual([3, huge.length, 3]);
      expect(Buffer.compare(message[1]!, huge)).toBe(0);
    });

    conformanceTest(row, "subscriber leaves", "when one SUB closes, the PUB goes on delivering to the others", async () => {
      const { pub, subs } = await joined(row, [["t"], ["t"]]);
      subs[0]!.close();
      for (let i = 0; i < 10; i++) await pub.send([`t${i}`]);
      expect(await texts(subs[1]!, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `t${i}`));
    });
  },
  [...TRANSPORTS, ...MULTICAST_TRANSPORTS],
);
