// Tests for scripts/lint-tests.ts: the real test tree must be clean, and each rule must catch what
// it names and nothing else.
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { formatFinding, lintSource, lintTests } from "./lint-tests.ts";

const REPO_ROOT = join(import.meta.dir, "..");
// Parses every test file in the repository: about 1 s alone, several under a loaded CI run.
const WHOLE_TREE_MS = 30_000;

test(
  "the real test tree follows the test house rules (no sleeps, no literal ports)",
  () => {
    // On failure the diff lists every `file:line:col [rule] message`.
    expect(lintTests(REPO_ROOT).map(formatFinding)).toEqual([]);
  },
  WHOLE_TREE_MS,
);

/** `rule@line` for each finding in `text`, linted as if it were `file`. */
const lint = (text: string, file = "test/x.test.ts") => lintSource(file, text).map((f) => `${f.rule}@${f.line}`);

describe("no-sleep", () => {
  test("flags Bun.sleep and Bun.sleepSync, called or passed around", () => {
    expect(lint(`await Bun.sleep(10);\nBun.sleepSync(1);\nconst s = Bun.sleep;`)).toEqual(["no-sleep@1", "no-sleep@2", "no-sleep@3"]);
  });

  test("flags promise sleeps built from setTimeout", () => {
    const text = [
      `await new Promise((r) => setTimeout(r, 10));`,
      `await new Promise<void>((resolve) => { setTimeout(() => resolve(), 5); });`,
      `const delay = (ms: number) => new Promise(function (done) { globalThis.setTimeout(done, ms); });`,
      `const { promise, resolve } = Promise.withResolvers(); setTimeout(resolve, 1); await promise;`,
      `await new Promise((r) => setTimeout(r as () => void, 10));`,
    ].join("\n");
    expect(lint(text)).toEqual(["no-sleep@1", "no-sleep@2", "no-sleep@3", "no-sleep@4", "no-sleep@5"]);
  });

  test("flags sleep imported from bun and timers/promises", () => {
    const text = [
      `import { sleep } from "bun";`,
      `import { setTimeout as wait } from "node:timers/promises";`,
      `import { scheduler } from "timers/promises";`,
      `import { serve } from "bun";`,
    ].join("\n");
    expect(lint(text)).toEqual(["no-sleep@1", "no-sleep@2", "no-sleep@3"]);
  });

  test("allows timers that are deadlines or actions, not sleeps", () => {
    const text = [
      `const expiry = new Promise<never>((_, reject) => { setTimeout(() => reject(new Error("late")), 50); });`,
      `setTimeout(() => socket.close(), 0);`,
      `const t = setTimeout(() => { fired = true; }, 10); clearTimeout(t);`,
      `// await Bun.sleep(10) in a comment is fine`,
      `const doc = "await Bun.sleep(10) in a string is fine";`,
    ].join("\n");
    expect(lint(text)).toEqual([]);
  });

  test("allows a sleep only inside an allowlisted function of its own file", () => {
    const pause = `function pause(ms: number) {\n  return new Promise((resolve) => setTimeout(resolve, ms));\n}\n`;
    expect(lint(pause, "test/helpers/wait.ts")).toEqual([]);
    expect(lint(pause, "test/helpers/other.ts")).toEqual(["no-sleep@2"]);
    const renamed = pause.replace("function pause", "function nap");
    expect(lint(renamed, "test/helpers/wait.ts")).toEqual(["no-sleep@2"]);
    const arrow = `const sleepMs = (ms: number) => new Promise((r) => setTimeout(r, ms));`;
    expect(lint(arrow, "peers/libzmq/poll.ts")).toEqual([]);
  });

  test("test/soak/ may sleep", () => {
    expect(lint(`await Bun.sleep(1000);`, "test/soak/reconnect-storm.test.ts")).toEqual([]);
  });
});

describe("literal-port", () => {
  test("flags digit ports in tcp endpoints, in strings and templates", () => {
    const text = [
      `await sock.bind("tcp://127.0.0.1:5555");`,
      "sock.connect(`tcp://localhost:6000`);",
      "sock.connect(`tcp://${host}:7000`);",
      `sock.connect('tcp://[::1]:5556');`,
      `Bun.listen({ hostname: "127.0.0.1", port: 5557, socket });`,
    ].join("\n");
    expect(lint(text)).toEqual(["literal-port@1", "literal-port@2", "literal-port@3", "literal-port@4", "literal-port@5"]);
  });

  test("allows wildcard and ephemeral ports, computed ports and comments", () => {
    const text = [
      `await sock.bind("tcp://127.0.0.1:*");`,
      "sock.connect(`tcp://127.0.0.1:${port}`);",
      `await sock.bind("tcp://127.0.0.1:0");`,
      `Bun.listen({ hostname: "127.0.0.1", port: 0, socket });`,
      `// e.g. tcp://127.0.0.1:5555 in a comment`,
      `sock.connect(endpoint);`,
    ].join("\n");
    expect(lint(text)).toEqual([]);
  });

  test("an allow comment with a reason suppresses it on its line or the next", () => {
    const text = [
      `expect(parse("tcp://h:5555").port).toBe(5555); // lint-tests-allow literal-port: parser vector, nothing binds`,
      `// lint-tests-allow literal-port: parser vector, nothing binds`,
      `expect(parse("tcp://h:80")).toEqual({ host: "h", port: 80 });`,
      `expect(parse("tcp://h:81")).toBeDefined(); // lint-tests-allow literal-port:`,
    ].join("\n");
    expect(lint(text)).toEqual(["literal-port@4"]);
  });
});

test("lintTests scans test/**, peers/** and the *.test.ts beside the code, and reports file:line:col", () => {
  const root = mkdtempSync(join(tmpdir(), "lint-tests-"));
  try {
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };
    write("test/interop/push.test.ts", `\nawait  Bun.sleep(5);\n`);
    write("src/wire/frame.test.ts", `bind("tcp://127.0.0.1:5555");\n`);
    write("src/wire/frame.ts", `bind("tcp://127.0.0.1:5555");\n`); // not a test: out of scope
    write("peers/libzmq/socket.ts", `await Bun.sleep(1);\n`);
    write("examples/gateway/stats.test.ts", `await Bun.sleep(1);\n`);
    write("examples/gateway/stats.ts", `await Bun.sleep(1);\n`); // not a test: out of scope
    write("bench/x.ts", `await Bun.sleep(1);\n`); // out of scope
    expect(lintTests(root).map(formatFinding)).toEqual([
      `test/interop/push.test.ts:2:8 [no-sleep] Bun.sleep: wait for a condition (waitFor in test/helpers/wait.ts) or an event, not for time`,
      `src/wire/frame.test.ts:1:6 [literal-port] literal TCP port in "tcp://127.0.0.1:5555": bind to "tcp://127.0.0.1:*" and use lastEndpoint`,
      `peers/libzmq/socket.ts:1:7 [no-sleep] Bun.sleep: wait for a condition (waitFor in test/helpers/wait.ts) or an event, not for time`,
      `examples/gateway/stats.test.ts:1:7 [no-sleep] Bun.sleep: wait for a condition (waitFor in test/helpers/wait.ts) or an event, not for time`,
    ]);
    const cli = Bun.spawnSync([process.execPath, join(import.meta.dir, "lint-tests.ts"), root]);
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr.toString()).toContain("test/interop/push.test.ts:2:8 [no-sleep]");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
