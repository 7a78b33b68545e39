// What a source file refers to, read with the TypeScript parser (comments and strings never count):
// the modules it imports (static, type-only, re-export, dynamic import(), import("x") types,
// require()) and the files it starts as processes or Workers by a literal path next to it
// (`new URL("./x.ts", import.meta.url)`, `join(import.meta.dir, "../x.ts")`). Also how a relative
// reference resolves to a file. Shared by scripts/check-layers.ts and scripts/import-headers.ts.
// Imports nothing but node and typescript.

import { existsSync, statSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import ts from "typescript";

export interface ImportRef {
  specifier: string;
  pos: number;
}

export interface ModuleRef extends ImportRef {
  /** `import`: loaded as a module (a type-only import too); `file`: a path it runs or reads. */
  kind: "import" | "file";
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

/** `import.meta.<name>` */
function isImportMeta(node: ts.Node, name: string): boolean {
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === name &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
  );
}

/** A source file's name: what a literal must end with to count as a file reference. */
const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/**
 * Source files named by a literal relative to the file itself: `new URL("<path>", import.meta.url)`
 * and `join|resolve(import.meta.dir, "<path>", ...)` (the literals after import.meta.dir joined).
 * Folders (`join(import.meta.dir, "..")`) are places, not dependencies, and are left out.
 */
export function collectFileRefs(sf: ts.SourceFile): ImportRef[] {
  const refs: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "URL") {
      const [path, base] = node.arguments ?? [];
      if (path && base && ts.isStringLiteralLike(path) && isImportMeta(base, "url") && SOURCE_FILE.test(path.text)) {
        refs.push({ specifier: path.text, pos: path.getStart(sf) });
      }
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && /^(join|resolve)$/.test(node.expression.text)) {
      const [base, ...rest] = node.arguments;
      if (base && isImportMeta(base, "dir") && rest.length > 0 && rest.every(ts.isStringLiteralLike)) {
        const path = rest.map((part) => (part as ts.StringLiteralLike).text).join("/");
        if (SOURCE_FILE.test(path)) refs.push({ specifier: `./${path}`, pos: rest[0]!.getStart(sf) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return refs;
}

/** Imports and file references together, in source order. */
export function collectModuleRefs(sf: ts.SourceFile): ModuleRef[] {
  const refs: ModuleRef[] = [
    ...collectImports(sf).map((ref): ModuleRef => ({ ...ref, kind: "import" })),
    ...collectFileRefs(sf).map((ref): ModuleRef => ({ ...ref, kind: "file" })),
  ];
  return refs.sort((a, b) => a.pos - b.pos);
}

export function isRelative(specifier: string): boolean {
  return specifier === "." || specifier === ".." || specifier.startsWith("./") || specifier.startsWith("../");
}

/**
 * The file a relative specifier in `fromFile` loads: the path itself, or with `.ts` added, or a
 * folder's index.ts. Null when none exists (the path alone is still what the rules judge).
 */
export function resolveFile(fromFile: string, specifier: string): string | null {
  const path = resolve(dirname(fromFile), specifier);
  const candidates = extname(path) === "" ? [path, `${path}.ts`, join(path, "index.ts")] : [path, join(path, "index.ts")];
  for (const candidate of candidates) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}
