// The soak's parts that decide its verdict, checked without running it: the message checks that
// call a message lost or torn, the schedule that puts samples on the quarter marks, the growth
// limits, the descriptor count, and the summary and plot of a judged run.

import { describe, expect, test } from "bun:test";
import { closeSync, openSync } from "node:fs";
import {
  FD_LIMIT,
  judge,
  openDescriptors,
  quarterIndexes,
  RSS_LIMIT_BYTES,
  rssAtMark,
  type Sample,
  sampleTimes,
} from "../../scripts/soak/measure.ts";
import { checkMessage, LARGEST, makeMessage, partSizes, SequenceCheck } from "../../scripts/soak/messages.ts";
import { plotSvg, summarize } from "../../scripts/soak/report.ts";
import { Tally } from "../../scripts/soak/tally.ts";

const sample = (at: number, rss: number, fds: number): Sample => ({ at, rss, heap: rss / 4, fds });

/** Samples of a 60 s run on its schedule, RSS and descriptors given per sample index. */
function run(rss: (i: number) => number, fds: (i: number) => number): { samples: Sample[]; marks: number[]; times: number[] } {
  const times = sampleTimes(60);
  return { samples: times.map((at, i) => sample(at, rss(i), fds(i))), marks: quarterIndexes(times), times };
}

describe("soak messages", () => {
  test("sizes run from 16 B to 64 KiB, with some multipart messages", () => {
    const sizes = Array.from({ length: 2000 }, (_, seq) => partSizes(seq));
    const flat = sizes.flat();
    expect(Math.min(...flat)).toBeGreaterThanOrEqual(16);
    expect(Math.max(...flat)).toBe(LARGEST);
    const multipart = sizes.filter((s) => s.length > 1).length / sizes.length;
    expect(multipart).toBeGreaterThan(0.1);
    expect(multipart).toBeLessThan(0.3);
  });

  test("a message checks out whole, and a truncated, refilled or missing part is named", () => {
    const seq = Array.from({ length: 100 }, (_, i) => i).find((i) => partSizes(i).length > 1)!;
    const good = makeMessage("tcp#1", seq);
    expect(checkMessage(good)).toEqual({ stream: "tcp#1", seq });
    const truncated = [good[0]!, ...good.slice(1).map((p) => p.subarray(1))];
    expect(checkMessage(truncated)).toContain("tcp#1 #");
    const refilled = [good[0]!, ...good.slice(1).map((p) => new Uint8Array(p.length).fill(p[0]! ^ 0xff))];
    expect(checkMessage(refilled)).toContain("wrong bytes");
    expect(checkMessage([good[0]!])).toContain("0 parts");
    expect(checkMessage([new TextEncoder().encode("garbage")])).toContain("bad header");
  });

  test("a stream's numbers must follow one another: a gap is a loss, a step back a repeat", () => {
    const check = new SequenceCheck();
    expect(check.accept("a#1", 0)).toBeNull();
    expect(check.accept("a#1", 1)).toBeNull();
    expect(check.accept("a#1", 4)).toBe("a#1: 2 message(s) lost before #4");
    expect(check.accept("a#1", 3)).toBe("a#1: #3 repeated or out of order");
    expect(check.accept("b#1", 1)).toBe("b#1: 1 message(s) lost before #1");
    expect(check.received("a#1")).toBe(5);
    check.forget("a#1");
    expect(check.received("a#1")).toBe(0);
  });
});

describe("soak measure", () => {
  test("samples are a few seconds apart and fall on the 25, 50, 75 and 100 % marks", () => {
    for (const seconds of [12, 60, 1800]) {
      const times = sampleTimes(seconds);
      const marks = quarterIndexes(times);
      expect(marks.map((i) => times[i]! / seconds)).toEqual([0.25, 0.5, 0.75, 1]);
      expect(times[1]!).toBeGreaterThanOrEqual(seconds >= 60 ? 1.5 : 0);
      expect(times[1]!).toBeLessThanOrEqual(5.5);
    }
  });

  test("growth up to the limits passes; 1 byte or 1 descriptor more fails, judged from the 25 % mark", () => {
    const base = 80e6;
    // The first quarter (warm-up) may grow as it likes; only 25 % → 100 % counts. RSS at a mark is
    // the median of the 3 samples ending there, so the growth has to hold for the last three.
    const atLimit = run(
      (i) => (i === 0 ? 40e6 : base + (i >= 30 ? RSS_LIMIT_BYTES : 0)),
      (i) => 50 + (i === 32 ? FD_LIMIT : 0),
    );
    expect(judge(atLimit.samples, atLimit.marks, 0, true).failures).toEqual([]);
    const over = run(
      (i) => base + (i >= 30 ? RSS_LIMIT_BYTES + 1 : 0),
      (i) => 50 + (i === 32 ? FD_LIMIT + 1 : 0),
    );
    const verdict = judge(over.samples, over.marks, 0, true);
    expect(verdict.failures).toHaveLength(2);
    expect(verdict.failures[0]).toContain("RSS grew by 10.0 MB");
    expect(verdict.failures[1]).toContain("descriptors grew by 3");
  });

  test("one sample that caught a burst at a mark is not growth; the median of three samples is judged", () => {
    const spike = run(
      (i) => 80e6 + (i === 32 ? 30e6 : 0),
      () => 50,
    );
    const verdict = judge(spike.samples, spike.marks, 0, true);
    expect(verdict.rssGrowth).toBe(0);
    expect(verdict.failures).toEqual([]);
    expect(rssAtMark(spike.samples, 32)).toBe(80e6);
    expect(rssAtMark(spike.samples, 1)).toBe(80e6);
  });

  test("violations fail a run; an interrupted run is not judged on growth", () => {
    const flat = run(
      () => 80e6,
      () => 50,
    );
    expect(judge(flat.samples, flat.marks, 2, true).failures[0]).toContain("2 violation(s)");
    const cut = flat.samples.slice(0, 20).map((s, i) => ({ ...s, rss: s.rss + i * 5e6 }));
    const verdict = judge(cut, flat.marks, 0, false);
    expect(verdict.failures).toEqual([]);
    expect(verdict.rssGrowth).toBeNull();
    expect(verdict.last).toBe(cut[19]!);
  });

  test("the descriptor count follows a file opened and closed", () => {
    const before = openDescriptors();
    const fd = openSync(import.meta.path, "r");
    expect(openDescriptors()).toBe(before + 1);
    closeSync(fd);
    expect(openDescriptors()).toBe(before);
  });
});

describe("soak report", () => {
  test("the summary and the plot show the marks, the growth and the result", () => {
    const tally = new Tally();
    tally.add("PUSH→PULL", "tcp", 1234);
    tally.restarted("tcp");
    const { samples, marks, times } = run(
      (i) => 70e6 + i * 1e5,
      () => 50,
    );
    const verdict = judge(samples, marks, 0, true);
    const lines = summarize({
      source: "abc1234",
      plannedSeconds: 60,
      ranSeconds: 60.2,
      interrupted: false,
      tally,
      verdict,
      plot: "/tmp/x.svg",
    });
    const text = lines.join("\n");
    expect(text).toContain(
      "growth 25 % → 100 %: RSS +2.4 MB (median of the 3 samples ending at each mark; limit +10.0 MB), descriptors +0",
    );
    expect(text).toMatch(/\nPUSH→PULL +1,234 .* 1,234\n/);
    expect(lines.at(-1)).toBe("PASS");
    expect(text).toContain("· abc1234 ·");
    const svg = plotSvg({
      samples,
      markTimes: marks.map((i) => times[i]!),
      verdict,
      headline: "test",
      source: "abc1234",
      started: new Date(),
    });
    expect(svg).toContain("<polyline");
    for (const label of ["25 %", "50 %", "75 %", "100 %", "RSS limit (+10 MB)", "limit (+2)"]) expect(svg).toContain(label);
  });
});
