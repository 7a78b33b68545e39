// Draws bench results as SVG charts a person can look at: `bun bench/report/chart.ts [results files...]`
// (default: the newest record of each bench in bench/results/). Each chart goes to
// bench/results/<the record's file name>.svg (gitignored, like the records), wherever the record
// is. What is drawn and how to read it: bench/report/chart-model.ts, bench/report/chart-svg.ts, README "Charts".

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { parseCommandLine } from "../../common/command-line.ts";
import { chartOf } from "./chart-model.ts";
import { renderSvg } from "./chart-svg.ts";

const RESULTS = join(import.meta.dir, "../results");
const ROOT = join(import.meta.dir, "../..");

interface ResultFile {
  path: string;
  bench: string;
  date: string;
  json: unknown;
}

function load(path: string): ResultFile {
  const json = JSON.parse(readFileSync(path, "utf8"));
  return { path, bench: String(json.bench ?? "push-pull"), date: String(json.date ?? ""), json };
}

/** The newest record of each bench (by the date it records; the file name breaks ties, `-2` after none). */
function newestOfEach(): ResultFile[] {
  const newest = new Map<string, ResultFile>();
  const files = readdirSync(RESULTS)
    .filter((f) => f.endsWith(".json"))
    .sort();
  for (const file of files) {
    let record: ResultFile;
    try {
      record = load(join(RESULTS, file));
    } catch (error) {
      process.stderr.write(`skipping ${file}: ${(error as Error).message}\n`);
      continue;
    }
    const held = newest.get(record.bench);
    if (!held || record.date >= held.date) newest.set(record.bench, record);
  }
  return [...newest.values()];
}

const USAGE = `
usage: bun bench/report/chart.ts [results files...]

Draws each bench record (JSON) as an SVG chart beside the others in bench/results/, named after the
record. Without files: the newest record of each bench in bench/results/.
`;

function main(): number {
  const named = parseCommandLine({ usage: USAGE, options: {}, positionals: true }).positionals;
  const records = named.length > 0 ? named.map((p) => load(resolve(p))) : newestOfEach();
  if (records.length === 0) {
    process.stderr.write(`no results in ${relative(ROOT, RESULTS)}/; run a bench first\n`);
    return 1;
  }
  let failed = 0;
  for (const record of records) {
    try {
      const out = join(RESULTS, `${basename(record.path, ".json")}.svg`);
      writeFileSync(out, renderSvg(chartOf(record.json as object)));
      console.log(`${record.bench}: ${relative(ROOT, out)}  (from ${relative(ROOT, record.path)})`);
    } catch (error) {
      process.stderr.write(`${relative(ROOT, record.path)}: cannot chart: ${(error as Error).message}\n`);
      failed++;
    }
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = main();
