// Enforces which way references point, across the whole repository (README "Layout" and
// "Architecture"): between the top-level folders (scripts/homes.ts), among bench/'s parts, and among
// src/'s layers (ALLOWED below); src/'s pure layers use no runtime; and no import circle anywhere
// (scripts/import-cycles.ts). A reference is any import (static, type-only, re-export, dynamic,
// import("x") type, require) and any file a module starts by a literal path next to it (a Worker,
// a child process), read with the TypeScript parser (scripts/module-refs.ts), so comments and
// strings never count. Usage: bun scripts/check-layers.ts [repoRoot]   exit 0 = clean, 1 = violations.
import { parseCommandLine } from "../common/command-line.ts";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { BENCH_PARTS, covers, describePrefixes, HOMES } from "./homes.ts";
import { findCircles, type ImportGraph } from "./import-cycles.ts";
import { collectModuleRefs, isRelative, resolveFile } from "./module-refs.ts";
import { listFiles } from "./source-files.ts";

/** Folder -> the other folders it may import (itself is always allowed). `index` is src/*.ts. */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  wire: ["core"],
  mechanism: ["wire", "core"],
  pipe: ["core"],
  routing: ["pipe", "core"],
  socket: ["routing", "pipe", "core"],
  reactor: ["core"],
  thread: ["core"],
  engine: ["wire", "mechanism", "pipe", "reactor", "core"],
  transport: ["wire", "pipe", "core"],
  swap: ["pipe", "core"],
  io: ["transport", "engine", "mechanism", "thread", "pipe", "reactor", "wire", "core"],
  session: ["transport", "engine", "socket", "pipe", "reactor", "core"],
  api: ["session", "io", "swap", "thread", "socket", "routing", "pipe", "transport", "engine", "mechanism", "wire", "reactor", "core"],
  index: ["api", "core"],
  cli: ["index"],
};

/** Pure layers: no runtime I/O, so no `bun`, `bun:*`, `node:net` imports and no `Bun` global. */
export const PURE_LAYERS: ReadonlySet<string> = new Set(["wire", "mechanism", "pipe", "routing", "socket"]);

/** The one bare import a test file may add to its layer's rules. */
const TEST_EXTRA = "bun:test";

export interface Violation {
  /** Path relative to the repo root, with forward slashes. */
  file: string;
  line: number;
  /** The module specifier as written, or `Bun` for a use of the Bun global. */
  specifier: string;
  layer: string;
  /** The layer the specifier resolves to, when it is a relative import into src/. */
  target?: string;
  message: string;
}

export function formatViolation(v: Violation): string {
  return `${v.file}:${v.line} ${v.message}`;
}

/** The layer of a path inside src/ (`index` for files directly in src/), or null if outside src/. */
export function layerOf(srcDir: string, path: string): string | null {
  const rel = relative(srcDir, path);
  if (rel === "") return "index"; // `import ".."` resolving to src/ itself means src/index.ts
  if (rel === ".." || rel.startsWith(".." + sep) || isAbsolute(rel)) return null;
  const parts = rel.split(sep);
  if (parts.length > 1) return parts[0]!;
  // One segment: a file in src/ (the index layer) or a folder import such as "../core".
  return isDirectory(path) ? parts[0]! : "index";
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Positions where the `Bun` global is used (`Bun.x`, `Bun.Type`, `globalThis.Bun`). */
function collectBunGlobal(sf: ts.SourceFile): number[] {
  const found: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && node.text === "Bun") {
      const p = node.parent;
      const isBunRoot =
        (ts.isPropertyAccessExpression(p) && p.expression === node) ||
        (ts.isQualifiedName(p) && p.left === node) ||
        (ts.isElementAccessExpression(p) && p.expression === node) ||
        (ts.isPropertyAccessExpression(p) && p.name === node && ts.isIdentifier(p.expression) && p.expression.text === "globalThis");
      if (isBunRoot) found.push(node.getStart(sf));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function isBareForbiddenInPure(spec: string): boolean {
  return spec === "bun" || spec.startsWith("bun:") || spec === "node:net" || spec === "net";
}

function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export interface CheckResult {
  files: number;
  /** References read: imports of every kind, and files started by a literal path. */
  references: number;
  violations: Violation[];
}

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
/** Top-level folders that hold no source of ours. Folders whose name starts with "." are skipped too. */
const NOT_OURS = new Set(["node_modules", "dist"]);

/** Every source file of the repository, top-level folders and files alike, as absolute paths. */
function sourceFiles(root: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(root).sort()) {
    if (name.startsWith(".") || NOT_OURS.has(name)) continue;
    const path = join(root, name);
    if (isDirectory(path)) listFiles(path, (p) => SOURCE_FILE.test(p), files);
    else if (SOURCE_FILE.test(name)) files.push(path);
  }
  return files;
}

/** `path` relative to `root`, with forward slashes. */
function repoPath(root: string, path: string): string {
  return relative(root, path).split(sep).join("/");
}

/** Checks every source file under `rootDir` and returns counts plus violations (empty when clean). */
export function checkLayersDetailed(rootDir: string): CheckResult {
  const root = resolve(rootDir);
  const srcDir = join(root, "src");
  const files = sourceFiles(root);
  const violations: Violation[] = [];
  const graph = new Map<string, Array<{ file: string; line: number }>>();
  let references = 0;

  for (const path of files) {
    const file = repoPath(root, path);
    const home = file.includes("/") ? file.slice(0, file.indexOf("/")) : "";
    const layer = home === "src" ? layerOf(srcDir, path)! : home;
    const text = readFileSync(path, "utf8");
    const isTest = /\.test\.[cm]?[jt]sx?$/.test(path);
    const kind = /\.[cm]?js$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
    const edges: Array<{ file: string; line: number }> = [];
    graph.set(file, edges);
    const report = (pos: number, specifier: string, message: string, target?: string) =>
      violations.push({ file, line: lineAt(text, pos), specifier, layer, target, message });

    const rule = HOMES[home];
    if (rule === undefined) {
      report(
        0,
        "",
        `is outside every known top-level folder (${Object.keys(HOMES).join(", ")}; add one to HOMES in scripts/homes.ts and to the README)`,
      );
      continue;
    }
    const allowed = home === "src" ? ALLOWED[layer] : [];
    if (allowed === undefined) {
      report(0, "", `is in src/${layer}/, which is not a known layer (add it to ALLOWED in scripts/check-layers.ts and to the README)`);
      continue;
    }
    const part = home === "bench" ? benchPart(file) : null;
    if (home === "bench" && (part === null || BENCH_PARTS[part] === undefined)) {
      report(
        0,
        "",
        `is not in a known part of bench/ (${Object.keys(BENCH_PARTS).join(", ")}; add it to BENCH_PARTS in scripts/homes.ts and to bench/README.md)`,
      );
      continue;
    }

    for (const { specifier, pos, kind: refKind } of collectModuleRefs(sf)) {
      references++;
      const verb = refKind === "import" ? "imports" : "starts";
      if (!isRelative(specifier)) {
        if (specifier.startsWith("/")) {
          report(pos, specifier, `${verb} "${specifier}" (absolute paths are not allowed; refer relatively)`);
        } else if (PURE_LAYERS.has(layer) && isBareForbiddenInPure(specifier) && !(isTest && specifier === TEST_EXTRA)) {
          report(pos, specifier, `imports "${specifier}" (layer ${layer} is pure and may not import bun, bun:* or node:net)`);
        }
        continue;
      }
      const targetPath = resolve(dirname(path), specifier);
      const target = repoPath(root, targetPath);
      if (refKind === "import") {
        const resolved = resolveFile(path, specifier);
        if (resolved !== null) edges.push({ file: repoPath(root, resolved), line: lineAt(text, pos) });
      }
      if (home === "src") {
        const targetLayer = layerOf(srcDir, targetPath);
        if (targetLayer === null) {
          report(pos, specifier, `${verb} "${specifier}" (layer ${layer} may not import outside src/)`);
        } else if (targetLayer !== layer && !allowed.includes(targetLayer)) {
          report(pos, specifier, `${verb} "${specifier}" (layer ${layer} may not import layer ${targetLayer})`, targetLayer);
        }
        continue;
      }
      const targetHome = target.includes("/") ? target.slice(0, target.indexOf("/")) : target;
      if (target.startsWith("..") || isAbsolute(target)) {
        report(pos, specifier, `${verb} "${specifier}" (outside the repository)`);
      } else if (targetHome !== home && !covers(rule.may, target)) {
        const may = rule.may.length === 0 ? "no other top-level folder" : describePrefixes(rule.may);
        report(pos, specifier, `${verb} "${specifier}" (${home}/ may not use ${target}; it may use ${may})`, targetHome);
      } else if (part !== null && targetHome === home) {
        const targetPart = benchPart(target);
        const parts = BENCH_PARTS[part]!;
        if (targetPart !== null && targetPart !== part && !parts.includes(targetPart)) {
          const may = parts.length === 0 ? "no other part" : parts.map((p) => `bench/${p}/`).join(", ");
          report(pos, specifier, `${verb} "${specifier}" (bench/${part}/ may not use bench/${targetPart}/; it may use ${may})`, targetPart);
        }
      }
    }

    if (PURE_LAYERS.has(layer) && !isTest) {
      for (const pos of collectBunGlobal(sf)) {
        report(pos, "Bun", `uses the Bun global (layer ${layer} is pure: no runtime APIs)`);
      }
    }
  }

  violations.push(...circleViolations(graph));
  violations.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return { files: files.length, references, violations };
}

/** The part of bench/ a repo path is in (`bench/report/table.ts` -> report), or null for bench/ itself. */
function benchPart(file: string): string | null {
  const parts = file.split("/");
  return parts.length > 2 ? parts[1]! : null;
}

/** Every import circle, each reported once, at the first import of its walk. */
function circleViolations(graph: ImportGraph): Violation[] {
  const violations: Violation[] = [];
  for (const circle of findCircles(graph)) {
    const first = circle.walk[0]!;
    const walk = [...circle.walk.map((step) => `${step.file}:${step.line}`), first.file].join(" → ");
    const home = first.file.slice(0, first.file.indexOf("/"));
    const all = circle.files.length > circle.walk.length ? ` (${circle.files.length} files in all: ${circle.files.join(", ")})` : "";
    violations.push({ file: first.file, line: first.line, specifier: "", layer: home, message: `is in an import circle: ${walk}${all}` });
  }
  return violations;
}

/** Checks every source file under `rootDir`; an empty array means the tree follows the rules. */
export function checkLayers(rootDir: string): Violation[] {
  return checkLayersDetailed(rootDir).violations;
}

const USAGE = `
usage: bun run check-layers [repo root]

Checks every import of the repository against its layers: src/'s layers (ALLOWED here), the top-level
folders' and bench/'s directions (scripts/homes.ts), and that no import makes a circle. Exit 0 when
clean, 1 with the violations listed. Also runs inside bun test (scripts/check-layers.test.ts).
`;

if (import.meta.main) {
  const root = parseCommandLine({ usage: USAGE, options: {}, positionals: true }).positionals[0] ?? join(import.meta.dir, "..");
  const { files, references, violations } = checkLayersDetailed(root);
  if (violations.length > 0) {
    console.error(`check-layers: ${violations.length} violation(s):`);
    for (const v of violations) console.error(`  ${formatViolation(v)}`);
    console.error(
      'The allowed directions: scripts/homes.ts (top-level folders, bench/), ALLOWED in scripts/check-layers.ts (src/), README.md "Layout".',
    );
    process.exit(1);
  }
  console.log(`check-layers: ok, ${files} files, ${references} references, 0 violations`);
}
