// Rings and doorbells across threads: the application thread sends records to a Worker that echoes
// them back (peers/ring-echo-worker.ts), with either signaler on either side and
// rings small enough that both sides fill them and wait for space, or rings that start at 64 bytes
// and move to larger ones on both sides while records flow. Every record comes back intact and in
// order; the Worker stops on request.

import { describe, expect, test } from "bun:test";
import { RingReader, RingWriter, createRing } from "../../src/thread/byte-ring.ts";
import { AtomicsDoorbell, AtomicsRinger, type Doorbell, type DoorbellAddress, type DoorbellRinger } from "../../src/thread/doorbell.ts";
import { EventfdDoorbell, EventfdRinger } from "../../src/thread/eventfd-doorbell.ts";
import { withTimeout } from "../helpers/wait.ts";

const STOP = 0xffffffff;
const RECORDS = 20_000;
const payload = (n: number) => Uint8Array.from({ length: (n * 13) % 300 }, (_, i) => (n + i) & 0xff);

function ringerFor(address: DoorbellAddress): DoorbellRinger {
  return address.kind === "atomics" ? new AtomicsRinger(address) : new EventfdRinger(address);
}

/** `maxCapacity`: both rings start at 64 bytes and move up to it. */
async function echoThroughWorker(
  mainKind: "atomics" | "eventfd",
  workerKind: "atomics" | "eventfd",
  maxCapacity?: number,
): Promise<number> {
  const toWorker = createRing(maxCapacity === undefined ? 4096 : 64);
  const fromWorker = createRing(maxCapacity === undefined ? 2048 : 64);
  const doorbell: Doorbell = mainKind === "atomics" ? new AtomicsDoorbell() : new EventfdDoorbell();
  const worker = new Worker(new URL("../../peers/ring-echo-worker.ts", import.meta.url).href);
  const reader = new RingReader(fromWorker);
  let moves = 0;
  try {
    let started!: (address: DoorbellAddress) => void;
    let stopped!: () => void;
    const addressKnown = new Promise<DoorbellAddress>((resolve) => (started = resolve));
    const stop = new Promise<void>((resolve) => (stopped = resolve));
    worker.onmessage = (event: MessageEvent<DoorbellAddress | "stopped" | { moved: SharedArrayBuffer }>) => {
      const data = event.data;
      if (data === "stopped") return stopped();
      if (!("moved" in data)) return started(data);
      moves++;
      reader.follow(data.moved);
      doorbell.ring();
    };
    worker.postMessage({ input: toWorker, output: fromWorker, kind: workerKind, mainDoorbell: doorbell.address, maxCapacity });
    const workerAddress = await withTimeout(addressKnown, 5000, "the Worker's doorbell address");
    const workerBell = ringerFor(workerAddress);
    let ownMoves = 0;
    const moved = (ring: SharedArrayBuffer) => {
      ownMoves++;
      worker.postMessage({ follow: ring });
    };
    const mover = maxCapacity === undefined ? null : { maxCapacity, moved };
    const writer = new RingWriter(toWorker, mover);
    let sent = 0;
    let received = 0;
    const deadline = performance.now() + 20_000;
    while (received < RECORDS) {
      if (performance.now() > deadline) throw new Error(`only ${received} of ${RECORDS} records came back`);
      while (sent < RECORDS && writer.tryWriteBytes(sent, payload(sent))) sent++;
      if (writer.publish()) workerBell.ring();
      reader.drain((tag, bytes) => {
        if (tag !== received || !Buffer.from(bytes).equals(Buffer.from(payload(received))))
          throw new Error(`record ${received} came back as ${tag}`);
        received++;
      });
      if (reader.takeWriterWaiting()) workerBell.ring();
      if (received === RECORDS) break;
      await doorbell.sleep(() => reader.readable || (sent < RECORDS && writer.waitForRecord(payload(sent).length)));
    }
    while (!writer.tryWriteBytes(STOP, new Uint8Array(0))) await doorbell.sleep(() => writer.waitForRecord(0));
    writer.publish();
    workerBell.ring();
    await withTimeout(stop, 5000, "the Worker to stop");
    // Both rings moved: 64 → 256 → 1024 (a 300-byte record needs 1024), and on towards the maximum.
    if (maxCapacity !== undefined && Math.min(moves, ownMoves) < 2) throw new Error(`the rings moved ${ownMoves} and ${moves} times`);
    return received;
  } finally {
    worker.terminate();
    doorbell.close();
  }
}

describe("rings and doorbells between the application thread and a Worker", () => {
  for (const [main, worker] of [
    ["atomics", "atomics"],
    ["eventfd", "eventfd"],
    ["atomics", "eventfd"],
    ["eventfd", "atomics"],
  ] as const) {
    test(`20,000 records echo back intact and in order (main ${main}, Worker ${worker})`, async () => {
      expect(await echoThroughWorker(main, worker)).toBe(RECORDS);
    }, 30_000);
  }

  test("20,000 records echo back intact and in order while both rings move from 64 bytes up to 16 KiB", async () => {
    expect(await echoThroughWorker("atomics", "atomics", 16 * 1024)).toBe(RECORDS);
  }, 30_000);
});
