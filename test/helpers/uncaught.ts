// Counts errors that escape to the event loop (uncaughtException / unhandledRejection) during a test,
// for the "a bad peer never throws out of the socket" property. Note: under `bun test` (1.4.5) the runner
// itself intercepts such errors and fails the running test without calling process listeners, so there
// the counter is a second line of defence; it does the work when helpers run outside the test runner.

import { afterEach, beforeEach } from "bun:test";

export interface UncaughtLog {
  /** Errors seen since the current test started. */
  readonly errors: unknown[];
}

/** Call once per test file; the log is reset before each test and the listeners removed after it. */
export function trackUncaught(): UncaughtLog {
  const log = { errors: [] as unknown[] };
  const record = (error: unknown) => {
    log.errors.push(error);
  };
  beforeEach(() => {
    log.errors.length = 0;
    process.on("uncaughtException", record);
    process.on("unhandledRejection", record);
  });
  afterEach(() => {
    process.off("uncaughtException", record);
    process.off("unhandledRejection", record);
  });
  return log;
}
