// Tests for common/read-lines.ts: lines split at any chunk boundary, and the unterminated tail.

import { describe, expect, test } from "bun:test";
import { readLines } from "./read-lines.ts";

function streamOf(chunks: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>, unterminated = false): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(stream, { unterminated })) lines.push(line);
  return lines;
}

describe("readLines", () => {
  test("yields the same lines wherever the chunks split the text, multi-byte characters included", async () => {
    const bytes = new TextEncoder().encode("ENDPOINT tcp://127.0.0.1:*\nOK 5 0\n\nbunzmq ⇄ libzmq\n");
    for (let cut = 0; cut <= bytes.length; cut++) {
      const lines = await collect(streamOf([bytes.subarray(0, cut), bytes.subarray(cut)]));
      expect(lines).toEqual(["ENDPOINT tcp://127.0.0.1:*", "OK 5 0", "", "bunzmq ⇄ libzmq"]);
    }
  });

  test("drops text after the last newline unless asked for it", async () => {
    expect(await collect(streamOf(["OK 1 0\nSTA", "LL 3"]))).toEqual(["OK 1 0"]);
    expect(await collect(streamOf(["OK 1 0\nSTA", "LL 3"]), true)).toEqual(["OK 1 0", "STALL 3"]);
    expect(await collect(streamOf(["OK 1 0\n"]), true)).toEqual(["OK 1 0"]);
  });
});
