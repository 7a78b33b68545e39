// The message-size curve: PUSH → PULL over tcp from 1 B to 16 MiB, bunzmq and libzmq, each
// receiver in a child process (bench/fixtures/pull-fixture.ts, the push-pull bench's), the sender
// in this process (bench/peers/pairs.ts: bunzmq's trySend fast path, libzmq's blocking zmq_send from
// one buffer). Beside them the raw limit at each size (bench/peers/raw-sender.ts): the same frames,
// pre-framed, one write per batch, into a receiver that only counts bytes.
// Every line is warmed up at 16 B first; then per size and line: the count for ~targetMs by
// doubling, then the median rate of `repeats` batches.

import { bunzmqPair, libzmqPair, type Pair } from "../../peers/pairs.ts";
import { RawSender } from "../../peers/raw-sender.ts";
import { Receiver } from "../../peers/receiver.ts";
import type { CostCurve } from "../../report/cost-curves.ts";
import type { Point } from "../../report/line-chart-model.ts";
import { type CurveSettings, rateOf } from "./timing.ts";

/** Bytes in flight per batch at most, so a 16 MiB batch never asks for gigabytes of queue. */
const MAX_BATCH_BYTES = 512 * 2 ** 20;

export interface SizePoint {
  size: number;
  bunzmq?: number;
  libzmq?: number;
  raw?: number;
}

/** Measures every size; `points` gets each as it finishes (what Ctrl-C leaves is still printed). */
export async function measureSizes(sizes: number[], settings: CurveSettings, points: SizePoint[]): Promise<void> {
  const receivers: Receiver[] = [];
  const pairs: Pair[] = [];
  let raw: RawSender | null = null;
  try {
    receivers.push(await Receiver.spawn("bunzmq", 1000, "tcp"), await Receiver.spawn("libzmq", 1000, "tcp"));
    pairs.push(bunzmqPair("bunzmq→bunzmq", receivers[0]!), libzmqPair("libzmq→libzmq", receivers[1]!));
    raw = await RawSender.start();
    const sender = raw;
    // Warm-up (JIT, buffers, TCP windows), not recorded: the first point would otherwise pay for it.
    for (const batch of [
      (n: number) => pairs[0]!.batch(16, n, "trySend"),
      (n: number) => pairs[1]!.batch(16, n),
      (n: number) => sender.batch(16, n),
    ]) {
      await rateOf(batch, settings, 4096, 1_000_000);
    }
    for (const size of sizes) {
      settings.check();
      const maxCount = Math.max(2, Math.floor(MAX_BATCH_BYTES / Math.max(size, 1)));
      const first = Math.max(2, Math.floor(2 ** 16 / Math.max(size, 64)));
      const rate = (batch: (count: number) => Promise<void>) => rateOf(batch, settings, first, maxCount);
      const point: SizePoint = { size };
      points.push(point);
      point.bunzmq = await rate((count) => pairs[0]!.batch(size, count, "trySend"));
      point.libzmq = await rate((count) => pairs[1]!.batch(size, count));
      point.raw = await rate((count) => sender.batch(size, count));
      settings.progress(
        `  size ${size} B: bunzmq ${Math.round(point.bunzmq)}, libzmq ${Math.round(point.libzmq)}, raw ${Math.round(point.raw)} msgs/s`,
      );
    }
  } finally {
    for (const pair of pairs) pair.close();
    await Promise.all(receivers.map((r) => r.stop()));
    await raw?.stop();
  }
}

/** The curve's series: msgs/s and MB/s (payload bytes, 10^6 B/s), each beside the raw limit. */
export function sizeCurve(points: SizePoint[]): CostCurve {
  const line = (key: "bunzmq" | "libzmq" | "raw", perMessage: (size: number) => number): Point[] =>
    points.filter((p) => p[key] !== undefined).map((p) => ({ x: p.size, y: p[key]! * perMessage(p.size) }));
  const series = (title: string, unit: string, perMessage: (size: number) => number) => ({
    title,
    unit,
    higherIsBetter: true,
    yLog: true,
    bunzmq: line("bunzmq", perMessage),
    libzmq: line("libzmq", perMessage),
    raw: line("raw", perMessage),
  });
  return {
    name: "message-size",
    title: "Message size: PUSH → PULL over tcp",
    xTitle: "message size (bytes)",
    xBytes: true,
    series: [series("Throughput", "msgs/s", () => 1), series("Payload bandwidth", "MB/s", (size) => size / 1e6)],
    notes: ["Receiver in a child process; sender here. Raw limit: the same ZMTP frames written pre-framed by Bun, no ZeroMQ logic."],
  };
}
