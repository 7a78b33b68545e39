// Enforces the test house rules (house-style.md "Test layout") over test/**, the test peers in
// peers/** and the tests beside the code (*.test.ts in src/, common/, examples/). Uses the TypeScript parser, so comments never count.
//   no-sleep      Bun.sleep / Bun.sleepSync, `sleep` from "bun", timers/promises timers, and
//                 `new Promise(r => setTimeout(r, ms))`-style sleeps. Tests wait for a condition
//                 (test/helpers/wait.ts waitFor) or an event, never for time. test/soak/ is exempt.
//                 A polling back-off may sleep only inside a function listed in SLEEP_ALLOWLIST.
//   literal-port  a digit port in a tcp:// endpoint string ("tcp://127.0.0.1:5555") or `port: 5555`;
//                 bind to "tcp://127.0.0.1:*" (or port 0) and read lastEndpoint back. A line that must
//                 hold one (an endpoint-parser vector that nothing binds) carries, on it or the line
//                 above: `// lint-tests-allow literal-port: <reason>`.
// Usage: bun scripts/lint-tests.ts [repoRoot]   exit 0 = clean, 1 = findings (listed).
import { parseCommandLine } from "../common/command-line.ts";
import { readFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { listFiles } from "./source-files.ts";

/**
 * Functions allowed to sleep, with the reason. Each is a polling back-off: every pause is followed
 * by a re-check of the awaited condition under a deadline, so no test depends on timing.
 */
export const SLEEP_ALLOWLIST: ReadonlyArray<{ file: string; fn: string; reason: string }> = [
  {
    file: "test/helpers/wait.ts",
    fn: "pause",
    reason: "waitFor's back-off between re-checks of its predicate (bounded by timeoutMs)",
  },
  {
    file: "peers/libzmq/poll.ts",
    fn: "sleepMs",
    reason: "pollUntil's back-off between non-blocking libzmq calls; a blocking zmq_recv would freeze the JS thread",
  },
  {
    file: "peers/libzmq/peer-fixture.ts",
    fn: "pause",
    reason: "the fixture process's main loop: back-off between non-blocking libzmq send/receive polls",
  },
];

export type Rule = "no-sleep" | "literal-port";

export interface Finding {
  /** Path relative to the repo root, with forward slashes. */
  file: string;
  line: number;
  column: number;
  rule: Rule;
  message: string;
}

export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column} [${f.rule}] ${f.message}`;
}

const SOURCE_EXT = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const TEST_EXT = /\.test\.(ts|tsx|mts|cts|js|mjs|cjs)$/;

/** The files the rules apply to, as absolute paths. */
export function lintedFiles(root: string): string[] {
  return [
    ...listFiles(join(root, "test"), (p) => SOURCE_EXT.test(p)),
    ...listFiles(join(root, "src"), (p) => TEST_EXT.test(p)),
    ...listFiles(join(root, "peers"), (p) => SOURCE_EXT.test(p)),
    ...["common", "examples"].flatMap((dir) => listFiles(join(root, dir), (p) => TEST_EXT.test(p))),
  ];
}

/** `tcp://host:1234` (also `[::1]:1234`) with a non-zero digit port. */
const LITERAL_TCP_PORT = /tcp:\/\/(\[[^\]]*\]|[^\s/:'"`]*):(\d+)/g;
const ALLOW_PORT_COMMENT = /\/\/\s*lint-tests-allow\s+literal-port\s*:\s*\S/;

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (/\.[cm]?js$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/** Name of the nearest named function around `node` (declaration, method, or `const f = () => ...`). */
function enclosingFunctionName(node: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = node.parent; n !== undefined; n = n.parent) {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isFunctionExpression(n)) && n.name) {
      return n.name.getText();
    }
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent)) {
      return n.parent.name.getText();
    }
  }
  return undefined;
}

/** Is `call` (a setTimeout call) the body of a promise sleep: a timer that resolves its Promise? */
function isPromiseSleep(call: ts.CallExpression): boolean {
  for (let n: ts.Node | undefined = call.parent; n !== undefined; n = n.parent) {
    if (!ts.isArrowFunction(n) && !ts.isFunctionExpression(n)) continue;
    const owner = n.parent;
    const isExecutor =
      ts.isNewExpression(owner) && ts.isIdentifier(owner.expression) && owner.expression.text === "Promise" && owner.arguments?.[0] === n;
    if (!isExecutor) continue;
    const resolveParam = n.parameters[0]?.name;
    if (resolveParam === undefined || !ts.isIdentifier(resolveParam)) return false;
    return timerResolves(call, resolveParam.text);
  }
  // Promise.withResolvers() and hand-rolled deferreds: a timer whose callback is `resolve`.
  return timerResolves(call, "resolve");
}

/** Does the timer's callback resolve: `setTimeout(resolve, ms)` or `setTimeout(() => resolve(), ms)`? */
function timerResolves(call: ts.CallExpression, resolveName: string): boolean {
  let callback: ts.Node | undefined = call.arguments[0];
  while (
    callback !== undefined &&
    (ts.isParenthesizedExpression(callback) ||
      ts.isAsExpression(callback) ||
      ts.isNonNullExpression(callback) ||
      ts.isTypeAssertionExpression(callback))
  ) {
    callback = callback.expression;
  }
  if (callback === undefined) return false;
  if (ts.isIdentifier(callback)) return callback.text === resolveName;
  let callsResolve = false;
  const visit = (m: ts.Node): void => {
    if (ts.isCallExpression(m) && ts.isIdentifier(m.expression) && m.expression.text === resolveName) callsResolve = true;
    else ts.forEachChild(m, visit);
  };
  visit(callback);
  return callsResolve;
}

function isSetTimeoutCallee(expr: ts.Expression): boolean {
  if (ts.isIdentifier(expr)) return expr.text === "setTimeout";
  return (
    ts.isPropertyAccessExpression(expr) &&
    expr.name.text === "setTimeout" &&
    ts.isIdentifier(expr.expression) &&
    ["globalThis", "window", "global", "timers"].includes(expr.expression.text)
  );
}

/** Lints one file's text; `file` is the repo-relative path used in findings and the allowlist. */
export function lintSource(file: string, text: string): Finding[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKind(file));
  const lines = text.split("\n");
  const findings: Finding[] = [];
  const sleepsAllowed = file.startsWith("test/soak/");
  const report = (pos: number, rule: Rule, message: string) => {
    const { line, character } = sf.getLineAndCharacterOfPosition(pos);
    findings.push({ file, line: line + 1, column: character + 1, rule, message });
  };
  const sleep = (node: ts.Node, what: string) => {
    if (sleepsAllowed) return;
    const fn = enclosingFunctionName(node);
    if (fn !== undefined && SLEEP_ALLOWLIST.some((a) => a.file === file && a.fn === fn)) return;
    report(node.getStart(sf), "no-sleep", `${what}: wait for a condition (waitFor in test/helpers/wait.ts) or an event, not for time`);
  };
  const portAllowed = (pos: number) => {
    const line = sf.getLineAndCharacterOfPosition(pos).line;
    return ALLOW_PORT_COMMENT.test(lines[line] ?? "") || ALLOW_PORT_COMMENT.test(lines[line - 1] ?? "");
  };

  const visit = (node: ts.Node): void => {
    // --- no-sleep ---
    if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "Bun" &&
      (node.name.text === "sleep" || node.name.text === "sleepSync")
    ) {
      sleep(node, `Bun.${node.name.text}`);
    } else if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const from = node.moduleSpecifier.text;
      const named = node.importClause?.namedBindings;
      const names = named && ts.isNamedImports(named) ? named.elements.map((e) => (e.propertyName ?? e.name).text) : [];
      if (from === "bun") {
        for (const n of names) if (n === "sleep" || n === "sleepSync") sleep(node, `\`${n}\` imported from "bun"`);
      } else if (from === "node:timers/promises" || from === "timers/promises") {
        if (names.some((n) => n === "setTimeout" || n === "scheduler") || (named && ts.isNamespaceImport(named))) {
          sleep(node, `promise timers imported from "${from}"`);
        }
      }
    } else if (ts.isCallExpression(node) && isSetTimeoutCallee(node.expression) && isPromiseSleep(node)) {
      sleep(node, "setTimeout that resolves a Promise (a sleep)");
    }

    // --- literal-port ---
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      // In a template each ${...} becomes "\0": a host there still shows a literal port after it,
      // while `tcp://127.0.0.1:${port}` has no digits after the colon.
      const text = ts.isTemplateExpression(node)
        ? node.head.text + node.templateSpans.map((s) => `\0${s.literal.text}`).join("")
        : node.text;
      for (const m of text.matchAll(LITERAL_TCP_PORT)) {
        if (Number(m[2]) !== 0 && !portAllowed(node.getStart(sf))) {
          report(
            node.getStart(sf),
            "literal-port",
            `literal TCP port in "${m[0].replaceAll("\0", "${…}")}": bind to "tcp://127.0.0.1:*" and use lastEndpoint`,
          );
        }
      }
    } else if (
      ts.isPropertyAssignment(node) &&
      (ts.isIdentifier(node.name) || ts.isStringLiteral(node.name)) &&
      node.name.text === "port" &&
      ts.isNumericLiteral(node.initializer) &&
      Number(node.initializer.text) !== 0 &&
      !portAllowed(node.getStart(sf))
    ) {
      report(
        node.initializer.getStart(sf),
        "literal-port",
        `literal port ${node.initializer.text}: use port 0 and read the bound port back`,
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return findings;
}

/** Lints every test file under `rootDir`; an empty array means the tests follow the house rules. */
export function lintTests(rootDir: string): Finding[] {
  const root = resolve(rootDir);
  return lintedFiles(root).flatMap((path) => lintSource(relative(root, path).split(sep).join("/"), readFileSync(path, "utf8")));
}

const USAGE = `
usage: bun run lint-tests [repo root]

Lints the tests against the house rules (no sleeps as synchronisation, no literal ports); the rules
are listed at the top of scripts/lint-tests.ts. Exit 0 when clean, 1 with the findings.
`;

if (import.meta.main) {
  const root = resolve(parseCommandLine({ usage: USAGE, options: {}, positionals: true }).positionals[0] ?? join(import.meta.dir, ".."));
  const files = lintedFiles(root).length;
  const findings = lintTests(root);
  if (findings.length > 0) {
    console.error(`lint-tests: ${findings.length} finding(s) in ${files} test files:`);
    for (const f of findings) console.error(`  ${formatFinding(f)}`);
    process.exit(1);
  }
  console.log(`lint-tests: ok, ${files} files, 0 findings`);
}
