// CURVE between bunzmq and libzmq 4.3.4 under each crypto backend (docs/crypto-backends.md): the
// native libsodium and the WebAssembly fallback, chosen in this process through the backend's seam,
// and a whole process started with BUNZMQ_CRYPTO_BACKEND=wasm (and one without), with and without
// an I/O thread (test/fixtures/curve-backend-fixture.ts). curve.test.ts covers CURVE itself.

import { afterAll, describe, expect, test } from "bun:test";
import { ZMQ } from "../../peers/libzmq/index.ts";
import { chooseCryptoBackend, cryptoBackend } from "../../src/engine/crypto-backend.ts";
import { Dealer, Router } from "../../src/index.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { CLIENT_OPTIONS, SERVER_OPTIONS, libzmqCurveClient, libzmqCurveServer } from "../helpers/curve.ts";
import { TCP_ANY } from "../helpers/endpoint.ts";
import { pattern } from "../helpers/payload.ts";
import { withTimeout } from "../helpers/wait.ts";

const cleanup = useCleanup();
const FIXTURE = new URL("../fixtures/curve-backend-fixture.ts", import.meta.url).pathname;
const SIZES = [0, 16, 1024, 65536, 300 * 1024];
const TEST_TIMEOUT = 20_000;

// Other files in this process expect the backend the environment chooses.
afterAll(() => chooseCryptoBackend({ prefer: process.env.BUNZMQ_CRYPTO_BACKEND }));

function receive<T>(socket: { receive(): Promise<T> }, what: string): Promise<T> {
  return withTimeout(socket.receive(), 5000, what);
}

for (const backend of ["native", "wasm"] as const) {
  describe(`CURVE with libzmq, ${backend} backend`, () => {
    test(
      "our DEALER (client) and libzmq's ROUTER (server) exchange every size both ways, byte for byte",
      async () => {
        expect(await chooseCryptoBackend({ prefer: backend })).toBe(backend);
        const router = libzmqCurveServer(cleanup.libzmq(), ZMQ.ROUTER);
        router.bind(TCP_ANY);
        const dealer = cleanup.track(new Dealer({ linger: 0, routingId: "d", ...CLIENT_OPTIONS }));
        dealer.connect(router.lastEndpoint);
        for (const size of SIZES) {
          const up = pattern(size, 3);
          await dealer.send([up, "more"]);
          const [identity, first, second] = await router.receive();
          expect([size, Buffer.from(first!).equals(up), String(second)]).toEqual([size, true, "more"]);
          const down = pattern(size, 4);
          await router.send([identity!, down]);
          const [back] = await receive(dealer, `${size} B from libzmq`);
          expect([size, back!.equals(down)]).toEqual([size, true]);
        }
        expect(cryptoBackend()).toBe(backend);
      },
      TEST_TIMEOUT,
    );

    test(
      "libzmq's DEALER (client) and our ROUTER (server) exchange every size both ways, byte for byte",
      async () => {
        expect(await chooseCryptoBackend({ prefer: backend })).toBe(backend);
        const router = cleanup.track(new Router({ linger: 0, ...SERVER_OPTIONS }));
        await router.bind(TCP_ANY);
        const dealer = libzmqCurveClient(cleanup.libzmq(), ZMQ.DEALER);
        dealer.connect(router.lastEndpoint!);
        for (const size of SIZES) {
          const up = pattern(size, 5);
          await dealer.send([up]);
          const [identity, received] = await receive(router, `${size} B from libzmq`);
          expect([size, received!.equals(up)]).toEqual([size, true]);
          const down = pattern(size, 6);
          await router.send([identity!, down]);
          const [back] = await dealer.receive();
          expect([size, Buffer.from(back!).equals(down)]).toEqual([size, true]);
        }
      },
      TEST_TIMEOUT,
    );
  });
}

/** Runs the fixture with `env` added; resolves with its JSON line. */
async function runFixture(ioThreads: number, env: Record<string, string>): Promise<unknown> {
  const child = Bun.spawn(["bun", FIXTURE, String(ioThreads)], {
    env: { ...process.env, ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  cleanup.add(async () => {
    child.kill("SIGKILL");
    await child.exited;
  });
  const stdout = new Response(child.stdout).text();
  const stderr = new Response(child.stderr).text();
  const code = await withTimeout(child.exited, 15_000, "the CURVE backend fixture to finish");
  expect([code, await stderr]).toEqual([0, ""]);
  return JSON.parse(await stdout);
}

describe("a process's crypto backend, end to end with libzmq", () => {
  for (const ioThreads of [0, 1]) {
    test(
      `BUNZMQ_CRYPTO_BACKEND=wasm: the fallback serves the application thread and an I/O thread (ioThreads ${ioThreads})`,
      async () => {
        const outcome = await runFixture(ioThreads, { BUNZMQ_CRYPTO_BACKEND: "wasm" });
        expect(outcome).toEqual({ main: "wasm", worker: "wasm", exchanged: 4 });
      },
      TEST_TIMEOUT,
    );
  }

  test(
    "by default native libsodium serves the application thread and loads in an I/O thread too (ioThreads 1)",
    async () => {
      const outcome = await runFixture(1, { BUNZMQ_CRYPTO_BACKEND: "" });
      expect(outcome).toEqual({ main: "native", worker: "native", exchanged: 4 });
    },
    TEST_TIMEOUT,
  );
});
