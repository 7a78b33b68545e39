// The formatter gate that .ci/run applies (`bun run format:check`, Biome's `ci` command with the
// repository's biome.json): it passes a file as Biome would write it and fails one it would change,
// so an unformatted file planted in the tree fails CI.
import { afterAll, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO_ROOT = join(import.meta.dir, "..");
const BIOME = join(REPO_ROOT, "node_modules", ".bin", "biome");
const tree = mkdtempSync(join(tmpdir(), "bunzmq-format-"));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

/** Biome's `ci` over a scratch tree holding the repository's biome.json and one file. */
function formatCheck(source: string): number {
  rmSync(join(tree, "src"), { recursive: true, force: true });
  mkdirSync(join(tree, "src"));
  copyFileSync(join(REPO_ROOT, "biome.json"), join(tree, "biome.json"));
  writeFileSync(join(tree, "src", "planted.ts"), source);
  const run = Bun.spawnSync([BIOME, "ci", "--config-path", join(tree, "biome.json"), join(tree, "src")], { cwd: REPO_ROOT });
  return run.exitCode;
}

test("a file formatted as Biome writes it passes the gate", () => {
  expect(formatCheck(`export const answer = { value: 42, text: "forty-two" };\n`)).toBe(0);
});

test("a planted unformatted file fails the gate", () => {
  expect(formatCheck(`export const answer = {value:42,text:'forty-two'}\n`)).not.toBe(0);
});
