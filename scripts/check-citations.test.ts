// Tests for scripts/check-citations.ts and the import-header rule (scripts/import-headers.ts): the real
// tree's citations must all resolve (the CI guard), and synthetic trees with planted mistakes must
// report exactly those. The notes names below are assembled at run time, so that this file's own
// text cites nothing and the real-tree check does not read the planted mistakes.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkCitations, findCitations, formatViolation, parseReferences, parseSections } from "./check-citations.ts";
import { checkImportHeaders, importsSentence, namedLayers, openingComment } from "./import-headers.ts";

const REPO_ROOT = join(import.meta.dir, "..");
const ZMTP = ["zmtp", "notes"].join("-");
const PERF = ["perf", "anchors"].join("-");
const BUN = ["bun", "notes"].join("-");

function scratchTree(prefix: string): { root: string; write(path: string, text: string): void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return {
    root,
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
  };
}

// These read every file in the repository: well under 1 s alone, several under a loaded CI run.
const WHOLE_TREE_MS = 30_000;

test(
  "every citation in the real tree names a notes file and sections it has (docs/README.md)",
  () => {
    const { citations, violations } = checkCitations(REPO_ROOT);
    // On failure the diff lists each `file:line cites X §N, which docs/X.md has no heading for`.
    expect(violations.map(formatViolation)).toEqual([]);
    expect(citations.length).toBeGreaterThan(100);
    expect(citations).toContainEqual({ file: "src/engine/write-queue.ts", line: 2, notes: BUN, refs: ["1.1"] });
  },
  WHOLE_TREE_MS,
);

test(
  "every src/ file's opening comment names the layers it imports (scripts/import-headers.ts)",
  () => {
    expect(checkImportHeaders(REPO_ROOT).map(formatViolation)).toEqual([]);
  },
  WHOLE_TREE_MS,
);

describe("reading references", () => {
  test("sections, ranges, items, scenarios, steps and caveats", () => {
    expect(parseReferences(" §5.2 records for libzmq")).toEqual(["5.2"]);
    expect(parseReferences(" §7.2–7.3). Imports")).toEqual(["7.2", "7.3"]);
    expect(parseReferences(" §2-§4: each")).toEqual(["2", "3", "4"]);
    expect(parseReferences(" §1.2-1.4, §6) over")).toEqual(["1.2", "1.3", "1.4", "6"]);
    expect(parseReferences(" §0 items 5 and 7, §4.1, §9 items 8-11 and 18)")).toEqual([
      "0.5",
      "0.7",
      "4.1",
      "9.8",
      "9.9",
      "9.10",
      "9.11",
      "9.18",
    ]);
    expect(parseReferences(" §9 scenarios 16-17).")).toEqual(["9.16", "9.17"]);
    expect(parseReferences(" §1.2 step 5), so")).toEqual(["1.2"]);
    expect(parseReferences("` (caveat 4) describes")).toEqual(["Caveat 4"]);
    expect(parseReferences("`, caveats 2–3)")).toEqual(["Caveat 2", "Caveat 3"]);
    expect(parseReferences(": a proxy is only sockets")).toEqual([]);
  });

  test("a reference continues on the next comment line", () => {
    const text = `// The engine (${ZMTP}\n// §3.4; libzmq raw_engine).\n/**\n * see ${ZMTP} §5.1,\n * §9 item 19.\n */\n`;
    expect(findCitations(text, "x.ts", [ZMTP]).map((c) => [c.line, c.refs])).toEqual([
      [1, ["3.4"]],
      [4, ["5.1", "9.19"]],
    ]);
  });

  test("a name inside a longer word or path segment is not a citation", () => {
    expect(findCitations(`my-${ZMTP}-copy and ${ZMTP}x`, "x.ts", [ZMTP])).toEqual([]);
    expect(findCitations(`docs/${ZMTP}.md §2`, "x.ts", [ZMTP])[0]!.refs).toEqual(["2"]);
  });
});

describe("the heading convention", () => {
  test("numbers with one more # than parts, unique, parents first, no trailing dot", () => {
    const markdown = [
      "# Title",
      "## 1 One",
      "### 1.1 Sub",
      "## 2. Dotted",
      "### 3.1 Orphan",
      "## 1 Again",
      "#### 1.2 Too deep",
      "```",
      "## 9 in a code block",
      "```",
    ].join("\n");
    const { numbers, problems } = parseSections(markdown, "docs/x.md");
    expect([...numbers.keys()]).toEqual(["1", "1.1", "2", "3.1", "1.2"]);
    expect(problems.map(formatViolation)).toEqual([
      "docs/x.md:4 section 2: write the number without a trailing dot",
      "docs/x.md:5 section 3.1 comes before (or without) its parent 3",
      "docs/x.md:6 section 1 appears twice",
      "docs/x.md:7 section 1.2 is a level-4 heading; its number asks for ###",
    ]);
  });
});

describe("a synthetic tree with planted bad citations", () => {
  const { root, write } = scratchTree("check-citations-");
  write(
    `docs/${ZMTP}.md`,
    ["# Notes", "## 0 Traps", "### 0.4 Wait for READY", "## 5 Security", "### 5.1 PLAIN", "### 5.2 CURVE"].join("\n"),
  );
  write(`docs/${PERF}.md`, ["# Anchors", "## 3 Caveats", "### 3.4 Caveat 4: buffers"].join("\n"));
  write("src/good.ts", `// ${ZMTP} §5.1-5.2, §0 item 4; ${PERF} caveat 4; ${ZMTP}: the file alone.\nexport const a = 1;\n`);
  write("src/wire/bad.ts", `export const b = 1;\n// ${ZMTP} §9.9 does not exist.\n`);
  write("test/bad-item.test.ts", `// ${ZMTP} §0 items 4 and 5\n`);
  write("bench/README.md", `See \`${PERF}.md\` (caveat 7).\n`);
  write("scripts/wrapped.ts", `// (${ZMTP}\n// §5.2, §6.1)\n`);
  write(".ci/run", `# ${BUN} §4.1: the closing block\n`);

  const { citations, violations } = checkCitations(root, { notes: [ZMTP, PERF, BUN] });
  const clean = scratchTree("check-citations-clean-");
  clean.write(`docs/${ZMTP}.md`, "# Notes\n## 1 One\n");
  clean.write("src/core/a.ts", `// A constant (${ZMTP} §1). Imports nothing.\nexport const a = 1;\n`);

  test("fails on each planted mistake, naming file, line and section", () => {
    expect(violations.map(formatViolation).sort()).toEqual([
      `.ci/run:1 cites ${BUN}, but docs/${BUN}.md does not exist`,
      `bench/README.md:1 cites ${PERF} "Caveat 7", which docs/${PERF}.md has no heading for`,
      `scripts/wrapped.ts:1 cites ${ZMTP} §6.1, which docs/${ZMTP}.md has no heading for`,
      `src/wire/bad.ts:2 cites ${ZMTP} §9.9, which docs/${ZMTP}.md has no heading for`,
      `test/bad-item.test.ts:1 cites ${ZMTP} §0.5, which docs/${ZMTP}.md has no heading for`,
    ]);
  });

  test("accepts the good ones", () => {
    expect(citations.filter((c) => c.file === "src/good.ts").map((c) => c.refs)).toEqual([["5.1", "5.2", "0.4"], ["Caveat 4"], []]);
  });

  test("the CLI exits 1 listing the violations, and 0 with a summary on a clean tree", () => {
    const bad = Bun.spawnSync([process.execPath, join(import.meta.dir, "check-citations.ts"), root]);
    // The CLI looks for the real notes names; the planted ones above use them too.
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr.toString()).toContain(`src/wire/bad.ts:2 cites ${ZMTP} §9.9`);

    const ok = Bun.spawnSync([process.execPath, join(import.meta.dir, "check-citations.ts"), clean.root]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout.toString().trim()).toBe("check-citations: ok, 1 citations, 0 violations");
  });
});

describe("the import-header rule", () => {
  test("reads the opening comment, its Imports sentence and the layers it names", () => {
    const header = openingComment(
      "\n// One ZMTP connection.\n// Imports wire, mechanism (for the\n// cipher) and core; knows no sockets.\nimport x from 'y';\n// later: Imports socket.\n",
    );
    expect(header).toBe("One ZMTP connection. Imports wire, mechanism (for the cipher) and core; knows no sockets.");
    const sentence = importsSentence(header)!;
    expect(sentence).toBe("Imports wire, mechanism (for the cipher) and core;");
    expect([...namedLayers(sentence).layers].sort()).toEqual(["core", "mechanism", "wire"]);
    expect(namedLayers("Imports only core and Bun (plus node:fs for socket files).").layers).toEqual(new Set(["core"]));
    expect(namedLayers("Imports the api Socket and src/core, like the rest of wire/.").layers).toEqual(new Set(["api", "core", "wire"]));
    expect(namedLayers("Imports everything below it.").everything).toBe(true);
    expect(openingComment("/**\n * A block header.\n * Imports nothing.\n */\nexport {};\n")).toBe("A block header. Imports nothing.");
  });

  const { root, write } = scratchTree("import-headers-");
  write("src/core/errors.ts", "// Errors. Imports nothing.\nexport class E extends Error {}\n");
  write("src/core/events.ts", '// Events. Imports only errors.\nimport type { E } from "./errors.ts";\nexport type Ev = E;\n');
  write("src/pipe/pipe.ts", '// A pipe. Imports only core.\nimport { E } from "../core/errors.ts";\nexport const p = E;\n');
  write("src/wire/frame.ts", "// Frames.\nexport const f = 1;\n");
  write(
    "src/routing/queue.ts",
    '// A queue. Imports core.\nimport type { p } from "../pipe/pipe.ts";\nimport { E } from "../core/errors.ts";\nexport type Q = [typeof p, E];\n',
  );
  write(
    "src/socket/push.ts",
    '// PUSH. Imports routing, pipe and core only.\nimport type { Q } from "../routing/queue.ts";\nexport type P = Q;\n',
  );
  write("src/api/socket.ts", '// The Socket. Imports everything below it.\nimport { p } from "../pipe/pipe.ts";\nexport const s = p;\n');
  write(
    "src/transport/tcp.ts",
    '// TCP. Imports only core and Bun\'s socket types.\nimport { E } from "../core/errors.ts";\nexport const t = E;\n',
  );
  write("src/wire/frame.test.ts", 'import { f } from "./frame.ts";\nimport { p } from "../pipe/pipe.ts";\nvoid f; void p;\n');

  test("reports missing sentences, unnamed imports and named layers not imported; tests are exempt", () => {
    expect(checkImportHeaders(root).map(formatViolation)).toEqual([
      `src/routing/queue.ts:1 imports pipe, which its header does not name ("Imports core.")`,
      `src/socket/push.ts:1 header names core, pipe, which it does not import ("Imports routing, pipe and core only.")`,
      `src/transport/tcp.ts:1 header names socket, which it does not import ("Imports only core and Bun's socket types.")`,
      `src/wire/frame.ts:1 has no "Imports …" sentence in its opening comment (name the src/ layers it imports, or "Imports nothing.")`,
    ]);
  });

  write(`docs/${ZMTP}.md`, "# Notes\n");

  test("the CLI fails on the planted header problems, and only on them", () => {
    const run = Bun.spawnSync([process.execPath, join(import.meta.dir, "check-citations.ts"), root]);
    const stderr = run.stderr.toString();
    expect(stderr).toContain("check-citations: 4 violation(s):");
    expect(stderr).toContain("src/wire/frame.ts:1 has no");
    expect(run.exitCode).toBe(1);
  });
});
