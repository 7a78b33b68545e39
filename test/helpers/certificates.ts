// A certificate authority and a server certificate it signed (for localhost and 127.0.0.1), made
// fresh with openssl for the wss:// tests, in a temporary directory removed after the file's tests.

import { afterAll } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestCertificates {
  /** The CA's certificate, PEM: what a client trusts. */
  ca: string;
  /** The server's certificate and key, PEM. */
  cert: string;
  key: string;
}

/** openssl's path, or null where it is missing (the caller skips, saying why). */
export const OPENSSL: string | null = Bun.which("openssl");

export function makeCertificates(): TestCertificates {
  if (OPENSSL === null) throw new Error("openssl is not on PATH");
  const dir = mkdtempSync(join(tmpdir(), "bunzmq-wss-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => {
    const result = Bun.spawnSync([OPENSSL, ...args], { cwd: dir, stderr: "pipe" });
    if (result.exitCode !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr.toString()}`);
  };
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  run("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=bunzmq test CA");
  run("req", ...ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  run(
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "1",
    "-extfile",
    "san.ext",
  );
  const read = (name: string) => readFileSync(join(dir, name), "utf8");
  return { ca: read("ca.pem"), cert: read("server.pem"), key: read("server.key") };
}
