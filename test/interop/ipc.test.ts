// ipc:// between bunzmq and libzmq 4.3 (zmtp-notes §7.3, §9 scenario 22): file paths and abstract
// names, both directions, plus libzmq's bind rules for stale and live socket files.

import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { Pull, Push } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const TEST_TIMEOUT = 15_000;

/** A fresh private directory for socket files, removed after the test. */
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "bunzmq-ipc-test-"));
  cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function uniqueAbstract(): string {
  return `ipc://@bunzmq-test-${process.pid}-${crypto.randomUUID()}`;
}

function receive(pull: Pull): Promise<Buffer[]> {
  return withTimeout(pull.receive(), 5000, "a message on the bunzmq PULL");
}

describe("ipc interop with libzmq", () => {
  const forms = {
    "a file path": () => `ipc://${join(scratchDir(), "feed.sock")}`,
    "an abstract name": uniqueAbstract,
  };
  for (const [form, endpointFor] of Object.entries(forms)) {
    test(
      `bunzmq PUSH binds ${form} and a libzmq PULL connects`,
      async () => {
        const endpoint = endpointFor();
        const push = cleanup.track(new Push({ linger: 0 }));
        await push.bind(endpoint);
        expect(push.lastEndpoint).toBe(endpoint);
        const pull = cleanup.libzmq().socket(ZMQ.PULL);
        pull.connect(endpoint);
        await push.send(["over", "ipc"]);
        expect((await pull.receive()).map(String)).toEqual(["over", "ipc"]);
      },
      TEST_TIMEOUT,
    );

    test(
      `a libzmq PUSH binds ${form} and a bunzmq PULL connects`,
      async () => {
        const endpoint = endpointFor();
        const push = cleanup.libzmq().socket(ZMQ.PUSH);
        push.bind(endpoint);
        const pull = cleanup.track(new Pull({ linger: 0 }));
        pull.connect(endpoint);
        await push.send(["from", "libzmq"]);
        expect((await receive(pull)).map(String)).toEqual(["from", "libzmq"]);
      },
      TEST_TIMEOUT,
    );
  }
});

describe("ipc bind rules", () => {
  test(
    "bind unlinks a stale socket file that nobody listens on",
    async () => {
      const path = join(scratchDir(), "stale.sock");
      writeFileSync(path, "");
      const pull = cleanup.track(new Pull({ linger: 0 }));
      await pull.bind(`ipc://${path}`);
      const push = cleanup.track(new Push({ linger: 0 }));
      push.connect(`ipc://${path}`);
      await push.send("after stale");
      expect((await receive(pull)).map(String)).toEqual(["after stale"]);
    },
    TEST_TIMEOUT,
  );

  test(
    "bind to a path a live socket listens on rejects with EADDRINUSE naming it",
    async () => {
      const endpoint = `ipc://${join(scratchDir(), "live.sock")}`;
      const first = cleanup.track(new Pull({ linger: 0 }));
      await first.bind(endpoint);
      const second = cleanup.track(new Pull({ linger: 0 }));
      const error = await second.bind(endpoint).then(
        () => null,
        (e: { code: string; detail?: string }) => e,
      );
      expect(error?.code).toBe("EADDRINUSE");
      expect(error?.detail).toContain(endpoint);
    },
    TEST_TIMEOUT,
  );

  test(
    "ipc://* binds a fresh path, reported in lastEndpoint, and removes it on close",
    async () => {
      const pull = new Pull({ linger: 0 });
      await pull.bind("ipc://*");
      const endpoint = pull.lastEndpoint!;
      expect(endpoint).toMatch(/^ipc:\/\/\/.+\/socket$/);
      const push = cleanup.track(new Push({ linger: 0 }));
      push.connect(endpoint);
      await push.send("wildcard");
      expect((await receive(pull)).map(String)).toEqual(["wildcard"]);
      pull.close();
      expect(existsSync(endpoint.slice("ipc://".length))).toBe(false);
    },
    TEST_TIMEOUT,
  );
});
