// manualLastValue (ZMQ_XPUB_MANUAL_LAST_VALUE): an XPUB in manual mode whose first send after the app
// received a subscription goes to that subscriber alone. The same scenario runs against libzmq
// 4.3.4's XPUB with the option set, as the reference, with libzmq SUBs as subscribers either way.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { XPublisher } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { describeMessage, nextMessage } from "../helpers/pubsub.ts";
import { waitFor } from "../helpers/wait.ts";

const cleanup = useCleanup();

/** What the scenario needs of an XPUB, ours or libzmq's. */
interface LastValuePublisher {
  endpoint: string;
  /** The next subscription notification, as "+topic" / "-topic"; `peer` is poked so libzmq runs its commands. */
  notification(peer: LibzmqSocket): Promise<string>;
  /** Manual mode: subscribes the peer of the last notification. */
  subscribeLast(topic: string): void;
  send(frames: string[]): Promise<void>;
}

async function ourPublisher(): Promise<LastValuePublisher> {
  const xpub = cleanup.track(new XPublisher({ linger: 0, manualLastValue: true }));
  await xpub.bind(TCP_ANY);
  return {
    endpoint: xpub.lastEndpoint!,
    notification: async (peer) =>
      describeMessage(
        await waitFor(
          () => {
            peer.getInt(ZMQ.EVENTS);
            return xpub.tryReceive();
          },
          { what: "a notification on our XPUB" },
        ),
      ),
    subscribeLast: (topic) => xpub.subscribe(topic),
    send: (frames) => xpub.send(frames),
  };
}

function libzmqPublisher(): LastValuePublisher {
  const xpub = cleanup.libzmq().socket(ZMQ.XPUB);
  xpub.setInt(ZMQ.XPUB_MANUAL_LAST_VALUE, 1);
  xpub.bind(TCP_ANY);
  return {
    endpoint: xpub.lastEndpoint,
    notification: async () => describeMessage(await xpub.receive()),
    subscribeLast: (topic) => xpub.setBytes(ZMQ.SUBSCRIBE, topic),
    send: (frames) => xpub.send(frames),
  };
}

/** Two SUBs subscribe to "A" one after the other; after each subscription the app sends a value. */
async function scenario(xpub: LastValuePublisher): Promise<{ first: string[]; second: string[] }> {
  const first = cleanup.libzmq().socket(ZMQ.SUB);
  first.connect(xpub.endpoint);
  first.setBytes(ZMQ.SUBSCRIBE, "A");
  expect(await xpub.notification(first)).toBe("+A");
  xpub.subscribeLast("A");
  await xpub.send(["A", "value 1"]);
  const firstGot = [await nextMessage(() => first.tryReceive())];

  const second = cleanup.libzmq().socket(ZMQ.SUB);
  second.connect(xpub.endpoint);
  second.setBytes(ZMQ.SUBSCRIBE, "A");
  expect(await xpub.notification(second)).toBe("+A");
  xpub.subscribeLast("A");
  await xpub.send(["A", "last value, for the newcomer"]);
  await xpub.send(["A", "value 2, for everyone"]);
  firstGot.push(await nextMessage(() => first.tryReceive()));
  const secondGot = [await nextMessage(() => second.tryReceive()), await nextMessage(() => second.tryReceive())];
  return { first: firstGot, second: secondGot };
}

const EXPECTED = {
  first: ["A|value 1", "A|value 2, for everyone"],
  second: ["A|last value, for the newcomer", "A|value 2, for everyone"],
};

describe("XPublisher manualLastValue", () => {
  test("libzmq's XPUB with ZMQ_XPUB_MANUAL_LAST_VALUE, the reference: the send after a subscription reaches only that subscriber", async () => {
    expect(await scenario(libzmqPublisher())).toEqual(EXPECTED);
  });

  test("ours does the same with libzmq subscribers", async () => {
    expect(await scenario(await ourPublisher())).toEqual(EXPECTED);
  });

  test("it reads back what was set (manual, which it also sets, is write-only as in zeromq.js); a non-boolean is a TypeError", () => {
    const xpub = cleanup.track(new XPublisher());
    expect(xpub.manualLastValue).toBe(false);
    xpub.manualLastValue = true;
    expect(xpub.manualLastValue).toBe(true);
    xpub.manualLastValue = false;
    expect(xpub.manualLastValue).toBe(false);
    expect(() => ((xpub as unknown as { manualLastValue: unknown }).manualLastValue = 1)).toThrow(
      new TypeError("Option value must be a boolean"),
    );
  });
});
