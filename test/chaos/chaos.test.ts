// The chaos suite's short version, as CI runs it: loss, partition, SIGKILL restart and the PING
// flood, each a test that fails when its check fails, with the check's figures printed. Checks that
// need the impaired link are skipped with the reason where network namespaces or TUN devices are not
// available, and fail instead under CI=true. `bun run chaos` runs the full version.

import { expect, test } from "bun:test";
import { formatResult } from "./harness/figures.ts";
import { runChecks, selectChecks } from "./harness/runner.ts";
import { linkUnavailableReason } from "./net/link.ts";

const strict = process.env.CI === "true";
const unavailable = await linkUnavailableReason();
if (unavailable !== null && !strict) console.log(`chaos: the checks that need the impaired link are skipped: ${unavailable}`);

for (const check of selectChecks([], true)) {
  const skipped = check.needsLink && unavailable !== null && !strict;
  const chaosTest = skipped ? test.skip : test;
  // The runner enforces the check's own bound; the test's leaves room for the teardown after it.
  chaosTest(
    `chaos (short) ${check.name}: ${check.title}`,
    async () => {
      const [result] = await runChecks([check], { short: true, signal: new AbortController().signal, strict, out: () => {} });
      console.log(formatResult(result!, check.title));
      expect(result!.failures).toEqual([]);
      expect(result!.outcome).toBe("pass");
    },
    (check.boundSeconds.short + 20) * 1000,
  );
}
