// Legacy ZMTP 3.0 peers (greeting minor 0) in publish-subscribe, played by raw byte peers
// (zmtp-notes §0 item 5, §4.1). A bunzmq SUB must send its subscriptions to a 3.0 publisher as legacy
// data frames (`00 04 01 abc`, `00 01 01` for everything) and to a 3.1 publisher as SUBSCRIBE/CANCEL
// commands (`04 0d 09 SUBSCRIBE abc`); a bunzmq PUB must honour legacy `\x01topic` frames from a 3.0 SUB.
// The expected bytes are built by hand (test/helpers/zmtp-bytes.ts), independent of src/wire.

import { describe, expect, test } from "bun:test";
import { Publisher, Subscriber } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { endpointOf } from "../helpers/payload.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { trackUncaught } from "../helpers/uncaught.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";
import { command, commandName, frame, greeting, hex, message, type ParsedFrame, parseFrameAt, ready } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();
const uncaught = trackUncaught();
const TEST_TIMEOUT = 15_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A legacy subscription data frame: `00 len 01 topic` (subscribe) or `00 len 00 topic` (cancel). */
function legacy(subscribe: boolean, topic: string): Uint8Array {
  const body = encoder.encode(`_${topic}`);
  body[0] = subscribe ? 1 : 0;
  return frame(body);
}

/** A ZMTP 3.1 SUBSCRIBE or CANCEL command frame for `topic`. */
function subscriptionCommand(subscribe: boolean, topic: string): Uint8Array {
  return command(subscribe ? "SUBSCRIBE" : "CANCEL", encoder.encode(topic));
}

/** A raw peer that has completed a NULL handshake announcing ZMTP 3.`minor`, and reads frames after it. */
class LegacyPeer {
  #offset = 0;

  private constructor(readonly raw: RawPeer) {}

  static async connect(endpoint: string, socketType: string, minor: number): Promise<LegacyPeer> {
    const raw = cleanup.track(await RawPeer.connect(endpoint));
    const peer = new LegacyPeer(raw);
    raw.write(greeting({ minor }));
    raw.write(ready(socketType));
    await raw.waitForBytes(64);
    peer.#offset = 64;
    const first = await peer.nextFrame(`READY from bunzmq to the 3.${minor} ${socketType} peer`);
    if ((first.flags & 0x04) === 0 || commandName(first.body) !== "READY") {
      throw new Error(`expected READY, got ${hex(raw.bytes().subarray(64, 128))}`);
    }
    return peer;
  }

  /** The next complete frame bunzmq sent (bounded wait). */
  async nextFrame(what: string): Promise<ParsedFrame> {
    const parsed = await waitFor(() => parseFrameAt(this.raw.bytes(), this.#offset), { what });
    this.#offset = parsed.end;
    return parsed;
  }

  /** The next `count` frames, each as the hex of its whole encoding (header included). */
  async nextFramesHex(count: number, what: string): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < count; i++) {
      const start = this.#offset;
      const parsed = await this.nextFrame(`${what} (frame ${i + 1} of ${count})`);
      out.push(hex(this.raw.bytes().subarray(start, parsed.end)));
    }
    return out;
  }

  /** Every complete single-frame message received since the last call, as text. */
  takeMessages(): string[] {
    const out: string[] = [];
    for (
      let parsed = parseFrameAt(this.raw.bytes(), this.#offset);
      parsed !== null;
      parsed = parseFrameAt(this.raw.bytes(), this.#offset)
    ) {
      this.#offset = parsed.end;
      if ((parsed.flags & 0x04) === 0) out.push(decoder.decode(parsed.body));
    }
    return out;
  }
}

const sorted = (list: string[]): string[] => [...list].sort();

describe("a bunzmq SUB connected to ZMTP 3.0 and 3.1 publishers", () => {
  async function subscriberWithPublishers(): Promise<{ sub: Subscriber; v30: LegacyPeer; v31: LegacyPeer }> {
    const sub = cleanup.track(new Subscriber({ linger: 0 }));
    sub.subscribe("abc");
    sub.subscribe();
    await sub.bind(TCP_ANY);
    const v30 = await LegacyPeer.connect(endpointOf(sub), "PUB", 0);
    const v31 = await LegacyPeer.connect(endpointOf(sub), "XPUB", 1);
    return { sub, v30, v31 };
  }

  test(
    "cached subscriptions reach a 3.0 publisher as legacy data frames and a 3.1 publisher as SUBSCRIBE commands",
    async () => {
      const { v30, v31 } = await subscriberWithPublishers();
      // libzmq sends "" first (trie order); the order between topics is not part of the contract.
      expect(sorted(await v30.nextFramesHex(2, "the cached subscriptions at the 3.0 peer"))).toEqual(
        sorted([hex(legacy(true, "")), hex(legacy(true, "abc"))]),
      );
      expect(hex(legacy(true, "abc"))).toBe("00 04 01 61 62 63");
      expect(hex(legacy(true, ""))).toBe("00 01 01");
      expect(sorted(await v31.nextFramesHex(2, "the cached subscriptions at the 3.1 peer"))).toEqual(
        sorted([hex(subscriptionCommand(true, "")), hex(subscriptionCommand(true, "abc"))]),
      );
      expect(hex(subscriptionCommand(true, "abc")).startsWith("04 0d 09 53 55 42 53 43 52 49 42 45")).toBe(true);
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a later subscribe and unsubscribe go to each publisher in the form its version understands",
    async () => {
      const { sub, v30, v31 } = await subscriberWithPublishers();
      await v30.nextFramesHex(2, "the cached subscriptions at the 3.0 peer");
      await v31.nextFramesHex(2, "the cached subscriptions at the 3.1 peer");
      sub.subscribe("xyz");
      sub.unsubscribe("xyz");
      expect(await v30.nextFramesHex(2, "subscribe and cancel at the 3.0 peer")).toEqual([
        hex(legacy(true, "xyz")),
        hex(legacy(false, "xyz")), // `00 04 00 xyz`
      ]);
      expect(await v31.nextFramesHex(2, "subscribe and cancel at the 3.1 peer")).toEqual([
        hex(subscriptionCommand(true, "xyz")),
        hex(subscriptionCommand(false, "xyz")), // `04 0a 06 CANCEL xyz`
      ]);
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "messages from both the 3.0 and the 3.1 publisher are delivered",
    async () => {
      const { sub, v30, v31 } = await subscriberWithPublishers();
      v30.raw.write(message("abc from 3.0"));
      expect((await withTimeout(sub.receive(), 5000, "the 3.0 publisher's message")).map(String)).toEqual(["abc from 3.0"]);
      v31.raw.write(message("abc from 3.1", "two frames"));
      expect((await withTimeout(sub.receive(), 5000, "the 3.1 publisher's message")).map(String)).toEqual(["abc from 3.1", "two frames"]);
      expect(v30.raw.closed || v31.raw.closed).toBe(false);
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

describe("a bunzmq PUB with a ZMTP 3.0 subscriber sending legacy subscription frames", () => {
  async function publisherWithGoodSubscriber(): Promise<{ pub: Publisher; good: Subscriber }> {
    const pub = cleanup.track(new Publisher({ linger: 0 }));
    await pub.bind(TCP_ANY);
    const good = cleanup.track(new Subscriber({ linger: 0 }));
    good.subscribe("topic");
    good.connect(endpointOf(pub));
    return { pub, good };
  }

  /** Publishes `publish()` until the raw peer has a message equal to `marker`; returns all it got. */
  async function publishUntil(peer: LegacyPeer, publish: () => void, marker: string): Promise<string[]> {
    const got: string[] = [];
    await waitFor(
      () => {
        publish();
        got.push(...peer.takeMessages());
        return got.includes(marker);
      },
      { what: () => `"${marker}" at the 3.0 subscriber (got ${JSON.stringify(got.slice(-5))})` },
    );
    return got;
  }

  for (const form of ["legacy frames", "SUBSCRIBE commands"] as const) {
    test(
      `a 3.0 SUB subscribing with ${form} gets only matching messages and a cancel stops them`,
      async () => {
        const { pub, good } = await publisherWithGoodSubscriber();
        const v30 = await LegacyPeer.connect(endpointOf(pub), "SUB", 0);
        // A publisher must accept both forms from any peer whatever version it announced (§0 item 5).
        const subscribe = (topic: string) => (form === "legacy frames" ? legacy(true, topic) : subscriptionCommand(true, topic));
        const cancel = (topic: string) => (form === "legacy frames" ? legacy(false, topic) : subscriptionCommand(false, topic));
        v30.raw.write(subscribe("topic"));
        const first = await publishUntil(
          v30,
          () => {
            pub.trySend("other");
            pub.trySend("topic 1");
          },
          "topic 1",
        );
        expect(first.every((m) => m === "topic 1")).toBe(true);
        // The good subscriber keeps receiving alongside.
        await waitFor(
          () => {
            pub.trySend("topic good");
            for (let m = good.tryReceive(); m !== null; m = good.tryReceive()) if (String(m[0]) === "topic good") return true;
            return false;
          },
          { what: "the good bunzmq SUB to receive" },
        );
        // Cancel, then subscribe to a marker on the same connection: once the marker flows, the cancel
        // has been applied, so no "topic" message may follow the first marker.
        v30.raw.write(cancel("topic"));
        v30.raw.write(subscribe("marker"));
        const after = await publishUntil(
          v30,
          () => {
            pub.trySend("topic late");
            pub.trySend("marker");
          },
          "marker",
        );
        const afterMarker = after.slice(after.indexOf("marker"));
        expect(afterMarker.filter((m) => m !== "marker")).toEqual([]);
        expect(after.filter((m) => m !== "marker" && m !== "topic late" && m !== "topic 1" && m !== "topic good")).toEqual([]);
        expect(v30.raw.closed).toBe(false);
        expect(uncaught.errors).toEqual([]);
      },
      TEST_TIMEOUT,
    );
  }
});
