// Builds the type declarations the package ships (dist/types/, the `prepack` script): tsc with
// tsconfig.build.json, relative specifiers rewritten from .ts to .js (so consumers need no
// allowImportingTsExtensions), files the entry points cannot reach removed, and what remains
// compiled on its own with no @types at all and lib ES2020, so that it cannot name Bun's or Node's
// types. Bun itself keeps running src/ (package.json's "bun" and "default" conditions).
// Usage: bun scripts/build-types.ts [repoRoot]   exit 0 = built, 1 = problems (listed).
import { parseCommandLine } from "../common/command-line.ts";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** The package's entry points, as declaration files under the output directory. */
export const ENTRY_DECLARATIONS = ["index.d.ts", "draft.d.ts", "extras.d.ts", "browser.d.ts"] as const;

// `from "./x.ts"`, `import("../y.ts")` and `import "./z.ts"` with a relative specifier.
const RELATIVE_TS_SPECIFIER = /((?:\bfrom|\bimport)\s*\(?\s*)(["'])(\.\.?\/[^"']*?)\.ts\2/g;
const RELATIVE_SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*["'](\.\.?\/[^"']*)["']/g;

/** Rewrites relative `.ts` specifiers to `.js`, which every moduleResolution maps to the `.d.ts`. */
export function rewriteSpecifiers(text: string): string {
  return text.replace(RELATIVE_TS_SPECIFIER, (_match, head: string, quote: string, path: string) => `${head}${quote}${path}.js${quote}`);
}

/** The declaration files reachable from `entries` through relative imports, as paths relative to `dir`. */
export function reachableDeclarations(dir: string, entries: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(join(dir, file), "utf8").matchAll(RELATIVE_SPECIFIER)) {
      const target = join(dirname(file), match[1]!).replace(/\.js$/, ".d.ts");
      pending.push(target);
    }
  }
  return seen;
}

function listDeclarations(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listDeclarations(path, base);
    return entry.name.endsWith(".d.ts") ? [relative(base, path)] : [];
  });
}

/** Removes the directories under `dir` that the pruning left empty. */
function removeEmptyDirectories(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    removeEmptyDirectories(path);
    if (readdirSync(path).length === 0) rmSync(path, { recursive: true });
  }
}

function format(diagnostics: readonly ts.Diagnostic[]): string[] {
  return diagnostics.map((d) =>
    ts
      .formatDiagnostic(d, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => process.cwd(),
        getNewLine: () => "\n",
      })
      .trimEnd(),
  );
}

/** Emits the declarations of tsconfig.build.json's program into its outDir; returns the outDir. */
function emit(root: string, problems: string[]): string {
  const configPath = join(root, "tsconfig.build.json");
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => problems.push(...format([d])),
    },
  );
  if (config === undefined) return "";
  const outDir = config.options.outDir!;
  rmSync(outDir, { recursive: true, force: true });
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  const result = program.emit(undefined, (fileName, text) => {
    mkdirSync(dirname(fileName), { recursive: true });
    writeFileSync(fileName, rewriteSpecifiers(text));
  });
  problems.push(...format([...ts.getPreEmitDiagnostics(program), ...result.diagnostics]));
  return outDir;
}

/** Type-checks the shipped declarations as a consumer without @types/bun or @types/node would. */
function checkStandalone(outDir: string, problems: string[]): void {
  const program = ts.createProgram({
    rootNames: ENTRY_DECLARATIONS.map((entry) => join(outDir, entry)),
    options: {
      noEmit: true,
      strict: true,
      skipLibCheck: false,
      types: [],
      lib: ["lib.es2020.d.ts"],
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
    },
  });
  problems.push(...format(ts.getPreEmitDiagnostics(program)));
}

/** Builds dist/types; returns the problems found (none: the declarations are ready to ship). */
export function buildTypes(root: string): string[] {
  const problems: string[] = [];
  const outDir = emit(root, problems);
  if (problems.length > 0) return problems;
  const reachable = reachableDeclarations(outDir, ENTRY_DECLARATIONS);
  for (const file of listDeclarations(outDir)) {
    if (!reachable.has(file)) rmSync(join(outDir, file));
  }
  removeEmptyDirectories(outDir);
  checkStandalone(outDir, problems);
  return problems;
}

const USAGE = `
usage: bun run build:types [repo root]

Builds the published type declarations (dist/types/) from src/ and checks that they stand alone.
Exit 0 when they do, 1 with the problems (then nothing should be packed).
`;

if (import.meta.main) {
  const root = resolve(parseCommandLine({ usage: USAGE, options: {}, positionals: true }).positionals[0] ?? join(import.meta.dir, ".."));
  const problems = buildTypes(root);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`build-types: ${problems.length} problem(s); nothing should be packed`);
    process.exit(1);
  }
}
