// PAIR between bunzmq and libzmq 4.3 (zmtp-notes §6.8, §9 item 13), in one process, both bind orders.

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Pair } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf, pattern } from "../helpers/payload.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;
type Order = "bunzmq binds" | "libzmq binds";

async function pairUp(order: Order): Promise<{ ours: Pair; theirs: LibzmqSocket; log: EventLog }> {
  const ours = cleanup.track(new Pair({ linger: 0 }));
  const log = new EventLog(ours);
  const theirs = cleanup.libzmq().socket(ZMQ.PAIR);
  if (order === "bunzmq binds") {
    await ours.bind(TCP_ANY);
    theirs.connect(endpointOf(ours));
  } else {
    theirs.bind(TCP_ANY);
    ours.connect(theirs.lastEndpoint);
  }
  return { ours, theirs, log };
}

function send(pair: Pair, message: Parameters<Pair["send"]>[0]): Promise<void> {
  return withTimeout(pair.send(message), 5000, "the bunzmq PAIR to accept a message");
}

function receive(pair: Pair): Promise<Buffer[]> {
  return withTimeout(pair.receive(), 5000, "a message on the bunzmq PAIR");
}

describe("bunzmq PAIR with a libzmq PAIR", () => {
  for (const order of ["bunzmq binds", "libzmq binds"] as const) {
    test(
      `messages flow in both directions when ${order}`,
      async () => {
        const { ours, theirs } = await pairUp(order);
        await send(ours, "to libzmq");
        expect((await theirs.receive()).map(String)).toEqual(["to libzmq"]);
        await theirs.send(["to bunzmq"]);
        expect((await receive(ours)).map(String)).toEqual(["to bunzmq"]);
      },
      TEST_TIMEOUT,
    );

    test(
      `multipart messages with empty frames survive both directions when ${order}`,
      async () => {
        const { ours, theirs } = await pairUp(order);
        await send(ours, ["", "", "x", ""]);
        expect((await theirs.receive()).map(String)).toEqual(["", "", "x", ""]);
        await theirs.send(["", "y", ""]);
        expect((await receive(ours)).map(String)).toEqual(["", "y", ""]);
      },
      TEST_TIMEOUT,
    );

    test(
      `a ping-pong of 200 round trips keeps order when ${order}`,
      async () => {
        const { ours, theirs } = await pairUp(order);
        for (let i = 0; i < 200; i++) {
          await send(ours, `ping ${i}`);
          const [ping] = await theirs.receive();
          await theirs.send([`pong ${String(ping).slice(5)}`]);
          expect((await receive(ours)).map(String)).toEqual([`pong ${i}`]);
        }
      },
      TEST_TIMEOUT,
    );

    test(
      `1 MiB bodies cross in both directions when ${order}`,
      async () => {
        const { ours, theirs } = await pairUp(order);
        const outbound = pattern(1024 * 1024, 11);
        const inbound = pattern(1024 * 1024, 13);
        await send(ours, outbound);
        const [atLibzmq] = await theirs.receive();
        expect(atLibzmq!.equals(outbound)).toBe(true);
        await theirs.send([inbound]);
        const [atBunzmq] = await receive(ours);
        expect(atBunzmq!.equals(inbound)).toBe(true);
      },
      TEST_TIMEOUT,
    );
  }

  test(
    "a message sent before the handshake completes is delivered once it does",
    async () => {
      const theirs = cleanup.libzmq().socket(ZMQ.PAIR);
      theirs.bind(TCP_ANY);
      const ours = cleanup.track(new Pair({ linger: 0 }));
      ours.connect(theirs.lastEndpoint);
      await send(ours, "early"); // a connecting PAIR has its pipe from connect() on (zmtp-notes §6.1)
      expect((await theirs.receive()).map(String)).toEqual(["early"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a bound bunzmq PAIR reports the libzmq peer's disconnect",
    async () => {
      const { theirs, log } = await pairUp("bunzmq binds");
      await log.waitFor("handshake");
      theirs.close();
      await log.waitFor("disconnect");
    },
    TEST_TIMEOUT,
  );
});
