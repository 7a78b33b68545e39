// examples/weather: the subscriber receives only its zip code's readings, however many others flow.

import { expect, test } from "bun:test";
import { weather } from "../../examples/weather/main.ts";

test("the client receives only the readings of the zip code it subscribed to", async () => {
  const lines: string[] = [];
  const summary = await weather({ zip: 10042, updates: 10 }, (line) => lines.push(line));
  expect(summary.received).toHaveLength(10);
  for (const reading of summary.received) expect(reading).toMatch(/^10042 -?\d+ \d+$/);
  // The station published for 100 zip codes meanwhile: the filtering happened before the client.
  expect(summary.published).toBeGreaterThan(summary.received.length);
  expect(lines.at(-2)).toStartWith("client: average temperature for 10042 was");
});
