// The import-header rule (house style: "each file opens with 1–3 lines on what the module is and
// what it must not import"), run by scripts/check-citations.ts. Dev-only; never imported by src/.
//
// The rule, for every src/**/*.ts except tests (*.test.ts, which import their subject and bun:test):
// 1. The opening comment (the `//` lines or `/* … */` block before the first line of code) holds an
//    "Imports …" sentence: from the word "Imports" (any case) to the first "." or ";" that ends a
//    sentence.
// 2. Every other src/ layer the file imports (static, type-only, re-export, dynamic) is named in that
//    sentence by its folder name ("engine", "src/core", "wire/"), unless the sentence says
//    "everything" (an api file may import everything below it).
// 3. Every other layer the sentence names is one the file imports. Words in parentheses are asides
//    and name nothing ("(plus node:fs for socket files)"); a file's own layer is always allowed, and
//    packages (bun, bun:ffi, node:*) are free prose.
// Names are matched as lowercase whole words, so "Socket" (a class) is not the socket layer.
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { ALLOWED, layerOf } from "./check-layers.ts";
import { collectImports } from "./module-refs.ts";
import { listFiles } from "./source-files.ts";

export interface HeaderViolation {
  file: string;
  line: number;
  message: string;
}

// "index" is the entry points' layer (src/index.ts, extras.ts, draft.ts): named as such only by the
// command-line tool, the one layer above them.
const LAYERS = Object.keys(ALLOWED);
const LAYER_WORD = new RegExp(`(?<![\\w:.\\-/])(?:src/)?(${LAYERS.join("|")})/?(?![\\w:\\-])`, "g");

/** The text of the opening comment, comment markers removed, lines joined by spaces. */
export function openingComment(text: string): string {
  const lines: string[] = [];
  let inBlock = false;
  for (const [index, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    // A script's `#!` line comes before its header.
    if (index === 0 && line.startsWith("#!")) continue;
    if (inBlock) {
      const close = line.indexOf("*/");
      lines.push((close < 0 ? line : line.slice(0, close)).replace(/^\*\s?/, ""));
      if (close >= 0) inBlock = false;
    } else if (line.startsWith("//")) {
      lines.push(line.replace(/^\/\/+\s?/, ""));
    } else if (line.startsWith("/*")) {
      const close = line.indexOf("*/", 2);
      lines.push((close < 0 ? line.slice(2) : line.slice(2, close)).replace(/^\*\s?/, ""));
      inBlock = close < 0;
    } else if (line === "" && lines.length === 0) {
      continue;
    } else {
      break;
    }
  }
  return lines.join(" ").replace(/\s+/g, " ").trim();
}

/** The "Imports …" sentence of a header, or null. */
export function importsSentence(header: string): string | null {
  const match = /\bimports\b.*?(?:[.;](?=\s|$)|$)/is.exec(header);
  return match === null ? null : match[0];
}

/** The layers a sentence names (outside parentheses), and whether it claims "everything". */
export function namedLayers(sentence: string): { layers: Set<string>; everything: boolean } {
  let prose = sentence;
  for (let previous = ""; previous !== prose; ) {
    previous = prose;
    prose = prose.replace(/\([^()]*\)/g, " ");
  }
  const layers = new Set<string>();
  for (const match of prose.matchAll(LAYER_WORD)) layers.add(match[1]!);
  return { layers, everything: /\beverything\b/.test(prose) };
}

/** Checks every non-test file under `rootDir/src`; an empty array means every header is true. */
export function checkImportHeaders(rootDir: string): HeaderViolation[] {
  const root = resolve(rootDir);
  const srcDir = join(root, "src");
  const files = listFiles(srcDir, (p) => /\.(ts|tsx|mts|cts)$/.test(p) && !/\.test\.[cm]?tsx?$/.test(p));
  const violations: HeaderViolation[] = [];
  for (const path of files) {
    const file = relative(root, path).split(sep).join("/");
    const text = readFileSync(path, "utf8");
    const own = layerOf(srcDir, path)!;
    const sentence = importsSentence(openingComment(text));
    if (sentence === null) {
      violations.push({
        file,
        line: 1,
        message: `has no "Imports …" sentence in its opening comment (name the src/ layers it imports, or "Imports nothing.")`,
      });
      continue;
    }
    const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const imported = new Set<string>();
    for (const { specifier } of collectImports(sf)) {
      if (!specifier.startsWith(".")) continue;
      const layer = layerOf(srcDir, resolve(dirname(path), specifier));
      if (layer !== null && layer !== own) imported.add(layer);
    }
    const { layers: named, everything } = namedLayers(sentence);
    const unnamed = everything ? [] : [...imported].filter((layer) => !named.has(layer)).sort();
    const unused = [...named].filter((layer) => layer !== own && !imported.has(layer)).sort();
    if (unnamed.length > 0) {
      violations.push({ file, line: 1, message: `imports ${unnamed.join(", ")}, which its header does not name ("${sentence}")` });
    }
    if (unused.length > 0) {
      violations.push({ file, line: 1, message: `header names ${unused.join(", ")}, which it does not import ("${sentence}")` });
    }
  }
  return violations;
}
