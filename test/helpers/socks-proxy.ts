// A real SOCKS5 proxy for tests: Debian's microsocks (scripts/setup.sh installs it), started on a
// free loopback port, with or without username/password authentication. Without the binary the
// SOCKS tests are skipped with a reason, except under CI=true, where they run and fail.

import type { Subprocess } from "bun";
import { waitFor } from "./wait.ts";

const BINARY = Bun.which("microsocks");

/** Whether to run the tests that need the proxy (always under CI, where a missing binary must fail). */
export const socksTestsRun = BINARY !== null || process.env.CI === "true";

/** A free loopback port: bound by the kernel's choice, then released for the proxy to take. */
function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

async function accepting(port: number): Promise<boolean> {
  try {
    const socket = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
    socket.end();
    return true;
  } catch {
    return false;
  }
}

export class SocksProxy {
  readonly port: number;
  readonly #process: Subprocess;

  private constructor(port: number, process: Subprocess) {
    this.port = port;
    this.#process = process;
  }

  /** "127.0.0.1:port", the form ZMQ_SOCKS_PROXY takes. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts microsocks and waits until it accepts; `credentials` makes it require RFC 1929 authentication. */
  static async start(credentials?: { username: string; password: string }): Promise<SocksProxy> {
    if (BINARY === null) throw new Error("microsocks is not installed: run scripts/setup.sh (apt-get install microsocks)");
    // The port is free when chosen; should another process take it first, microsocks exits and we try again.
    for (let attempt = 1; ; attempt++) {
      const port = freePort();
      const auth = credentials === undefined ? [] : ["-u", credentials.username, "-P", credentials.password];
      const child = Bun.spawn([BINARY, "-i", "127.0.0.1", "-p", String(port), ...auth], { stdout: "ignore", stderr: "pipe" });
      const proxy = new SocksProxy(port, child);
      try {
        await waitFor(async () => child.exitCode !== null || (await accepting(port)), {
          what: `microsocks to listen on port ${port}`,
          timeoutMs: 5000,
        });
        if (child.exitCode === null) return proxy;
      } catch (error) {
        proxy.close();
        throw error;
      }
      if (attempt === 3) throw new Error(`microsocks exited (${child.exitCode}): ${await new Response(child.stderr).text()}`);
    }
  }

  close(): void {
    if (this.#process.exitCode === null && this.#process.signalCode === null) this.#process.kill("SIGKILL");
  }
}
