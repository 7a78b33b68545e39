// ZMTP 1.0 peers (libzmq 2.x: no greeting, length-prefixed frames, an identity frame first), played
// by raw peers replaying fixed byte strings written by hand from RFC 13 and zmtp-notes §1.3, never by
// our encoder. Both directions: 1.0 peers dialling bunzmq, and bunzmq dialling a 1.0 listener. What
// bunzmq sends is checked byte for byte: its signature doubles as the header of its identity frame.

import { describe, expect, test } from "bun:test";
import type { Socket, TCPSocketListener } from "bun";
import { Dealer, Publisher, Pull, Request } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { trackUncaught } from "../helpers/uncaught.ts";
import { waitFor, withTimeout } from "../helpers/wait.ts";
import { hex } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();
const uncaught = trackUncaught();
const TEST_TIMEOUT = 15_000;

/** Golden bytes: "ff 00 01" style hex, as zmtp-notes writes them. */
const bytes = (text: string) => Uint8Array.from(text.split(/\s+/).filter(Boolean), (pair) => parseInt(pair, 16));

// A 1.0 peer's empty identity frame: length 1 (the flags byte), flags 0.
const EMPTY_IDENTITY = "01 00";
// Our signature as a 1.0 peer reads it: a long header, length 1 (routing id of 0 bytes + flags), flags 0x7F.
const SIGNATURE = "ff 00 00 00 00 00 00 00 01 7f";
// "hello", one frame; then "a" (MORE) and "bc", one two-frame message.
const HELLO = "06 00 68 65 6c 6c 6f";
const A_BC = "02 01 61 03 00 62 63";

async function rawPeer(endpoint: string): Promise<RawPeer> {
  return cleanup.track(await RawPeer.connect(endpoint));
}

/** A one-connection TCP listener that writes `greeting` on accept and records what it receives. */
class RawListener {
  received: number[] = [];
  socket: Socket<unknown> | null = null;
  readonly #server: TCPSocketListener<unknown>;

  constructor(greeting: Uint8Array) {
    this.#server = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        open: (socket) => {
          this.socket = socket;
          socket.write(greeting);
        },
        data: (_socket, chunk) => void this.received.push(...chunk),
      },
    });
    cleanup.add(() => this.#server.stop(true));
  }

  get endpoint(): string {
    return `tcp://127.0.0.1:${this.#server.port}`;
  }

  /** Resolves once `expected` (hex) has been received exactly, no more; names what came instead. */
  async expectReceived(expected: string): Promise<void> {
    const want = hex(bytes(expected));
    await waitFor(() => this.received.length >= bytes(expected).length, {
      what: () => `${want} (got ${hex(Uint8Array.from(this.received))})`,
    });
    expect(hex(Uint8Array.from(this.received))).toBe(want);
  }
}

describe("ZMTP 1.0 peers dialling bunzmq", () => {
  test(
    "a 1.0 PUSH's frames reach a bunzmq PULL, which sends only its signature (the 1.0 peer's view: our empty identity)",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0 }));
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const raw = await rawPeer(pull.lastEndpoint!);
      raw.write(bytes(`${EMPTY_IDENTITY} ${HELLO} ${A_BC}`));
      expect((await withTimeout(pull.receive(), 5000, "hello")).map(String)).toEqual(["hello"]);
      expect((await withTimeout(pull.receive(), 5000, "a, bc")).map(String)).toEqual(["a", "bc"]);
      expect(hex(await raw.waitForBytes(10))).toBe(SIGNATURE);
      const handshake = (await log.waitFor("handshake")) as { peer?: { socketType?: string } };
      expect(handshake.peer?.socketType).toBe("");
    },
    TEST_TIMEOUT,
  );

  test(
    "a 1.0 SUB, which sends no subscriptions, gets everything a bunzmq PUB publishes (libzmq's phantom subscription)",
    async () => {
      const pub = cleanup.track(new Publisher({ linger: 0 }));
      await pub.bind(TCP_ANY);
      const raw = await rawPeer(pub.lastEndpoint!);
      raw.write(bytes(EMPTY_IDENTITY));
      // "news" as a 1.0 frame: length 5, flags 0.
      const expected = `${SIGNATURE} 05 00 6e 65 77 73`;
      await waitFor(
        async () => {
          await pub.send("news");
          return raw.bytes().length >= 16;
        },
        { what: "a published message on the 1.0 SUB" },
      );
      expect(hex(raw.bytes().subarray(0, 16))).toBe(hex(bytes(expected)));
    },
    TEST_TIMEOUT,
  );

  test(
    "a malformed 1.0 length (0) drops that peer with EPROTO; another 1.0 peer on the same PULL still delivers",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0 }));
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const bad = await rawPeer(pull.lastEndpoint!);
      bad.write(bytes(`${EMPTY_IDENTITY} ${HELLO} 00`));
      expect((await withTimeout(pull.receive(), 5000, "the bad peer's good frame")).map(String)).toEqual(["hello"]);
      await bad.waitForClose();
      expect((await log.waitFor("disconnect")).error?.code).toBe("EPROTO");
      const good = await rawPeer(pull.lastEndpoint!);
      good.write(bytes(`${EMPTY_IDENTITY} ${A_BC}`));
      expect((await withTimeout(pull.receive(), 5000, "the good peer's message")).map(String)).toEqual(["a", "bc"]);
      expect(uncaught.errors).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a socket with a ZAP domain refuses a 1.0 peer with ERR_ZMTP_UNSUPPORTED_VERSION, as libzmq does",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0, zapDomain: "global" }));
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const raw = await rawPeer(pull.lastEndpoint!);
      raw.write(bytes(`${EMPTY_IDENTITY} ${HELLO}`));
      expect((await log.waitFor("handshake:error:protocol")).error?.code).toBe("ERR_ZMTP_UNSUPPORTED_VERSION");
      await raw.waitForClose();
      expect(hex(raw.bytes())).toBe(SIGNATURE);
    },
    TEST_TIMEOUT,
  );
});

describe("bunzmq dialling a ZMTP 1.0 listener", () => {
  test(
    "a bunzmq REQ's request goes out in 1.0 frames after its signature, and the 1.0 REP's reply comes back",
    async () => {
      const listener = new RawListener(bytes(EMPTY_IDENTITY));
      const req = cleanup.track(new Request({ linger: 0 }));
      req.connect(listener.endpoint);
      await req.send("hi");
      // The empty delimiter (length 1, MORE), then "hi".
      await listener.expectReceived(`${SIGNATURE} 01 01 03 00 68 69`);
      listener.socket!.write(bytes("01 01 03 00 6f 6b"));
      expect((await withTimeout(req.receive(), 5000, "the 1.0 REP's reply")).map(String)).toEqual(["ok"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "a bunzmq DEALER's routing id follows the signature whose padding announced its length (2 + 1)",
    async () => {
      const listener = new RawListener(bytes(EMPTY_IDENTITY));
      const dealer = cleanup.track(new Dealer({ linger: 0, routingId: "me" }));
      dealer.connect(listener.endpoint);
      await dealer.send(["", "x"]);
      await listener.expectReceived("ff 00 00 00 00 00 00 00 03 7f 6d 65 01 01 02 00 78");
    },
    TEST_TIMEOUT,
  );
});
