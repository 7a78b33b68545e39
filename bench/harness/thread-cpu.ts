// Where a run's CPU went, thread by thread, read from Linux's per-thread scheduler statistics
// (/proc/<pid>/task/<tid>/schedstat: nanoseconds on a CPU, nanoseconds runnable but waiting for one).
// Wall-clock rates on a shared two-core machine say little about why a configuration wins or loses;
// CPU per message says what each thread pays whatever else runs, and the application thread's
// run-queue wait says how much of the wall time the rest of the machine took from it.
//
// Sides: the application thread (the main thread, whose tid is the pid), the sender's other threads
// (I/O Workers, JIT and GC helpers), and a child process (all its threads). A thread that exits
// during the window loses its share (the bench closes each Context after its window). Where
// schedstat cannot be read (not Linux, or a kernel without it) `startCpuSplit` returns null and the
// caller prints no CPU table.

import { readdirSync, readFileSync } from "node:fs";

/** Nanoseconds on a CPU and waiting on a run queue, per thread id. */
type Threads = Map<string, { run: number; wait: number }>;

function threads(pid: number | "self"): Threads {
  const out: Threads = new Map();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out; // The process has exited: it adds nothing more.
  }
  for (const tid of tids) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "latin1").split(" ").map(Number);
      out.set(tid, { run: run!, wait: wait! });
    } catch {
      // The thread exited between the listing and the read.
    }
  }
  return out;
}

/** Microseconds each thread ran between `before` and `after`; a thread born in between counts whole. */
function ranMicros(before: Threads, after: Threads, only?: string): number {
  let total = 0;
  for (const [tid, now] of after) {
    if (only !== undefined && tid !== only) continue;
    total += now.run - (before.get(tid)?.run ?? 0);
  }
  return total / 1000;
}

/** CPU microseconds per message on each side of one measured run, and the app thread's lost time. */
export interface CpuSplit {
  /** The application thread: the sender's own code and, with ioThreads 0, its engines. */
  app: number;
  /** The sender's other threads: I/O Workers, JIT compilers, garbage collection helpers. */
  others: number;
  /** The receiving child process, all of its threads. */
  receiver: number;
  /** Share of the window's wall time the application thread waited, runnable, for a CPU. */
  appStarved: number;
}

function readable(): boolean {
  try {
    return readFileSync(`/proc/self/task/${process.pid}/schedstat`, "latin1").split(" ").length >= 2;
  } catch {
    return false;
  }
}

const AVAILABLE = readable();

/** Starts counting; `stop(messages)` returns each side's CPU microseconds per message. */
export function startCpuSplit(receiverPid: number): { stop(messages: number): CpuSplit } | null {
  if (!AVAILABLE) return null;
  const app = String(process.pid);
  const self0 = threads("self");
  const receiver0 = threads(receiverPid);
  const start = performance.now();
  return {
    stop(messages: number): CpuSplit {
      const wallMicros = (performance.now() - start) * 1000;
      const self1 = threads("self");
      const appMicros = ranMicros(self0, self1, app);
      const appWait = ((self1.get(app)?.wait ?? 0) - (self0.get(app)?.wait ?? 0)) / 1000;
      return {
        app: appMicros / messages,
        others: (ranMicros(self0, self1) - appMicros) / messages,
        receiver: ranMicros(receiver0, threads(receiverPid)) / messages,
        appStarved: appWait / wallMicros,
      };
    },
  };
}
