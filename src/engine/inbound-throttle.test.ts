// The read back-pressure both engines share, alone: what is held, in which order it is read on, when
// the stream pauses and resumes, and when a deferred close happens.

import { describe, expect, test } from "bun:test";
import { InboundThrottle } from "./inbound-throttle.ts";
import { FakeStream } from "./test-support.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

/** A throttle whose reader logs what it is handed, and pauses again after each chunk while `pipe.full`. */
function throttled() {
  const stream = new FakeStream();
  const read: Array<number | null> = [];
  const pipe = { full: false };
  const throttle: InboundThrottle = new InboundThrottle(stream, (chunk) => {
    read.push(chunk === null ? null : chunk[0]!);
    if (chunk !== null && pipe.full) throttle.paused = true;
  });
  return { stream, read, pipe, throttle };
}

describe("InboundThrottle", () => {
  test("pauses the stream once, at the first chunk held, not when reading stops", () => {
    const { stream, throttle } = throttled();
    throttle.paused = true;
    expect(stream.paused).toBe(false);
    throttle.hold(bytes(1));
    throttle.hold(bytes(2));
    expect(stream.paused).toBe(true);
  });

  test("resume reads on with what was taken in, then each held chunk in order, then lets the stream flow", () => {
    const { stream, read, throttle } = throttled();
    throttle.paused = true;
    throttle.hold(bytes(1));
    throttle.hold(bytes(2));
    throttle.resume();
    expect(read).toEqual([null, 1, 2]);
    expect(throttle.paused).toBe(false);
    expect(stream.paused).toBe(false);
  });

  test("stops reading held chunks when the pipe fills again, and keeps the stream paused until caught up", () => {
    const { stream, read, pipe, throttle } = throttled();
    throttle.paused = true;
    throttle.hold(bytes(1));
    throttle.hold(bytes(2));
    pipe.full = true;
    throttle.resume();
    expect(read).toEqual([null, 1]);
    expect(stream.paused).toBe(true);
    pipe.full = false;
    throttle.resume();
    expect(read).toEqual([null, 1, null, 2]);
    expect(stream.paused).toBe(false);
  });

  test("a close while paused waits until every held chunk is read; while reading it is not deferred", () => {
    const { stream, read, throttle } = throttled();
    let closes = 0;
    expect(throttle.deferClose(() => closes++)).toBe(false);
    throttle.paused = true;
    throttle.hold(bytes(7));
    expect(throttle.deferClose(() => closes++)).toBe(true);
    expect(closes).toBe(0);
    throttle.resume();
    expect(read).toEqual([null, 7]);
    expect(closes).toBe(1);
    expect(stream.paused).toBe(true); // the stream is over; it is not resumed
  });

  test("takeHeld hands over the held chunks once; after stop nothing is read and no deferred close runs", () => {
    const { read, throttle } = throttled();
    throttle.paused = true;
    throttle.hold(bytes(1));
    expect(throttle.takeHeld().map((chunk) => chunk[0])).toEqual([1]);
    expect(throttle.takeHeld()).toEqual([]);
    throttle.hold(bytes(2));
    let closed = false;
    throttle.deferClose(() => (closed = true));
    throttle.stop();
    throttle.resume();
    expect(read).toEqual([]);
    expect(closed).toBe(false);
  });
});
