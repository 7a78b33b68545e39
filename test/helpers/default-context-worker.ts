// Runs test/fixtures/default-context-worker-fixture.ts in a Worker (node:worker_threads, as
// zeromq.js users start theirs) and collects what it posts until it ends on its own, bounded.

import { Worker } from "node:worker_threads";
import type { Cleanup } from "./cleanup.ts";
import { withTimeout } from "./wait.ts";

const FIXTURE = new URL("../fixtures/default-context-worker-fixture.ts", import.meta.url).pathname;

export interface WorkerRun {
  /** Resolves with the Worker's exit code once it has ended by itself, bounded. */
  ended(): Promise<number>;
  /** The next message the Worker posts, bounded. */
  next(what: string): Promise<unknown>;
}

/** Frame `i` of the "push-many" stream; every 100th is 200 KiB, more than a cross-thread ring holds. */
export function streamFrame(i: number): Buffer {
  return i % 100 === 0 ? Buffer.alloc(200 * 1024, i % 251) : Buffer.from(`message ${i}`);
}

/** Starts a Worker playing `role`; it is terminated after the test if it is still running. */
export function startWorker(
  cleanup: Cleanup,
  task: { role: string; address?: string; count?: number; write?: Record<string, unknown> },
): WorkerRun {
  const worker = new Worker(FIXTURE, { workerData: { address: "", ...task } });
  const queue: unknown[] = [];
  const waiting: Array<(message: unknown) => void> = [];
  worker.on("message", (message: unknown) => {
    const resolve = waiting.shift();
    if (resolve === undefined) queue.push(message);
    else resolve(message);
  });
  const exited = new Promise<number>((resolve, reject) => {
    worker.on("exit", resolve);
    worker.on("error", reject);
  });
  let ended = false;
  void exited.then(
    () => (ended = true),
    () => (ended = true),
  );
  cleanup.add(async () => {
    if (!ended) await worker.terminate();
  });
  return {
    ended: () => withTimeout(exited, 10_000, `the "${task.role}" Worker to end on its own`),
    next(what) {
      if (queue.length > 0) return Promise.resolve(queue.shift());
      return withTimeout(new Promise((resolve) => waiting.push(resolve)), 10_000, what);
    },
  };
}
