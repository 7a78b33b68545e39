// The raw byte peers of draft-bad-peer.test.ts aimed at libzmq 4.3.5 built with the draft API: this
// pins down the reference behaviour bunzmq's DRAFT sockets copy (a SERVER drops a multipart message
// and keeps the connection, a DISH drops a peer whose data is not a group and one body, a RADIO
// shrugs off a LEAVE never joined) and the bytes of JOIN and of a group message on the wire.

import { describe, expect, test } from "bun:test";
import { LibzmqDraftSocket, ZMQ } from "../../peers/libzmq/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { DRAFT_LIBZMQ, draftLibzmqMissing } from "../helpers/libzmq-draft.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { waitFor } from "../helpers/wait.ts";
import { concat, frame, hex, message } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();
const missing = draftLibzmqMissing("test/robustness/draft-libzmq-reference.test.ts");

function libzmq(type: number): LibzmqDraftSocket {
  const socket = new LibzmqDraftSocket(cleanup.libzmq({ library: DRAFT_LIBZMQ! }).socket(type));
  socket.socket.bind(TCP_ANY);
  return socket;
}

/**
 * A raw peer past its handshake with `socket`. libzmq attaches an accepted connection when its
 * application calls into the socket, so the socket is poked (ZMQ_EVENTS) until the handshake ends.
 */
async function rawPeer(socket: LibzmqDraftSocket, as: string): Promise<{ raw: RawPeer; start: number }> {
  const raw = cleanup.track(await RawPeer.connect(socket.socket.lastEndpoint));
  let start = -1;
  const handshake = raw.handshake(as).then((end) => (start = end));
  await waitFor(() => (socket.socket.getInt(ZMQ.EVENTS), start >= 0), { what: `the ${as} handshake` });
  await handshake;
  return { raw, start };
}

function groupCommand(name: "JOIN" | "LEAVE", group: string): Uint8Array {
  return frame(concat([name.length], Buffer.from(name), Buffer.from(group)), { command: true });
}

describe.skipIf(missing)("libzmq 4.3.5 (draft API) against raw byte peers (reference behaviour)", () => {
  test("a SERVER drops a multipart message whole and keeps the connection", async () => {
    const server = libzmq(ZMQ.SERVER);
    const { raw } = await rawPeer(server, "CLIENT");
    raw.write(message("multi", "part"));
    raw.write(message("single"));
    const received = await server.receive();
    expect(String(received.body)).toBe("single");
    expect(server.tryReceive()).toBeNull();
    expect(raw.closed).toBe(false);
  });

  for (const [what, bad] of [
    ["a single frame", message("no group")],
    ["three frames", message("g", "a", "b")],
    ["a group over 255 bytes", message("g".repeat(256), "body")],
  ] as const) {
    test(`a DISH drops the connection of a peer that sends ${what}`, async () => {
      const dish = libzmq(ZMQ.DISH);
      dish.join("g");
      const { raw } = await rawPeer(dish, "RADIO");
      raw.write(bad);
      await waitFor(() => (dish.socket.getInt(ZMQ.EVENTS), raw.closed), { what: "the DISH to close the connection" });
    });
  }

  test("a DISH sends JOIN as 04 len 04 'JOIN' group, which bunzmq's Dish sends byte for byte", async () => {
    const dish = libzmq(ZMQ.DISH);
    dish.join("weather");
    const { raw, start } = await rawPeer(dish, "RADIO");
    const join = groupCommand("JOIN", "weather");
    await waitFor(() => (dish.socket.getInt(ZMQ.EVENTS), raw.bytes().length >= start + join.length), { what: "the DISH's JOIN" });
    expect(hex(raw.bytes().subarray(start, start + join.length))).toBe(hex(join));
  });

  test("a RADIO takes a LEAVE never joined in its stride, and sends a group message as group (MORE) then body", async () => {
    const radio = libzmq(ZMQ.RADIO);
    const { raw, start } = await rawPeer(radio, "DISH");
    raw.write(groupCommand("LEAVE", "never joined"));
    raw.write(groupCommand("JOIN", "mine"));
    const expected = message("mine", "x");
    await waitFor(
      () => {
        radio.trySend("x", { group: "mine" });
        return raw.bytes().length >= start + expected.length;
      },
      { what: "the RADIO's group message" },
    );
    expect(hex(raw.bytes().subarray(start, start + expected.length))).toBe(hex(expected));
    expect(raw.closed).toBe(false);
  });
});

describe.skipIf(missing)("libzmq 4.3.5 (draft API) against a ZMTP 2.0 peer", () => {
  test("a DISH takes a 2.0 RADIO: it answers with revision 3, its type, an empty identity and JOIN as a command frame", async () => {
    const dish = libzmq(ZMQ.DISH);
    dish.join("g");
    const raw = cleanup.track(await RawPeer.connect(dish.socket.lastEndpoint));
    raw.write(Uint8Array.of(0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 1, 14, 0, 0));
    raw.write(message("g", "body"));
    const received = await waitFor(() => (dish.socket.getInt(ZMQ.EVENTS), dish.tryReceive()), { what: "the 2.0 RADIO's message" });
    expect(String(received.body)).toBe("body");
    const expected = "ff00000000000000017f030f00000406044a4f494e67";
    await waitFor(() => (dish.socket.getInt(ZMQ.EVENTS), raw.bytes().length >= expected.length / 2), { what: "the DISH's answer" });
    expect(hex(raw.bytes())).toBe(hex(Buffer.from(expected, "hex")));
  });
});
