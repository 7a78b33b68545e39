// examples/hello-world: every request gets its "World", over each transport the example offers.

import { expect, test } from "bun:test";
import { helloWorld, main } from "../../examples/hello-world/main.ts";

test.each(["tcp://127.0.0.1:*", "ipc://*", "inproc://hello-world-example"])(
  "hello world answers every request over %s",
  async (endpoint) => {
    const lines: string[] = [];
    const replies = await helloWorld({ requests: 3, endpoint }, (line) => lines.push(line));
    expect(replies).toEqual(["World", "World", "World"]);
    expect(lines.filter((line) => line.startsWith("server: received"))).toEqual([
      'server: received "Hello 1"',
      'server: received "Hello 2"',
      'server: received "Hello 3"',
    ]);
    expect(lines.at(-1)).toBe("server: answered 3 requests");
  },
);

test("the command exits 0 after its run, and 2 with the usage for a bad flag", async () => {
  const lines: string[] = [];
  expect(await main(["--requests", "2"], (line) => lines.push(line))).toBe(0);
  expect(lines).toContain('client: request 2 answered "World"');
  await expect(main(["--requests", "none"], () => {})).rejects.toThrow("--requests needs a whole number");
});
