// Raw byte peers misbehaving against a bound bunzmq PULL. Property (house style "peer misbehaviour stays
// local"): each bad peer loses only its own connection, nothing escapes to the event loop, and a good
// peer on the same PULL keeps delivering. The bad bytes are built by hand (test/helpers/zmtp-bytes.ts).

import { describe, expect, test } from "bun:test";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf } from "../helpers/payload.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { command, concat, frame, frameHeader, greeting, message, metadata, ready } from "../helpers/zmtp-bytes.ts";
import { trackUncaught } from "../helpers/uncaught.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const uncaught = trackUncaught();
const TEST_TIMEOUT = 15_000;

interface Fixture {
  pull: Pull;
  log: EventLog;
  endpoint: string;
  /** Sends `tag` from the good peer and asserts the PULL receives exactly it. */
  goodPeerDelivers(tag: string): Promise<void>;
}

type PullOptions = ConstructorParameters<typeof Pull>[0];

async function receive(pull: Pull, what = "a message on the bunzmq PULL"): Promise<string[]> {
  return (await withTimeout(pull.receive(), 5000, what)).map(String);
}

/** A bound bunzmq PULL with a good libzmq PUSH already delivering to it. */
async function pullWithGoodPeer(options: PullOptions = {}): Promise<Fixture> {
  const pull = cleanup.track(new Pull({ linger: 0, ...options }));
  const log = new EventLog(pull);
  await pull.bind(TCP_ANY);
  const endpoint = endpointOf(pull);
  const good: LibzmqSocket = cleanup.libzmq().socket(ZMQ.PUSH);
  good.connect(endpoint);
  const goodPeerDelivers = async (tag: string) => {
    await good.send([tag]);
    expect(await receive(pull, `"${tag}" from the good libzmq peer`)).toEqual([tag]);
  };
  await goodPeerDelivers("good before");
  return { pull, log, endpoint, goodPeerDelivers };
}

async function rawPeer(endpoint: string): Promise<RawPeer> {
  return cleanup.track(await RawPeer.connect(endpoint));
}

/** The bad peer is cut off, the good one carries on, nothing was thrown out of the event loop. */
async function expectOnlyTheBadConnectionClosed(fixture: Fixture, raw: RawPeer): Promise<void> {
  await raw.waitForClose();
  await fixture.goodPeerDelivers("good after");
  expect(uncaught.errors).toEqual([]);
}

async function expectHandshakeRefused(fixture: Fixture, raw: RawPeer, code: string): Promise<void> {
  const refusal = await fixture.log.waitFor("handshake:error:protocol");
  expect(refusal.error?.code).toBe(code);
  await expectOnlyTheBadConnectionClosed(fixture, raw);
}

/** After the raw peer's connection dropped post-handshake: a disconnect event, with `code` if given. */
async function expectDisconnect(fixture: Fixture, raw: RawPeer, code: string | null): Promise<void> {
  await raw.waitForClose();
  const disconnect = await fixture.log.waitFor("disconnect");
  if (code !== null) expect(disconnect.error?.code).toBe(code);
  await expectOnlyTheBadConnectionClosed(fixture, raw);
}

describe("a bound bunzmq PULL facing malformed peers", () => {
  // Any first byte but 0xFF is a ZMTP 1.0 peer's first frame, as libzmq reads it: garbage is refused
  // only where it breaks 1.0's framing, as a zero length does.
  test(
    "garbage that starts with a zero byte (a malformed ZMTP 1.0 length) closes only that connection",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      raw.write(concat([0], new TextEncoder().encode("GET / HTTP/1.1\r\nHost: example\r\n\r\n")));
      await expectHandshakeRefused(fixture, raw, "ERR_ZMTP_UNSPECIFIED");
    },
    TEST_TIMEOUT,
  );

  test(
    "a signature whose byte 9 has its low bit clear, read as a 1.0 frame header of length 0, closes only that connection",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      raw.write([0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7e]);
      await expectHandshakeRefused(fixture, raw, "ERR_ZMTP_UNSPECIFIED");
    },
    TEST_TIMEOUT,
  );

  test(
    "a ZMTP 2.0 greeting claiming a SUB closes only that connection with ERR_ZMTP_SOCKET_TYPE_MISMATCH",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      raw.write([0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0x01, 0x02, 0x00, 0x00]);
      await expectHandshakeRefused(fixture, raw, "ERR_ZMTP_SOCKET_TYPE_MISMATCH");
    },
    TEST_TIMEOUT,
  );

  test(
    "a greeting with another security mechanism closes only that connection",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      raw.write(greeting({ mechanism: "PLAIN" }));
      await expectHandshakeRefused(fixture, raw, "ERR_ZMTP_MECHANISM_MISMATCH");
    },
    TEST_TIMEOUT,
  );

  test(
    "an unknown command instead of READY closes only that connection",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      raw.write(concat(greeting(), command("JUNK", new Uint8Array([1, 2, 3]))));
      await expectHandshakeRefused(fixture, raw, "ERR_ZMTP_UNEXPECTED_COMMAND");
    },
    TEST_TIMEOUT,
  );

  test(
    "a READY without Socket-Type closes only that connection",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      raw.write(concat(greeting(), command("READY")));
      await expectHandshakeRefused(fixture, raw, "ERR_ZMTP_INVALID_METADATA");
    },
    TEST_TIMEOUT,
  );

  test(
    "a READY with truncated metadata closes only that connection",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      const truncated = metadata([["Socket-Type", "PUSH"]]).subarray(0, 14);
      raw.write(concat(greeting(), command("READY", truncated)));
      await expectHandshakeRefused(fixture, raw, "ERR_ZMTP_MALFORMED_COMMAND_READY");
    },
    TEST_TIMEOUT,
  );

  test(
    "a READY from an incompatible socket type closes only that connection",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      raw.write(concat(greeting(), ready("PUB")));
      await expectHandshakeRefused(fixture, raw, "ERR_ZMTP_SOCKET_TYPE_MISMATCH");
    },
    TEST_TIMEOUT,
  );

  test(
    "a peer that never finishes its greeting is dropped after handshakeInterval",
    async () => {
      const fixture = await pullWithGoodPeer({ handshakeInterval: 200 });
      const raw = await rawPeer(fixture.endpoint);
      raw.write(greeting().subarray(0, 10));
      const timeout = await fixture.log.waitFor("handshake:error:other");
      expect(timeout.error?.code).toBe("ETIMEDOUT");
      await expectOnlyTheBadConnectionClosed(fixture, raw);
    },
    TEST_TIMEOUT,
  );

  test(
    "a greeting cut short by a disconnect leaves the PULL serving its other peer",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      raw.write(greeting().subarray(0, 20));
      raw.end();
      await raw.waitForClose();
      await fixture.goodPeerDelivers("good after");
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a frame over maxMessageSize drops the connection with EMSGSIZE",
    async () => {
      const fixture = await pullWithGoodPeer({ maxMessageSize: 1024 });
      const raw = await rawPeer(fixture.endpoint);
      await raw.handshake("PUSH");
      raw.write(message(new Uint8Array(2000)));
      await expectDisconnect(fixture, raw, "EMSGSIZE");
    },
    TEST_TIMEOUT,
  );

  test(
    "a later frame pushing a multipart message over maxMessageSize drops the connection",
    async () => {
      const fixture = await pullWithGoodPeer({ maxMessageSize: 1024 });
      const raw = await rawPeer(fixture.endpoint);
      await raw.handshake("PUSH");
      raw.write(message(new Uint8Array(100), new Uint8Array(2000)));
      await expectDisconnect(fixture, raw, "EMSGSIZE");
    },
    TEST_TIMEOUT,
  );

  test(
    "a frame header claiming 2^62 bytes drops the connection without allocating it",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      await raw.handshake("PUSH");
      raw.write(concat(frameHeader(0x02, 1n << 62n), new Uint8Array(64)));
      await expectDisconnect(fixture, raw, "EMSGSIZE");
    },
    TEST_TIMEOUT,
  );

  test(
    "a truncated frame followed by a disconnect delivers nothing from that peer",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      await raw.handshake("PUSH");
      raw.write(concat(frameHeader(0x02, 65536), new Uint8Array(100).fill(0x61)));
      raw.end();
      await raw.waitForClose();
      await fixture.log.waitFor("disconnect");
      await fixture.goodPeerDelivers("good after"); // the half frame never became a message
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a truncated multipart message followed by a disconnect delivers none of its frames",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      await raw.handshake("PUSH");
      raw.write(concat(message("complete"), frame("part", { more: true }), frame("more", { more: true })));
      expect(await receive(fixture.pull, "the complete message from the raw peer")).toEqual(["complete"]);
      raw.end();
      await raw.waitForClose();
      await fixture.log.waitFor("disconnect");
      await fixture.goodPeerDelivers("good after");
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "an unknown command after the handshake is ignored and the connection stays up",
    async () => {
      const fixture = await pullWithGoodPeer();
      const raw = await rawPeer(fixture.endpoint);
      await raw.handshake("PUSH");
      raw.write(command("FOOBAR", new Uint8Array([1, 2, 3])));
      raw.write(message("after", "unknown"));
      const after = await receive(fixture.pull, "data from the raw peer after its unknown command");
      expect(after).toEqual(["after", "unknown"]);
      await fixture.goodPeerDelivers("good after");
      raw.write(message("still here"));
      expect(await receive(fixture.pull, "more data from the raw peer")).toEqual(["still here"]);
      expect(raw.closed).toBe(false);
      expect(fixture.log.count("disconnect")).toBe(0);
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "many bad peers in a row leave a bunzmq PUSH peer delivering",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0, maxMessageSize: 1024 }));
      await pull.bind(TCP_ANY);
      const push = cleanup.track(new Push({ linger: 0 }));
      push.connect(endpointOf(pull));
      const bad = [
        () => concat([0], new TextEncoder().encode("garbage garbage garbage garbage garbage garbage garbage!")),
        () => Uint8Array.of(0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 0x01, 0x02),
        () => concat(greeting(), command("JUNK")),
        () => concat(greeting(), command("READY")),
        () => concat(greeting(), ready("PUSH"), message(new Uint8Array(2000))),
      ];
      for (let round = 0; round < 3; round++) {
        for (const bytes of bad) {
          const raw = await rawPeer(endpointOf(pull));
          raw.write(bytes());
          await raw.waitForClose();
        }
        await withTimeout(push.send(`round ${round}`), 5000, "the bunzmq PUSH to accept a message");
        expect(await receive(pull)).toEqual([`round ${round}`]);
      }
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});
