// Raw CURVE peers misbehaving against a bound bunzmq CURVE PULL that a good libzmq CURVE PUSH also
// feeds. Each bad peer loses only its own connection with a handshake:error:protocol event and a
// stable code; nothing it sent is delivered; the good peer carries on. Valid CurveZMQ boxes are made
// with bunzmq's own CurveClient (tested against libzmq in test/interop), the framing by hand.

import { describe, expect, test } from "bun:test";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { generateKeyPair } from "../../src/mechanism/curve/box.ts";
import { CurveClient } from "../../src/mechanism/curve/client.ts";
import { parseHandshakeCommand } from "../../src/wire/command.ts";
import { Pull, curveKeyPair } from "../../src/index.ts";
import { z85Decode } from "../../src/extras.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf } from "../helpers/payload.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { frame, greeting, parseFrameAt } from "../helpers/zmtp-bytes.ts";
import { trackUncaught } from "../helpers/uncaught.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const uncaught = trackUncaught();
const TEST_TIMEOUT = 15_000;
const PUSH_PROPERTIES = [["Socket-Type", new TextEncoder().encode("PUSH")]] as const;

interface Fixture {
  pull: Pull;
  log: EventLog;
  endpoint: string;
  serverKey: Uint8Array;
  goodPeerDelivers(tag: string): Promise<void>;
}

async function curvePullWithGoodPeer(): Promise<Fixture> {
  const server = curveKeyPair();
  const pull = cleanup.track(new Pull({ linger: 0, curveServer: true, curveSecretKey: server.secretKey }));
  const log = new EventLog(pull);
  await pull.bind(TCP_ANY);
  const endpoint = endpointOf(pull);
  const client = curveKeyPair();
  const good = cleanup.libzmq().socket(ZMQ.PUSH);
  good.setBytes(ZMQ.CURVE_SERVERKEY, server.publicKey);
  good.setBytes(ZMQ.CURVE_PUBLICKEY, client.publicKey);
  good.setBytes(ZMQ.CURVE_SECRETKEY, client.secretKey);
  good.connect(endpoint);
  const goodPeerDelivers = async (tag: string) => {
    await good.send([tag]);
    const received = await withTimeout(pull.receive(), 5000, `"${tag}" from the good libzmq CURVE peer`);
    expect(received.map(String)).toEqual([tag]);
  };
  await goodPeerDelivers("good before");
  return { pull, log, endpoint, serverKey: z85Decode(server.publicKey)!, goodPeerDelivers };
}

/** A raw TCP peer with a frame reader over what it received after the 64-byte greeting. */
async function rawCurvePeer(endpoint: string) {
  const raw = cleanup.track(await RawPeer.connect(endpoint));
  let offset = 64;
  const nextCommand = async () => {
    for (;;) {
      const parsed = parseFrameAt(raw.bytes(), offset);
      if (parsed !== null) {
        offset = parsed.end;
        const command = parseHandshakeCommand(parsed.body);
        if (command === null) throw new Error("the server sent a frame that is not a command");
        return command;
      }
      await raw.waitForBytes(raw.bytes().length + 1);
    }
  };
  return { raw, nextCommand };
}

/** Completes a genuine CURVE handshake from a raw peer; returns the client whose cipher seals MESSAGEs. */
async function handshaken(fixture: Fixture): Promise<{ raw: RawPeer; client: CurveClient }> {
  const { raw, nextCommand } = await rawCurvePeer(fixture.endpoint);
  const client = new CurveClient(PUSH_PROPERTIES, { ...generateKeyPair(), serverKey: fixture.serverKey });
  raw.write(greeting({ mechanism: "CURVE" }));
  raw.write(client.start()[0]!);
  raw.write(client.onCommand(await nextCommand())[0]!);
  client.onCommand(await nextCommand());
  expect(client.status).toBe("ready");
  await fixture.log.waitFor("handshake", { count: 2 });
  return { raw, client };
}

async function expectRefused(fixture: Fixture, raw: RawPeer, code: string): Promise<void> {
  const refusal = await fixture.log.waitFor("handshake:error:protocol");
  expect(refusal.error?.code).toBe(code);
  await raw.waitForClose();
  await fixture.goodPeerDelivers("good after");
  expect(fixture.pull.tryReceive()).toBeNull();
  expect(uncaught.errors).toEqual([]);
}

describe("a bound bunzmq CURVE PULL facing malformed CURVE peers", () => {
  test(
    "a truncated HELLO closes only that connection (ERR_ZMTP_MALFORMED_COMMAND_HELLO)",
    async () => {
      const fixture = await curvePullWithGoodPeer();
      const { raw } = await rawCurvePeer(fixture.endpoint);
      const client = new CurveClient(PUSH_PROPERTIES, { ...generateKeyPair(), serverKey: fixture.serverKey });
      const hello = client.start()[0]!;
      raw.write(greeting({ mechanism: "CURVE" }));
      raw.write(frame(hello.subarray(2, hello.length - 1), { command: true }));
      await expectRefused(fixture, raw, "ERR_ZMTP_MALFORMED_COMMAND_HELLO");
    },
    TEST_TIMEOUT,
  );

  test(
    "a truncated INITIATE closes only that connection (ERR_ZMTP_MALFORMED_COMMAND_INITIATE)",
    async () => {
      const fixture = await curvePullWithGoodPeer();
      const { raw, nextCommand } = await rawCurvePeer(fixture.endpoint);
      const client = new CurveClient(PUSH_PROPERTIES, { ...generateKeyPair(), serverKey: fixture.serverKey });
      raw.write(greeting({ mechanism: "CURVE" }));
      raw.write(client.start()[0]!);
      const initiate = client.onCommand(await nextCommand())[0]!;
      const body = initiate.subarray(9);
      raw.write(frame(body.subarray(0, 256), { command: true }));
      await expectRefused(fixture, raw, "ERR_ZMTP_MALFORMED_COMMAND_INITIATE");
    },
    TEST_TIMEOUT,
  );

  test(
    "a HELLO boxed for another server key closes only that connection (ERR_ZMTP_CRYPTOGRAPHIC)",
    async () => {
      const fixture = await curvePullWithGoodPeer();
      const { raw } = await rawCurvePeer(fixture.endpoint);
      const client = new CurveClient(PUSH_PROPERTIES, { ...generateKeyPair(), serverKey: generateKeyPair().publicKey });
      raw.write(greeting({ mechanism: "CURVE" }));
      raw.write(client.start()[0]!);
      await expectRefused(fixture, raw, "ERR_ZMTP_CRYPTOGRAPHIC");
    },
    TEST_TIMEOUT,
  );

  test(
    "a replayed MESSAGE is refused (ERR_ZMTP_INVALID_SEQUENCE): the first copy arrives, the replay does not",
    async () => {
      const fixture = await curvePullWithGoodPeer();
      const { raw, client } = await handshaken(fixture);
      const sealed = frame(client.cipher!.seal(0, new TextEncoder().encode("once")));
      raw.write(sealed);
      const first = await withTimeout(fixture.pull.receive(), 5000, "the MESSAGE's first copy");
      expect(first.map(String)).toEqual(["once"]);
      raw.write(sealed);
      await expectRefused(fixture, raw, "ERR_ZMTP_INVALID_SEQUENCE");
    },
    TEST_TIMEOUT,
  );

  test(
    "a MESSAGE whose box does not open is refused (ERR_ZMTP_CRYPTOGRAPHIC) and delivers nothing",
    async () => {
      const fixture = await curvePullWithGoodPeer();
      const { raw, client } = await handshaken(fixture);
      const body = client.cipher!.seal(0, new TextEncoder().encode("altered"));
      body[body.length - 1]! ^= 0x01;
      raw.write(frame(body));
      await expectRefused(fixture, raw, "ERR_ZMTP_CRYPTOGRAPHIC");
    },
    TEST_TIMEOUT,
  );

  test(
    "a frame in clear after the handshake is refused and never delivered",
    async () => {
      const fixture = await curvePullWithGoodPeer();
      const { raw } = await handshaken(fixture);
      raw.write(frame("plaintext that is long enough to look like a MESSAGE"));
      await expectRefused(fixture, raw, "ERR_ZMTP_UNEXPECTED_COMMAND");
    },
    TEST_TIMEOUT,
  );

  test(
    "a MESSAGE sent before the handshake ends is an unexpected command, never delivered",
    async () => {
      const fixture = await curvePullWithGoodPeer();
      const { raw, nextCommand } = await rawCurvePeer(fixture.endpoint);
      const client = new CurveClient(PUSH_PROPERTIES, { ...generateKeyPair(), serverKey: fixture.serverKey });
      raw.write(greeting({ mechanism: "CURVE" }));
      raw.write(client.start()[0]!);
      await nextCommand();
      raw.write(frame("\x07MESSAGE" + "x".repeat(40)));
      await expectRefused(fixture, raw, "ERR_ZMTP_UNEXPECTED_COMMAND");
    },
    TEST_TIMEOUT,
  );
});
