// Micro-benchmarks of the ZMTP frame codec (src/wire), no sockets: encoding frames into an output
// batch and decoding a 64 KiB chunk full of frames. Run: `bun bench/micro/codec.bench.ts`.

import { bench, do_not_optimize, group, run } from "mitata";
import { FrameDecoder } from "../../src/wire/decoder.ts";
import { FLAG_MORE, encodeFrame, frameHeaderSize, writeFrameHeader } from "../../src/wire/frame.ts";

const BODY_SIZES = [0, 16, 256, 1024, 65536];
const BATCH_SIZE = 8 * 1024; // libzmq's out_batch_size
const CHUNK_SIZE = 64 * 1024;

const label = (size: number) => (size >= 1024 ? `${size / 1024} KiB` : `${size} B`);

/**
 * Frames per iteration for each bench, so results can be reported per frame. A body too large for
 * one batch or chunk gets a buffer holding exactly one frame (the engine writes those directly).
 */
function framesPer(capacity: number, bodySize: number): number {
  return Math.max(1, Math.floor(capacity / (frameHeaderSize(bodySize) + bodySize)));
}

/** What mitata hands a generator bench: its computed parameters (`.args`). */
interface BenchState {
  get(name: string): any;
}

const framesPerIteration = new Map<string, number>();

group("encode: writeFrameHeader + body copy into an 8 KiB batch", () => {
  bench("encode $size-byte bodies", function* (state: BenchState) {
    const size: number = state.get("size");
    const body = new Uint8Array(size).fill(0x61);
    const frames = framesPer(BATCH_SIZE, size);
    const batch = new Uint8Array(Math.max(BATCH_SIZE, frameHeaderSize(size) + size));
    framesPerIteration.set(`encode ${size}-byte bodies`, frames);
    // One iteration fills one batch, then "flushes" it (resets the position), like the engine.
    yield () => {
      let pos = 0;
      for (let i = 0; i < frames; i++) {
        pos = writeFrameHeader(batch, pos, i + 1 < frames ? FLAG_MORE : 0, size);
        batch.set(body, pos);
        pos += size;
      }
      do_not_optimize(pos);
    };
  }).args("size", BODY_SIZES);
});

group("decode: a 64 KiB chunk full of frames, one view per frame", () => {
  bench("decode $size-byte bodies", function* (state: BenchState) {
    const size: number = state.get("size");
    const frames = framesPer(CHUNK_SIZE, size);
    const frame = encodeFrame(0, new Uint8Array(size).fill(0x62));
    const chunk = Buffer.alloc(frames * frame.length);
    for (let i = 0; i < frames; i++) chunk.set(frame, i * frame.length);
    const decoder = new FrameDecoder(-1);
    framesPerIteration.set(`decode ${size}-byte bodies`, frames);
    yield () => {
      decoder.feed(chunk, 0);
      let count = 0;
      while (decoder.next()) count++;
      if (count !== frames) throw new Error(`decoded ${count} frames, expected ${frames}`);
      do_not_optimize(decoder.body);
    };
    // No .gc("inner"): a forced collection before each iteration, with thousands of fresh views per
    // iteration, measured the collector and cold caches (2-3x slower, bimodal), not the decoder.
  }).args("size", BODY_SIZES);
});

const { benchmarks } = await run();

console.log("\nper frame (avg / median of samples):");
for (const trial of benchmarks) {
  for (const result of trial.runs) {
    if (result.stats === undefined) continue;
    const size = result.args.size as number;
    const frames = framesPerIteration.get(trial.alias.replace("$size", String(size)))!;
    const avg = result.stats.avg / frames;
    const median = result.stats.p50 / frames;
    const megabytesPerSecond = (size * 1e3) / median;
    console.log(
      `  ${trial.alias.split(" ")[0]!.padEnd(6)} ${label(size).padStart(6)}: ${avg.toFixed(1).padStart(7)} / ${median.toFixed(1).padStart(7)} ns/frame` +
        `  (${frames} frames/iter, ${megabytesPerSecond.toFixed(0)} MB/s of body)`,
    );
  }
}
