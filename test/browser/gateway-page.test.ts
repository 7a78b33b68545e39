// The demo's live page (examples/gateway/live-page.ts) in headless Chromium: with a gateway, two game
// servers and simulated players running in this process, the page shows actions/s from the gateway's
// metrics model (read twice 2 s apart: both above 0, different, each within 20 % of the gateway's own
// figure), and its Join button makes the page a ZeroMQ player (bunzmq/browser, a DEALER over bare
// ZWS2.0) that the gateway counts. A screenshot goes to test/browser/screenshots/ (git ignores it).
// Skipped with the reason printed without Chromium; under CI=true, it fails.

import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Gateway } from "../../examples/gateway/gateway.ts";
import { GameServer } from "../../examples/gateway/game-server.ts";
import { SimulatedPlayers } from "../../examples/gateway/players.ts";
import { BROWSER_BUNDLE, buildBrowserBundle } from "../../scripts/build-browser.ts";
import { CHROMIUM, CHROMIUM_MISSING, openBrowser, type BrowserSession } from "../helpers/chromium.ts";
import { useCleanup } from "../helpers/cleanup.ts";
import { waitFor } from "../helpers/wait.ts";

const cleanup = useCleanup();
const ROOT = join(import.meta.dir, "../..");
const SCREENSHOT = join(import.meta.dir, "screenshots/gateway-page.png");
const TEST_TIMEOUT = 40_000;

if (CHROMIUM === null && process.env.CI === "true") {
  test("Chromium is installed (CI provides it)", () => {
    throw new Error(CHROMIUM_MISSING);
  });
} else if (CHROMIUM === null) {
  console.log(`test/browser/gateway-page.test.ts: skipped: ${CHROMIUM_MISSING}`);
}

describe.skipIf(CHROMIUM === null)("the demo's live page in headless Chromium", () => {
  let session: BrowserSession;
  beforeAll(async () => {
    // The page serves the package's browser build, as `bun run demo` has it built first.
    const bundlePath = join(ROOT, BROWSER_BUNDLE);
    mkdirSync(dirname(bundlePath), { recursive: true });
    writeFileSync(bundlePath, await buildBrowserBundle(ROOT));
    session = await openBrowser();
  }, TEST_TIMEOUT);
  afterAll(() => session?.close());

  test(
    "shows the gateway's actions/s live, and Join adds the page as a ZeroMQ player",
    async () => {
      const gateway = new Gateway();
      await gateway.start();
      cleanup.add(() => gateway.close());
      for (const id of [1, 2]) {
        const server = new GameServer({ id, gateway: gateway.resultsEndpoint, workMicros: 0 });
        await server.start();
        cleanup.add(() => server.kill());
      }
      await waitFor(() => gateway.servers.connectedCount >= 2, { what: "the gateway to connect to both servers" });
      const simulated = new SimulatedPlayers({ url: gateway.wsUrl, players: 20, rate: 50 });
      await simulated.start();
      cleanup.add(() => simulated.stop(0));

      const { page } = session;
      await page.goto(gateway.pageUrl);
      const shown = async () => Number(await page.$eval("#rate", (element) => element.textContent));
      /** The page's figure beside the gateway's own for the same window (the page polls twice a second). */
      const reading = async () => {
        const window = gateway.snapshot().actionsPerSecond;
        await waitFor(async () => (await shown()) === Number(window.toFixed(1)) || gateway.snapshot().actionsPerSecond !== window, {
          what: "the page to show the gateway's latest window",
        });
        return { page: await shown(), gateway: gateway.snapshot().actionsPerSecond };
      };
      await waitFor(async () => (await shown()) > 0, { timeoutMs: 10_000, what: "the page to show actions/s above 0" });
      const first = await reading();
      const firstAt = performance.now();
      await waitFor(() => performance.now() - firstAt >= 2000, { timeoutMs: 5000, what: "2 s to pass between the readings" });
      const second = await reading();
      for (const { page: value, gateway: own } of [first, second]) {
        expect(value).toBeGreaterThan(0);
        expect(Math.abs(value - own)).toBeLessThanOrEqual(own * 0.2);
      }
      expect(second.page).not.toBe(first.page);

      const before = gateway.snapshot().players;
      await page.click("#join");
      await waitFor(() => gateway.zmqPlayers.count === 1 && gateway.snapshot().players === before + 1, {
        timeoutMs: 10_000,
        what: () => `the page's player in the gateway's count (${gateway.snapshot().players}, ${before} before)`,
      });
      await waitFor(async () => /answered in/.test(await page.$eval("#me", (element) => element.textContent ?? "")), {
        timeoutMs: 10_000,
        what: "the page's player to have an action answered",
      });
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    },
    TEST_TIMEOUT,
  );
});
