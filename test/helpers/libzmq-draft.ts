// The DRAFT build of libzmq for tests: where it is, and the skip-or-fail rule when it is missing
// (skipped with the reason printed; under CI=true, which provides it, a failing test instead).

import { test } from "bun:test";
import { DRAFT_LIBZMQ_ENV, draftLibzmqPath } from "../../peers/libzmq/index.ts";

/** The DRAFT build's path, or null where it is missing (a fresh clone has no ../shared). */
export const DRAFT_LIBZMQ = draftLibzmqPath();

const MISSING = `the DRAFT libzmq build is not beside the repository (shared/peers/libzmq-4.3.5-draft) and ${DRAFT_LIBZMQ_ENV} names no file (unset)`;

/**
 * Call once at the top of a file that needs the DRAFT build: prints why its tests are skipped, or
 * under CI=true adds a failing test. Returns whether the build is missing (for describe.skipIf).
 */
export function draftLibzmqMissing(file: string): boolean {
  if (DRAFT_LIBZMQ !== null) return false;
  if (process.env.CI === "true") {
    test("the DRAFT libzmq build is present (CI provides it)", () => {
      throw new Error(MISSING);
    });
  } else {
    console.log(`${file}: skipped: ${MISSING}`);
  }
  return true;
}
