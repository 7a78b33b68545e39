// ZMTP 3.1 heartbeats between bunzmq and libzmq 4.3.4 (zmtp-notes §4.2, §0 items 8-9, §9 scenarios 16-17).
// libzmq runs in this process through bun:ffi; raw byte peers play the silent side and let us read the
// PING/PONG bytes. "Stays connected" is shown by exchanging messages for over a second in one direction
// only, so the heartbeat replies are the only frames that keep the other side's time-out at bay.
//
// "libzmq drops us when we go silent" runs our socket in a child process (test/fixtures/
// bunzmq-peer-fixture.ts) and freezes it with SIGSTOP: a live bunzmq socket always answers PINGs, as
// libzmq does, so nothing short of stopping the process makes it silent.

import { describe, expect, test } from "bun:test";
import type { Socket as BunSocket, TCPSocketListener } from "bun";
import type { LibzmqSocket } from "../../peers/libzmq/index.ts";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Dealer, Pull, Push } from "../../src/index.ts";
import { encodePing } from "../../src/wire/command.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { EventLog } from "../helpers/events.ts";
import { endpointOf } from "../helpers/payload.ts";
import { RawPeer } from "../helpers/raw-peer.ts";
import { readLines } from "../../common/read-lines.ts";
import { exchangeFor, waitFor, withTimeout } from "../helpers/wait.ts";
import { command, concat, greeting, hex, parseFrameAt, ready } from "../helpers/zmtp-bytes.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

function libzmqSocket(type: number): LibzmqSocket {
  return cleanup.libzmq().socket(type);
}

/** The first complete frame at or after `offset` in `bytes` whose body starts with the command `name`. */
function findCommand(bytes: Uint8Array, offset: number, name: string): { start: number; end: number; body: Uint8Array } | null {
  for (let at = offset, parsed = parseFrameAt(bytes, at); parsed !== null; at = parsed.end, parsed = parseFrameAt(bytes, at)) {
    if ((parsed.flags & 0x04) !== 0 && hex(parsed.body.subarray(0, 1 + name.length)) === hex(concat([name.length], ascii(name)))) {
      return { start: at, end: parsed.end, body: parsed.body };
    }
  }
  return null;
}

describe("libzmq heartbeats towards bunzmq (scenario 16)", () => {
  for (const order of ["bunzmq binds", "libzmq binds"] as const) {
    test(
      `libzmq PUSH with HEARTBEAT_IVL 100 / TTL 1000 keeps its link to our PULL for over a second (${order})`,
      async () => {
        const pull = cleanup.track(new Pull({ linger: 0 }));
        const log = new EventLog(pull);
        const push = libzmqSocket(ZMQ.PUSH);
        push.setInt(ZMQ.HEARTBEAT_IVL, 100);
        push.setInt(ZMQ.HEARTBEAT_TTL, 1000);
        const monitor = push.monitor();
        cleanup.add(() => monitor.close());
        if (order === "bunzmq binds") {
          await pull.bind(TCP_ANY);
          push.connect(endpointOf(pull));
        } else {
          push.bind(TCP_ANY);
          pull.connect(push.lastEndpoint);
        }
        await monitor.waitFor("HANDSHAKE_SUCCEEDED");
        // Data flows libzmq -> us only: libzmq's HEARTBEAT_TIMEOUT (= IVL, 100 ms) is fed by our PONGs alone.
        const count = await exchangeFor(
          1200,
          () => push.send(["tick"]),
          () => pull.receive(),
        );
        expect(count).toBeGreaterThan(0);
        expect(monitor.names().filter((n) => n === "DISCONNECTED")).toEqual([]);
        expect(log.count("disconnect")).toBe(0);
      },
      TEST_TIMEOUT,
    );
  }

  test(
    "a bunzmq peer that falls silent (its process stopped) is dropped by libzmq at HEARTBEAT_TIMEOUT",
    async () => {
      const pull = libzmqSocket(ZMQ.PULL);
      pull.setInt(ZMQ.HEARTBEAT_IVL, 100);
      pull.setInt(ZMQ.HEARTBEAT_TIMEOUT, 300);
      const monitor = pull.monitor();
      cleanup.add(() => monitor.close());
      pull.bind(TCP_ANY);
      const fixture = new URL("../fixtures/bunzmq-peer-fixture.ts", import.meta.url).pathname;
      const child = Bun.spawn(["bun", fixture, "push", pull.lastEndpoint], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
      cleanup.add(async () => {
        child.kill("SIGKILL");
        await child.exited;
      });
      const lines = readLines(child.stdout);
      expect((await withTimeout(lines.next(), 10_000, "the bunzmq child's handshake")).value).toBe("HANDSHAKE");
      await monitor.waitFor("HANDSHAKE_SUCCEEDED");
      // Answering libzmq's PINGs keeps the link up; a stopped process answers nothing.
      expect(monitor.names()).not.toContain("DISCONNECTED");
      child.kill("SIGSTOP");
      const stoppedAt = performance.now();
      await monitor.waitFor("DISCONNECTED", { timeoutMs: 5000 });
      // The expiring time-out (300 ms) was armed by the last PING sent before the stop, which the child
      // had not answered yet: at most its reply latency earlier. 200 leaves 100 ms for a loaded machine.
      expect(performance.now() - stoppedAt).toBeGreaterThanOrEqual(200);
      child.kill("SIGKILL");
      expect(await withTimeout(child.exited, 5000, "the stopped child to die of SIGKILL")).not.toBe(0);
      expect(child.signalCode).toBe("SIGKILL");
    },
    TEST_TIMEOUT,
  );

  test(
    "a raw peer's PING is answered with a PONG echoing its context, and its TTL drops it when it falls silent",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0 }));
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const raw = cleanup.track(await RawPeer.connect(endpointOf(pull)));
      const afterReady = await raw.handshake("PUSH");
      // PING, TTL 3 ds (300 ms), context "ctx" — hand-built: 04 0a 04 'PING' 00 03 'ctx'.
      raw.write(command("PING", concat([0x00, 0x03], ascii("ctx"))));
      const pong = await waitFor(() => findCommand(raw.bytes(), afterReady, "PONG"), { what: "our PONG" });
      expect(hex(raw.bytes().subarray(pong.start, pong.end))).toBe(hex(command("PONG", ascii("ctx"))));
      await raw.waitForClose(5000);
      const disconnect = await log.waitFor("disconnect");
      expect(disconnect.error?.code).toBe("ETIMEDOUT");
    },
    TEST_TIMEOUT,
  );
});

describe("bunzmq heartbeats towards libzmq (scenario 17)", () => {
  test(
    "our PING encoding: libzmq echoes the first 16 bytes of its context and drops us after our TTL of silence",
    async () => {
      const pull = libzmqSocket(ZMQ.PULL);
      const monitor = pull.monitor();
      cleanup.add(() => monitor.close());
      pull.bind(TCP_ANY);
      const raw = cleanup.track(await RawPeer.connect(pull.lastEndpoint));
      const afterReady = await raw.handshake("PUSH");
      const context = ascii("0123456789abcdefXYZ"); // 19 bytes: libzmq keeps 16 (zmtp-notes §0 item 9)
      const ping = encodePing(5, context);
      expect(hex(ping)).toBe(hex(command("PING", concat([0x00, 0x05], context.subarray(0, 16)))));
      const sentAt = performance.now();
      raw.write(ping);
      const pong = await waitFor(() => findCommand(raw.bytes(), afterReady, "PONG"), { what: "libzmq's PONG" });
      expect(hex(pong.body)).toBe(hex(concat([4], ascii("PONG"), context.subarray(0, 16))));
      // We stay silent: libzmq closes 5 ds after our PING (observed 0.50 s).
      await raw.waitForClose(5000);
      expect(performance.now() - sentAt).toBeGreaterThanOrEqual(400);
      await monitor.waitFor("DISCONNECTED");
    },
    TEST_TIMEOUT,
  );

  test(
    "our heartbeatInterval PINGs carry our TTL, and heartbeatTimeout closes a silent peer with ETIMEDOUT",
    async () => {
      const pull = cleanup.track(new Pull({ linger: 0, heartbeatInterval: 100, heartbeatTimeToLive: 550, heartbeatTimeout: 300 }));
      expect(pull.heartbeatTimeToLive).toBe(500);
      const log = new EventLog(pull);
      await pull.bind(TCP_ANY);
      const raw = cleanup.track(await RawPeer.connect(endpointOf(pull)));
      const afterReady = await raw.handshake("PUSH");
      const ping = await waitFor(() => findCommand(raw.bytes(), afterReady, "PING"), { what: "our first PING" });
      expect(hex(raw.bytes().subarray(ping.start, ping.end))).toBe("04 07 04 50 49 4e 47 00 05");
      await raw.waitForClose(5000);
      const disconnect = await log.waitFor("disconnect");
      expect(disconnect.error?.code).toBe("ETIMEDOUT");
    },
    TEST_TIMEOUT,
  );

  test(
    "libzmq answers our PINGs: our PUSH with a 100 ms heartbeat time-out stays connected for over a second",
    async () => {
      const push = cleanup.track(new Push({ linger: 0, heartbeatInterval: 50, heartbeatTimeout: 100 }));
      const log = new EventLog(push);
      const pull = libzmqSocket(ZMQ.PULL);
      pull.bind(TCP_ANY);
      push.connect(pull.lastEndpoint);
      await log.waitFor("handshake");
      // Data flows us -> libzmq only: our time-out is fed by libzmq's PONGs alone.
      const count = await exchangeFor(
        1200,
        () => push.send("tick"),
        () => pull.receive(),
      );
      expect(count).toBeGreaterThan(0);
      expect(log.count("disconnect")).toBe(0);
    },
    TEST_TIMEOUT,
  );

  test(
    "a connecting socket whose peer stops answering disconnects with ETIMEDOUT and redials",
    async () => {
      const accepted: BunSocket<undefined>[] = [];
      // A server that completes the handshake (ROUTER) and then never sends another byte.
      const server: TCPSocketListener<undefined> = Bun.listen<undefined>({
        hostname: "127.0.0.1",
        port: 0,
        socket: {
          open(socket) {
            accepted.push(socket);
            socket.write(concat(greeting(), ready("ROUTER")));
          },
          data() {},
        },
      });
      cleanup.add(() => {
        for (const socket of accepted) socket.terminate();
        server.stop(true);
      });
      const dealer = cleanup.track(new Dealer({ linger: 0, heartbeatInterval: 50, heartbeatTimeout: 100, reconnectInterval: 50 }));
      const log = new EventLog(dealer);
      dealer.connect(`tcp://127.0.0.1:${server.port}`);
      const disconnect = await log.waitFor("disconnect");
      expect(disconnect.error?.code).toBe("ETIMEDOUT");
      await log.waitFor("connect:retry");
      await waitFor(() => accepted.length >= 2, { what: "the dealer to redial the silent server" });
    },
    TEST_TIMEOUT,
  );
});
