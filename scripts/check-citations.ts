// Keeps the code's references to docs/ true. A citation is a notes name (zmtp-notes, bun-notes,
// api-contract, perf-anchors, with or without ".md") followed by section references: "§5.2",
// "§7.2–7.3", "§2-§4", "§0 item 13", "§0 items 5 and 7", "§9 scenarios 16-17", "caveat 4". Each must
// name a file in docs/ and, for every reference, a numbered heading of that file ("§N item M" is
// section N.M; "caveat 4" a heading titled "Caveat 4 …"). A reference may wrap onto the next comment
// line. Also checked: the notes files number their headings by the docs/README.md convention, and
// (import-headers.ts) every src/ file opens with a header that says what it imports.
// Usage: bun scripts/check-citations.ts [repoRoot] [--list]   exit 0 = clean, 1 = violations.
import { parseCommandLine } from "../common/command-line.ts";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { checkImportHeaders } from "./import-headers.ts";
import { listFiles } from "./source-files.ts";

/** The notes in docs/ that code may cite, by the name it cites them with. */
export const NOTES: readonly string[] = ["zmtp-notes", "bun-notes", "api-contract", "perf-anchors"];

/** Where citations are looked for: folders (recursively) and single files, relative to the root. */
export const CITING_PATHS: readonly string[] = [
  "src",
  "test",
  "bench",
  "scripts",
  "examples",
  "peers",
  "common",
  ".ci",
  "docs",
  "README.md",
];

const TEXT_FILE = /(\.(ts|tsx|mts|cts|js|mjs|cjs|md|sh)|\/\.ci\/[^/.]+)$/;

export interface Citation {
  /** Path relative to the repo root, with forward slashes. */
  file: string;
  line: number;
  notes: string;
  /** Section numbers ("5.2", "0.13") and heading labels ("Caveat 4") cited; empty for the file alone. */
  refs: string[];
}

export interface Violation {
  file: string;
  line: number;
  message: string;
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line} ${v.message}`;
}

export function formatCitation(c: Citation): string {
  return `${c.file}:${c.line} ${c.notes}${c.refs.length > 0 ? " " + c.refs.map((r) => (/^\d/.test(r) ? "§" + r : r)).join(", ") : ""}`;
}

/** A notes file's numbered headings: number -> title, plus the ways it breaks the convention. */
export interface Sections {
  numbers: Map<string, string>;
  problems: Violation[];
}

/**
 * The heading convention of docs/: a numbered section is a heading whose text starts with its number
 * and a space, one `#` more than the number has parts (`## 5 …`, `### 5.2 …`, `#### 5.2.1 …`).
 * Numbers are unique and every subsection's parent exists. Headings without a number are free.
 */
export function parseSections(markdown: string, file: string): Sections {
  const numbers = new Map<string, string>();
  const problems: Violation[] = [];
  let fenced = false;
  markdown.split("\n").forEach((text, index) => {
    if (text.startsWith("```")) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6})\s+(\d+(?:\.\d+)*)\.?\s+(.*)$/.exec(text);
    if (heading === null) return;
    const [, hashes, number, title] = heading as unknown as [string, string, string, string];
    const line = index + 1;
    const depth = number.split(".").length;
    if (hashes.length !== depth + 1) {
      problems.push({
        file,
        line,
        message: `section ${number} is a level-${hashes.length} heading; its number asks for ${"#".repeat(depth + 1)}`,
      });
    }
    if (/^\d+(?:\.\d+)*\.\s/.test(text.replace(/^#+\s+/, ""))) {
      problems.push({ file, line, message: `section ${number}: write the number without a trailing dot` });
    }
    if (numbers.has(number)) problems.push({ file, line, message: `section ${number} appears twice` });
    const parent = number.includes(".") ? number.slice(0, number.lastIndexOf(".")) : null;
    if (parent !== null && !numbers.has(parent))
      problems.push({ file, line, message: `section ${number} comes before (or without) its parent ${parent}` });
    numbers.set(number, title.trim());
  });
  return { numbers, problems };
}

/** The citations in one file's text, in order. `notes` are the names to look for. */
export function findCitations(text: string, file: string, notes: readonly string[] = NOTES): Citation[] {
  const names = notes.map((n) => n.replace(/[-.]/g, "\\$&")).join("|");
  const pattern = new RegExp(`(?<![\\w-])(${names})(?:\\.md)?(?![\\w-])`, "g");
  const found: Citation[] = [];
  for (const match of text.matchAll(pattern)) {
    const end = match.index + match[0].length;
    found.push({ file, line: lineAt(text, match.index), notes: match[1]!, refs: parseReferences(continuation(text, end)) });
  }
  return found;
}

// The text after a notes name, with comment leaders of wrapped lines folded into spaces.
function continuation(text: string, from: number): string {
  return text.slice(from, from + 400).replace(/\s*\n\s*(?:\/\/+|\*(?!\/)|#(?!#))?\s*/g, " ");
}

const NUMBER = String.raw`\d+(?:\.\d+)*`;
const SECTION = new RegExp(String.raw`^§\s*(${NUMBER})(?:\s*[-–]\s*§?\s*(${NUMBER}))?`);
const ITEMS = /^\s+(items?|scenarios?|steps?)\s+(\d+)/;
const MORE_ITEMS = /^\s*(,|and|[-–])\s*(\d+)(?![\d.]*\d)/;
const CAVEATS = /^caveats?\s+(\d+)/i;
const BETWEEN = /^\s*(?:,|and|;)?\s*/;

/** The section numbers and labels a citation's tail names, in order; stops at the first other word. */
export function parseReferences(tail: string): string[] {
  // A closing backtick, an opening parenthesis or a comma may stand between name and reference.
  let rest = tail.replace(/^`?\s*[(,]?\s*/, "");
  const refs: string[] = [];
  for (;;) {
    const section = SECTION.exec(rest);
    const caveat = section === null ? CAVEATS.exec(rest) : null;
    if (section !== null) {
      rest = rest.slice(section[0].length);
      const bases = section[2] === undefined ? [section[1]!] : expandRange(section[1]!, section[2]);
      const items = ITEMS.exec(rest);
      if (items === null) {
        refs.push(...bases);
      } else {
        rest = rest.slice(items[0].length);
        const list = parseItemList(items[2]!, rest);
        rest = list.rest;
        const isStep = items[1]!.startsWith("step");
        // A step is a point inside its section; items and scenarios are subsections N.M.
        for (const base of bases) refs.push(...(isStep ? [base] : list.numbers.map((n) => `${base}.${n}`)));
      }
    } else if (caveat !== null) {
      rest = rest.slice(caveat[0].length);
      const list = parseItemList(caveat[1]!, rest);
      rest = list.rest;
      refs.push(...list.numbers.map((n) => `Caveat ${n}`));
    } else {
      return refs;
    }
    const gap = BETWEEN.exec(rest)![0];
    if (!/^§|^caveat/i.test(rest.slice(gap.length))) return refs;
    rest = rest.slice(gap.length);
  }
}

// "4", then ", 5", " and 7", "-9": the numbers of an item list, ranges expanded.
function parseItemList(first: string, rest: string): { numbers: number[]; rest: string } {
  const numbers = [Number(first)];
  for (let more = MORE_ITEMS.exec(rest); more !== null; more = MORE_ITEMS.exec(rest)) {
    const n = Number(more[2]);
    if (more[1] === "-" || more[1] === "–") for (let k = numbers[numbers.length - 1]! + 1; k < n; k++) numbers.push(k);
    numbers.push(n);
    rest = rest.slice(more[0].length);
  }
  return { numbers, rest };
}

// "2".."4" -> 2, 3, 4; "7.2".."7.3" or "7.2".."3" -> 7.2, 7.3; different parents -> both ends only.
function expandRange(from: string, to: string): string[] {
  const a = from.split(".");
  let b = to.split(".");
  if (b.length < a.length) b = [...a.slice(0, a.length - b.length), ...b];
  const prefix = a.slice(0, -1).join(".");
  if (b.length !== a.length || b.slice(0, -1).join(".") !== prefix) return [from, to];
  const numbers: string[] = [];
  for (let k = Number(a[a.length - 1]); k <= Number(b[b.length - 1]); k++) numbers.push(prefix === "" ? String(k) : `${prefix}.${k}`);
  return numbers;
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export interface CheckOptions {
  /** Notes names to look for (tests use their own); default NOTES. */
  notes?: readonly string[];
}

export interface CheckResult {
  citations: Citation[];
  violations: Violation[];
}

/** Every citation under `rootDir` checked against `rootDir/docs`, and the notes' heading convention. */
export function checkCitations(rootDir: string, options: CheckOptions = {}): CheckResult {
  const root = resolve(rootDir);
  const notes = options.notes ?? NOTES;
  const violations: Violation[] = [];
  const sections = new Map<string, Sections | null>();
  for (const name of notes) {
    const path = join(root, "docs", `${name}.md`);
    const parsed = existsSync(path) ? parseSections(readFileSync(path, "utf8"), `docs/${name}.md`) : null;
    sections.set(name, parsed);
    if (parsed !== null) violations.push(...parsed.problems);
  }
  const citations: Citation[] = [];
  for (const path of citingFiles(root)) {
    const file = relative(root, path).split(sep).join("/");
    for (const citation of findCitations(readFileSync(path, "utf8"), file, notes)) {
      citations.push(citation);
      const target = sections.get(citation.notes)!;
      if (target === null) {
        violations.push({ file, line: citation.line, message: `cites ${citation.notes}, but docs/${citation.notes}.md does not exist` });
        continue;
      }
      for (const ref of citation.refs) {
        if (!hasReference(target, ref)) {
          const what = /^\d/.test(ref) ? `§${ref}` : `"${ref}"`;
          violations.push({
            file,
            line: citation.line,
            message: `cites ${citation.notes} ${what}, which docs/${citation.notes}.md has no heading for`,
          });
        }
      }
    }
  }
  return { citations, violations };
}

function hasReference(target: Sections, ref: string): boolean {
  if (/^\d/.test(ref)) return target.numbers.has(ref);
  // "Caveat 4" matches a title that starts with it as whole words: "Caveat 4: …", not "Caveat 41".
  const label = new RegExp(`^${ref.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w.])`, "i");
  for (const title of target.numbers.values()) if (label.test(title)) return true;
  return false;
}

function citingFiles(root: string): string[] {
  const files: string[] = [];
  for (const entry of CITING_PATHS) {
    const path = join(root, entry);
    if (!existsSync(path)) continue;
    if (statSync(path).isDirectory()) files.push(...listFiles(path, (p) => TEXT_FILE.test(p.split(sep).join("/"))));
    else files.push(path);
  }
  return files;
}

const USAGE = `
usage: bun run check-citations [--list] [repo root]

Checks that every citation of a spec or a reference file in the sources names something that exists,
and that every src/ file's header says what it imports. Exit 0 when clean, 1 with the violations.

options:
  --list    print every citation found
`;

if (import.meta.main) {
  const cli = parseCommandLine({ usage: USAGE, options: { list: { type: "boolean" } }, positionals: true });
  const root = cli.positionals[0] ?? join(import.meta.dir, "..");
  const { citations, violations } = checkCitations(root);
  const headers = checkImportHeaders(root);
  if (cli.flag("list")) for (const c of citations) console.log(formatCitation(c));
  const failures = [...violations, ...headers];
  if (failures.length > 0) {
    console.error(`check-citations: ${failures.length} violation(s):`);
    for (const v of failures) console.error(`  ${formatViolation(v)}`);
    process.exit(1);
  }
  console.log(`check-citations: ok, ${citations.length} citations, 0 violations`);
}
