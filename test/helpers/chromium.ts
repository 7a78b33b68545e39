// Headless Chromium for the browser tests, driven by puppeteer-core: Debian's `chromium` (or
// $BUNZMQ_CHROMIUM), a page server on a free loopback port that serves the browser bundle built
// fresh from the sources (scripts/build-browser.ts) and an empty page, and trust for the wss://
// tests' own certificate pinned through Chromium's --ignore-certificate-errors-spki-list (the
// SHA-256 of the certificate's public key), so nothing else goes untrusted.

import { createHash, X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { buildBrowserBundle } from "../../scripts/build-browser.ts";

/** Where Chromium is: $BUNZMQ_CHROMIUM, else Debian's, else null (the caller skips, saying why). */
export const CHROMIUM: string | null =
  [process.env.BUNZMQ_CHROMIUM, "/usr/bin/chromium"].find(
    (path): path is string => path !== undefined && path !== "" && existsSync(path),
  ) ?? null;

export const CHROMIUM_MISSING = "Chromium is not installed (apt-get install chromium, or set BUNZMQ_CHROMIUM)";

/** The SPKI pin Chromium's --ignore-certificate-errors-spki-list takes for a PEM certificate. */
export function spkiPin(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

export interface BrowserSession {
  browser: Browser;
  /** A page at the page server's origin, which has the bundle at `/bunzmq.js`. */
  page: Page;
  /** The page server's origin, e.g. http://127.0.0.1:40123. */
  origin: string;
  /** Closes Chromium and the page server. */
  close(): Promise<void>;
}

/** Builds the bundle, serves it, starts Chromium trusting `trustCertificates` and opens a page. */
export async function openBrowser(trustCertificates: string[] = []): Promise<BrowserSession> {
  const bundle = await buildBrowserBundle(`${import.meta.dir}/../..`);
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/bunzmq.js") return new Response(bundle, { headers: { "content-type": "text/javascript" } });
      if (path === "/")
        return new Response("<!doctype html><title>bunzmq/browser test</title>", { headers: { "content-type": "text/html" } });
      return new Response("not found", { status: 404 });
    },
  });
  const pins = trustCertificates.map(spkiPin);
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM!,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", ...(pins.length > 0 ? [`--ignore-certificate-errors-spki-list=${pins.join(",")}`] : [])],
  });
  const origin = `http://127.0.0.1:${server.port}`;
  const page = await browser.newPage();
  page.on("pageerror", (error) => console.log(`page error: ${error}`));
  await page.goto(`${origin}/`);
  const close = async () => {
    await browser.close();
    server.stop(true);
  };
  return { browser, page, origin, close };
}
