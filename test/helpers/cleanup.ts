// Per-test cleanup list (libzmq's test-context pattern): everything a test opens is registered here
// and released in afterEach, newest first, even when the test failed half-way.

import { afterEach } from "bun:test";
import { LibzmqContext, type LibzmqContextOptions } from "../../peers/libzmq/index.ts";

export interface Closable {
  close(): unknown;
}

export interface Cleanup {
  /** Runs `task` after the current test (newest first). */
  add(task: () => unknown): void;
  /** Registers `closable.close()` and returns `closable`. */
  track<T extends Closable>(closable: T): T;
  /**
   * A libzmq context whose `term()` (closing its sockets with LINGER 0) runs after the test; of
   * Debian's libzmq.so.5 unless `options.library` names another build.
   */
  libzmq(options?: LibzmqContextOptions): LibzmqContext;
}

/** Call once at the top level of a test file (or describe block). */
export function useCleanup(): Cleanup {
  const tasks: Array<() => unknown> = [];
  afterEach(async () => {
    const errors: unknown[] = [];
    for (let task = tasks.pop(); task !== undefined; task = tasks.pop()) {
      try {
        await task();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  });
  const cleanup: Cleanup = {
    add(task) {
      tasks.push(task);
    },
    track(closable) {
      tasks.push(() => closable.close());
      return closable;
    },
    libzmq(options) {
      const context = new LibzmqContext(options);
      tasks.push(() => context.term());
      return context;
    },
  };
  return cleanup;
}
