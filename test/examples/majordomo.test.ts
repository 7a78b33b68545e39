// examples/majordomo: requests are routed by service name, PARTIAL replies precede the FINAL one, a
// request waits for its service's first worker, and one for a service nobody offers is given up.

import { expect, test } from "bun:test";
import { majordomo } from "../../examples/majordomo/main.ts";

test("the broker routes by service, relays partial replies, and drops what nobody serves", async () => {
  const lines: string[] = [];
  const summary = await majordomo({ echoes: 4, count: 2, heartbeatMs: 50 }, (line) => lines.push(line));
  expect(summary.echoes.map((reply) => reply?.final)).toEqual([["hello 1"], ["hello 2"], ["hello 3"], ["hello 4"]]);
  // The two echo workers took turns: each waited longest in turn.
  expect(summary.answered).toEqual({ "echo-1": 2, "echo-2": 2, "count-1": 1, "upper-1": 1 });
  expect(summary.count).toEqual({ partials: [["1"], ["2"]], final: ["done"] });
  expect(summary.upper?.final).toEqual(["SHOUT"]);
  expect(summary.weather).toBeNull();
  expect(lines).toContain('broker: dropped 1 request(s) for "weather": no worker came in time');
  // Each stopped worker is forgotten: at once on its DISCONNECT, or, should that be lost, after
  // `liveness` silent heartbeats.
  expect(lines.filter((line) => /^broker: forgot \S+#\d \((disconnected|silent for 5 heartbeats)\)$/.test(line))).toHaveLength(4);
}, 15_000);
