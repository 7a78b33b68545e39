// One side of a network: its address and a way to start processes there. On the impaired link a
// side is a network namespace, entered with `nsenter --net=` (util-linux), which then runs the
// program itself (no fork), so the process a caller gets is the program's; on plain loopback the
// prefix is empty. Every process started here is handed to `track`, whose owner kills it at close.
// Imports only Bun's types.

import type { Subprocess } from "bun";

export interface SpawnOptions {
  /** Default "pipe": a program that exits when its stdin closes then dies with its owner. */
  stdin?: "pipe" | "ignore";
  stdout?: "pipe" | "ignore" | "inherit";
  stderr?: "pipe" | "ignore" | "inherit";
  env?: Record<string, string | undefined>;
}

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export type SideProcess = Subprocess<"pipe" | "ignore", "pipe" | "ignore" | "inherit", "pipe" | "ignore" | "inherit">;

export class NetSide {
  constructor(
    /** "a" or "b". */
    readonly name: string,
    /** The side's IPv4 address: what its programs bind and the other side's programs connect to. */
    readonly address: string,
    /** argv prefix that enters the side (["nsenter", "--net=…", "--"], or none on loopback). */
    readonly prefix: readonly string[],
    readonly track: (child: Subprocess) => void,
  ) {}

  /** Where a program on this side binds to any free port; read the port back from lastEndpoint. */
  get anyTcpEndpoint(): string {
    return `tcp://${this.address}:*`;
  }

  /** Starts `argv` on this side. */
  spawn(argv: readonly string[], options: SpawnOptions = {}): SideProcess {
    const child = Bun.spawn([...this.prefix, ...argv], {
      stdin: options.stdin ?? "pipe",
      stdout: options.stdout ?? "pipe",
      stderr: options.stderr ?? "pipe",
      env: options.env ?? process.env,
    });
    this.track(child);
    return child;
  }

  /** Starts `bun <script> ...args` on this side, with the Bun that runs this process. */
  spawnBun(script: string, args: readonly string[] = [], options: SpawnOptions = {}): SideProcess {
    return this.spawn([process.execPath, script, ...args], options);
  }

  /** Runs `argv` on this side to its end (killed after `timeoutMs`) and returns what it printed. */
  async run(argv: readonly string[], timeoutMs = 10_000): Promise<RunResult> {
    const child = this.spawn(argv, { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    try {
      const [stdout, stderr, exitCode] = await Promise.all([
        new Response(child.stdout as ReadableStream).text(),
        new Response(child.stderr as ReadableStream).text(),
        child.exited,
      ]);
      return { exitCode, stdout, stderr };
    } finally {
      clearTimeout(timer);
    }
  }
}
