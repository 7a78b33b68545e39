// zmtp-notes §9 scenario 18: a libzmq binder in its own process is killed hard (SIGKILL) and started
// again on the same endpoint. Our connecting socket notices, redials until the new process answers,
// delivers what was sent while the peer was down, and a SUB re-sends its subscriptions unasked.
// The libzmq side is peers/libzmq/peer-fixture.ts (test/helpers/libzmq-peer.ts).

import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Push, Subscriber } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { EventLog } from "../helpers/events.ts";
import { LibzmqPeerProcess } from "../helpers/libzmq-peer.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 30_000;

async function startPeer(args: string[]): Promise<LibzmqPeerProcess> {
  const peer = await LibzmqPeerProcess.start(args);
  cleanup.track(peer);
  return peer;
}

/** Where the first binder binds; the restarted one binds the endpoint it reported (same port or file). */
const TRANSPORTS: Array<{ name: string; bindTo: () => string }> = [
  { name: "tcp", bindTo: () => "tcp://127.0.0.1:*" },
  {
    name: "ipc",
    bindTo: () => {
      const dir = mkdtempSync(join(tmpdir(), "bunzmq-reconnect-"));
      cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
      return `ipc://${join(dir, "binder.sock")}`;
    },
  },
];

describe("reconnect to a libzmq binder that was killed hard and restarted (scenario 18)", () => {
  for (const transport of TRANSPORTS) {
    test(
      `PUSH over ${transport.name}: messages sent while the binder is down reach the restarted binder`,
      async () => {
        const first = await startPeer(["--type", "pull", "--bind", transport.bindTo()]);
        const endpoint = first.endpoint;
        const push = cleanup.track(new Push({ linger: 0, reconnectInterval: 50 }));
        const log = new EventLog(push);
        push.connect(endpoint);
        await push.send("before");
        await first.waitForRecord((r) => r.type === "message", "the first binder to receive 'before'");

        first.kill("SIGKILL");
        await first.exited();
        await log.waitFor("disconnect");
        // Queued on the connecting socket's pipe, which outlives the connection.
        for (let i = 0; i < 5; i++) await push.send(`while-down-${i}`);

        const second = await startPeer(["--type", "pull", "--bind", endpoint, "--count", "5"]);
        await second.waitForRecord((r) => r.type === "done", "the restarted binder to receive all 5 queued messages", 10_000);
        expect(second.messages()).toEqual([0, 1, 2, 3, 4].map((i) => [`while-down-${i}`]));
        // After the loss: at least one refused attempt rescheduled, then one connection and one handshake.
        const sinceLoss = log.types().slice(log.types().indexOf("disconnect"));
        expect(sinceLoss).toContain("connect:retry");
        expect(sinceLoss.indexOf("connect:retry")).toBeLessThan(sinceLoss.indexOf("connect"));
        expect(sinceLoss.indexOf("connect")).toBeLessThan(sinceLoss.indexOf("handshake"));
        expect(log.count("connect")).toBe(2);
        expect(log.count("handshake")).toBe(2);
      },
      TEST_TIMEOUT,
    );
  }

  for (const transport of TRANSPORTS) {
    test(
      `SUB over ${transport.name}: the restarted XPUB binder receives our subscription again without a new subscribe()`,
      async () => {
        const first = await startPeer(["--type", "xpub", "--bind", transport.bindTo()]);
        const endpoint = first.endpoint;
        const sub = cleanup.track(new Subscriber({ linger: 0, reconnectInterval: 50 }));
        const log = new EventLog(sub);
        sub.connect(endpoint);
        sub.subscribe("scores.");
        const subscription = (r: { type: string; frames?: unknown }) =>
          r.type === "message" && (r.frames as string[])[0] === "\u0001scores.";
        await first.waitForRecord(subscription, "the first XPUB to see our subscription");

        first.kill("SIGKILL");
        await first.exited();
        await log.waitFor("disconnect");
        const second = await startPeer(["--type", "xpub", "--bind", endpoint]);
        await second.waitForRecord(subscription, "the restarted XPUB to see our subscription again", 10_000);
        expect(log.count("handshake")).toBe(2);
      },
      TEST_TIMEOUT,
    );
  }
});
