// The README's first sections stay true: Install names the Bun version package.json's engines asks
// for, the Quick start program runs and prints what the README says, every example command it and
// examples/README.md give exists (and every example is listed), and the migration section links the
// one list of accepted differences to zeromq.js.

import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dir, "../..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const EXAMPLES_README = readFileSync(join(ROOT, "examples/README.md"), "utf8");
const work = mkdtempSync(join(tmpdir(), "bunzmq-readme-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The text of the README section under `heading`, up to the next "## ". */
function section(heading: string): string {
  const start = README.indexOf(`\n## ${heading}\n`);
  expect(start, `README has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe("the README", () => {
  test("Install names the Bun version that package.json's engines asks for", () => {
    const { engines } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { bun: string } };
    const install = section("Install");
    expect(install).toContain("bun add bunzmq");
    expect(install).toContain(`Bun \`${engines.bun}\``);
  });

  test("the Quick start program runs and prints hello", async () => {
    const code = /```ts\n([\s\S]*?)```/.exec(section("Quick start"))![1]!;
    const file = join(work, "app.ts");
    writeFileSync(file, code.replace('from "bunzmq"', `from ${JSON.stringify(join(ROOT, "src/index.ts"))}`));
    const child = Bun.spawn([process.execPath, file], { stdout: "pipe", stderr: "pipe", timeout: 20_000 });
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    expect({ stdout, stderr, exitCode }).toEqual({ stdout: "hello\n", stderr: "", exitCode: 0 });
  }, 30_000);

  test("every example command exists, and every example is listed in both READMEs", () => {
    const examples = readdirSync(join(ROOT, "examples"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, "examples", entry.name, "main.ts")))
      .map((entry) => `bun examples/${entry.name}/main.ts`)
      .sort();
    expect(examples.length).toBeGreaterThanOrEqual(7);
    for (const text of [section("Examples"), EXAMPLES_README]) {
      const commands = [...text.matchAll(/`(bun examples\/[\w-]+\/main\.ts)`/g)].map((match) => match[1]!);
      expect([...new Set(commands)].sort()).toEqual(examples);
    }
  });

  test("Migrating from zeromq.js links the one list of accepted differences", () => {
    expect(section("Migrating from zeromq.js")).toContain("(test/zeromqjs/README.md#accepted-differences)");
    expect(readFileSync(join(ROOT, "test/zeromqjs/README.md"), "utf8")).toContain("\n## Accepted differences\n");
  });
});
