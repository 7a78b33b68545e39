// The Worker half of test/thread/rings-across-workers.test.ts and bench/scenarios/io-signalers.ts:
// echoes every record of its input ring into its output ring, as an I/O thread would, sleeping on
// its own doorbell (of the kind it is told) whenever both rings give it nothing to do. A record
// tagged STOP ends it. Given `maxCapacity`, its output ring moves to larger ones (posted as
// `{ moved }`), and it follows the input ring's moves (posted to it as `{ follow }`). Imports
// src/thread.

import { RingReader, RingWriter } from "../src/thread/byte-ring.ts";
import { AtomicsDoorbell, AtomicsRinger, type Doorbell, type DoorbellAddress, type DoorbellRinger } from "../src/thread/doorbell.ts";
import { EventfdDoorbell, EventfdRinger } from "../src/thread/eventfd-doorbell.ts";

declare const self: Worker;

export const STOP = 0xffffffff;

interface Start {
  input: SharedArrayBuffer;
  output: SharedArrayBuffer;
  kind: "atomics" | "eventfd";
  mainDoorbell: DoorbellAddress;
  maxCapacity?: number;
}

let following: ((ring: SharedArrayBuffer) => void) | null = null;

self.onmessage = (event: MessageEvent<Start | { follow: SharedArrayBuffer }>) => {
  if ("follow" in event.data) return following?.(event.data.follow);
  const { input, output, kind, mainDoorbell, maxCapacity } = event.data;
  const doorbell: Doorbell = kind === "atomics" ? new AtomicsDoorbell() : new EventfdDoorbell();
  const main: DoorbellRinger = mainDoorbell.kind === "atomics" ? new AtomicsRinger(mainDoorbell) : new EventfdRinger(mainDoorbell);
  const reader = new RingReader(input);
  const mover = maxCapacity === undefined ? null : { maxCapacity, moved: (ring: SharedArrayBuffer) => self.postMessage({ moved: ring }) };
  following = (ring) => {
    reader.follow(ring);
    doorbell.ring();
  };
  self.postMessage(doorbell.address);
  void run(reader, new RingWriter(output, mover), doorbell, main).then(() => {
    doorbell.close();
    self.postMessage("stopped");
  });
};

async function run(reader: RingReader, writer: RingWriter, doorbell: Doorbell, main: DoorbellRinger): Promise<void> {
  let stopping = false;
  for (;;) {
    // A record the output ring cannot take yet stays in the input ring, so order is kept.
    let blockedBytes = -1;
    reader.drain((tag, payload) => {
      if (tag === STOP) {
        stopping = true;
        return true;
      }
      if (writer.tryWriteBytes(tag, payload)) return true;
      blockedBytes = payload.length;
      return false;
    });
    if (reader.takeWriterWaiting()) main.ring();
    if (writer.publish()) main.ring();
    if (stopping) return;
    // The check runs after the sleep is announced, so it must look afresh: a value computed before
    // would miss a ring that came in between (the reader freeing space while we were awake).
    await doorbell.sleep(() => (blockedBytes >= 0 ? writer.waitForRecord(blockedBytes) : reader.readable));
  }
}
