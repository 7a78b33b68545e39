// The repository's top-level folders ("homes") and which way imports may point between them, plus
// the parts of bench/ and their directions (README "Layout"; src/'s own layers are ALLOWED in
// scripts/check-layers.ts). Every rule here is a path prefix: a folder ("src") covers everything
// under it, a file ("src/index.ts") only itself. A home may always import its own files.
// Imports nothing.

export interface HomeRule {
  /** What lives there, for messages and the README. */
  holds: string;
  /** The other homes' folders or files it may import or start. */
  may: readonly string[];
}

/** src/'s entry points: the only files of src/ the examples may import, as a user's code would. */
export const PUBLIC_ENTRIES: readonly string[] = ["src/index.ts", "src/extras.ts", "src/draft.ts"];

/**
 * Top-level folder -> the rule of its files. Together the rules form no circle: src and common
 * import no other home; scripts common (its command-line reader and Ctrl-C) and, for the soak, src
 * and the bench's line chart; peers sits on src; examples on src's entries, peers and common; bench
 * and test on the rest (bench measures the examples, test checks them and the tooling).
 */
export const HOMES: Readonly<Record<string, HomeRule>> = {
  src: { holds: "the library", may: [] },
  scripts: {
    holds: "tooling: setup, checks, lint, type build, the soak",
    // The soak drives the library and draws its plot with the bench's line chart.
    may: ["src", "common", "bench/report/line-chart-model.ts", "bench/report/line-chart-svg.ts"],
  },
  common: { holds: "small utilities shared outside src/", may: [] },
  peers: { holds: "the other ends tests and benches drive (the libzmq binding, a ring echo Worker)", may: ["src", "common"] },
  examples: { holds: "demos written as a user would write them", may: [...PUBLIC_ENTRIES, "peers", "common"] },
  bench: { holds: "benchmarks", may: ["src", "peers", "common", "examples"] },
  test: { holds: "tests beyond the unit tests in src/", may: ["src", "peers", "common", "examples", "scripts"] },
};

/** bench/'s parts -> the other parts they may import or start (bench/README.md "Layout"). */
export const BENCH_PARTS: Readonly<Record<string, readonly string[]>> = {
  scenarios: ["peers", "fixtures", "report", "harness"],
  peers: ["fixtures", "report", "harness"],
  fixtures: ["harness"],
  report: ["harness"],
  harness: [],
  micro: [],
};

/** Whether `path` (repo-relative, forward slashes) is covered by one of `prefixes`. */
export function covers(prefixes: readonly string[], path: string): boolean {
  return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** `["src/index.ts", "peers"]` as `src/index.ts, peers/` for messages. */
export function describePrefixes(prefixes: readonly string[]): string {
  return prefixes.map((prefix) => (/\.[a-z]+$/.test(prefix) ? prefix : `${prefix}/`)).join(", ");
}
