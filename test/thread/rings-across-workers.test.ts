// Rings and doorbells across threads: the application thread sends records to a Worker that echoes
// them back (peers/ring-echo-worker.ts), with either signaler on either side and
// rings small enough that both sides fill them and wait for space. Every record comes back intact
// and in order; the Worker stops on request.

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

async function echoThroughWorker(mainKind: "atomics" | "eventfd", workerKind: "atomics" | "eventfd"): Promise<number> {
  const toWorker = createRing(4096);
  const fromWorker = createRing(2048);
  const doorbell: Doorbell = mainKind === "atomics" ? new AtomicsDoorbell() : new EventfdDoorbell();
  const worker = new Worker(new URL("../../peers/ring-echo-worker.ts", import.meta.url).href);
  try {
    const workerAddress = await withTimeout(
      new Promise<DoorbellAddress>((resolve) => {
        worker.onmessage = (event) => resolve(event.data as DoorbellAddress);
        worker.postMessage({ input: toWorker, output: fromWorker, kind: workerKind, mainDoorbell: doorbell.address });
      }),
      5000,
      "the Worker's doorbell address",
    );
    const stopped = new Promise<void>((resolve) => {
      worker.onmessage = (event) => event.data === "stopped" && resolve();
    });
    const workerBell = ringerFor(workerAddress);
    const writer = new RingWriter(toWorker);
    const reader = new RingReader(fromWorker);
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
    await withTimeout(stopped, 5000, "the Worker to stop");
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
});
