// Under Node, `bunzmq` must fail with one clear error naming the Bun version it needs, not with
// ERR_UNKNOWN_FILE_EXTENSION or a SyntaxError from the TypeScript sources. A temporary project links
// the repository as node_modules/bunzmq, so Node resolves the package's export conditions as it would
// for an installed copy; each entry point is tried through `import` and `require`.

import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const NEEDED = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).engines.bun as string;
const NODE = Bun.which("node");
const IN_CI = process.env.CI === "true";

const project = mkdtempSync(join(tmpdir(), "bunzmq-node-"));
mkdirSync(join(project, "node_modules"));
symlinkSync(ROOT, join(project, "node_modules/bunzmq"), "dir");
afterAll(() => rmSync(project, { recursive: true, force: true }));

async function runNode(script: string): Promise<{ code: number | null; stderr: string }> {
  const child = Bun.spawn({ cmd: [NODE!, "-e", script], cwd: project, stdout: "pipe", stderr: "pipe", timeout: 20_000 });
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  return { code, stderr };
}

describe.skipIf(NODE === null && !IN_CI)("bunzmq under Node", () => {
  if (NODE === null) console.log("skipped: no `node` on PATH (CI installs Node 20)");

  for (const entry of ["bunzmq", "bunzmq/draft", "bunzmq/extras"]) {
    test(`import("${entry}") rejects with ERR_BUNZMQ_NEEDS_BUN`, async () => {
      expect(NODE).not.toBeNull();
      const { code, stderr } = await runNode(
        `import(${JSON.stringify(entry)}).then(() => process.exit(3), (e) => { console.error(e.code + ": " + e.message); process.exit(2); })`,
      );
      expect(code).toBe(2);
      expect(stderr).toContain("ERR_BUNZMQ_NEEDS_BUN: bunzmq needs Bun");
      expect(stderr).toContain(NEEDED);
    });

    test(`require("${entry}") throws the same error`, async () => {
      expect(NODE).not.toBeNull();
      const { code, stderr } = await runNode(
        `try { require(${JSON.stringify(entry)}); process.exit(3) } catch (e) { console.error(e.code + ": " + e.message); process.exit(2) }`,
      );
      expect(code).toBe(2);
      expect(stderr).toContain("ERR_BUNZMQ_NEEDS_BUN: bunzmq needs Bun");
    });
  }
});
