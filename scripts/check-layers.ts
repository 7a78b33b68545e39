// Enforces the dependency direction among src/ folders (README "Architecture", house-style.md
// "Proposed layout"). Parses every import, export-from, import type, dynamic import(), import("x")
// type and require() in src/**/*.ts with the TypeScript parser, so comments and strings never count.
// Usage: bun scripts/check-layers.ts [repoRoot]   exit 0 = clean, 1 = violations (listed).
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
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
  transport: ["pipe", "core"],
  io: ["transport", "engine", "mechanism", "thread", "pipe", "reactor", "wire", "core"],
  session: ["io", "transport", "engine", "socket", "pipe", "reactor", "core"],
  api: ["session", "io", "thread", "socket", "routing", "pipe", "transport", "engine", "mechanism", "wire", "reactor", "core"],
  index: ["api", "core"],
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
function layerOf(srcDir: string, path: string): string | null {
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

interface ImportRef {
  specifier: string;
  pos: number;
}

/** Every module reference in a file: static, type-only, re-export, dynamic, import type, require. */
export function collectImports(sf: ts.SourceFile): ImportRef[] {
  const refs: ImportRef[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) refs.push({ specifier: node.text, pos: node.getStart(sf) });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      add(node.moduleSpecifier);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
      if ((isDynamicImport || isRequire) && node.arguments.length > 0) add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(arg.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return refs;
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
        (ts.isPropertyAccessExpression(p) && p.name === node &&
          ts.isIdentifier(p.expression) && p.expression.text === "globalThis");
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
  imports: number;
  violations: Violation[];
}

/** Checks `<rootDir>/src/**` and returns counts plus violations (empty when clean). */
export function checkLayersDetailed(rootDir: string): CheckResult {
  const root = resolve(rootDir);
  const srcDir = join(root, "src");
  const files = listFiles(srcDir, (p) => /\.(ts|tsx|mts|cts)$/.test(p));
  const violations: Violation[] = [];
  let imports = 0;

  for (const path of files) {
    const file = relative(root, path).split(sep).join("/");
    const layer = layerOf(srcDir, path)!;
    const text = readFileSync(path, "utf8");
    const isTest = /\.test\.[cm]?tsx?$/.test(path);
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const report = (pos: number, specifier: string, message: string, target?: string) =>
      violations.push({ file, line: lineAt(text, pos), specifier, layer, target, message });

    const allowed = ALLOWED[layer];
    if (allowed === undefined) {
      report(0, "", `is in src/${layer}/, which is not a known layer (add it to ALLOWED in scripts/check-layers.ts and to the README)`);
      continue;
    }

    for (const { specifier, pos } of collectImports(sf)) {
      imports++;
      const isRelative = specifier.startsWith("./") || specifier.startsWith("../") || specifier === "." || specifier === "..";
      if (!isRelative) {
        if (specifier.startsWith("/")) {
          report(pos, specifier, `imports "${specifier}" (absolute paths are not allowed; import relatively)`);
        } else if (PURE_LAYERS.has(layer) && isBareForbiddenInPure(specifier) && !(isTest && specifier === TEST_EXTRA)) {
          report(pos, specifier, `imports "${specifier}" (layer ${layer} is pure and may not import bun, bun:* or node:net)`);
        }
        continue;
      }
      const target = layerOf(srcDir, resolve(dirname(path), specifier));
      if (target === null) {
        report(pos, specifier, `imports "${specifier}" (layer ${layer} may not import outside src/)`);
      } else if (target !== layer && !allowed.includes(target)) {
        report(pos, specifier, `imports "${specifier}" (layer ${layer} may not import layer ${target})`, target);
      }
    }

    if (PURE_LAYERS.has(layer) && !isTest) {
      for (const pos of collectBunGlobal(sf)) {
        report(pos, "Bun", `uses the Bun global (layer ${layer} is pure: no runtime APIs)`);
      }
    }
  }
  violations.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return { files: files.length, imports, violations };
}

/** Checks `<rootDir>/src/**`; an empty array means the tree follows the layering. */
export function checkLayers(rootDir: string): Violation[] {
  return checkLayersDetailed(rootDir).violations;
}

if (import.meta.main) {
  const root = process.argv[2] ?? join(import.meta.dir, "..");
  const { files, imports, violations } = checkLayersDetailed(root);
  if (violations.length > 0) {
    console.error(`check-layers: ${violations.length} violation(s) in src/:`);
    for (const v of violations) console.error(`  ${formatViolation(v)}`);
    console.error("Allowed imports per layer are listed in scripts/check-layers.ts (ALLOWED) and README.md.");
    process.exit(1);
  }
  console.log(`check-layers: ok, ${files} files, ${imports} imports, 0 violations`);
}
