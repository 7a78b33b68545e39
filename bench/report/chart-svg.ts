// A Chart (bench/report/chart-model.ts) as an SVG document: grouped horizontal bars, one panel per
// transport, one group per size, one row per implementation, each bar labelled with its value and
// its ratio to the libzmq row. Plain string building, no I/O.
//
// How it reads at a glance:
// - Every group is drawn on its size's axis (./chart-scale.ts), the same in every panel, with its
//   ticks labelled under it: bars of one size compare by eye across implementations and transports.
//   A group that axis would squash has its own, and says so beside its ticks.
// - A chart with several series (latency's p50 and p99) gets one column per series, each with its
//   own axis, so the tail never squashes the median.
// - The ratio is green where the row beats libzmq, red where it loses, and grey where it is even
//   (chart-model.ts EVEN_WITHIN); a dashed line marks the libzmq value in each column.

import type { Bar, BarRow, Chart, Group, Verdict } from "./chart-model.ts";
import { EVEN_WITHIN } from "./chart-model.ts";
import { MIN_FILL } from "./chart-scale.ts";

const FONT = "DejaVu Sans, Verdana, Arial, sans-serif";
const PAD = 20;
const SIZE_COLUMN = 80;
const BAR_HEIGHT = 16;
const ROW_GAP = 5;
const GROUP_GAP = 14;
/** Room under a group for its axis's tick labels. */
const AXIS_HEIGHT = 14;
/** Bar space and the room right of it for the value and ratio, per series column. */
const COLUMNS = {
  one: { bars: 420, values: 250 },
  several: { bars: 300, values: 200 },
};

/** Hue per implementation family; unknown families take the next spare hue. */
const FAMILY_HUES: Record<string, number> = { bunzmq: 212, libzmq: 28, "zeromq.js": 140 };
const SPARE_HUES = [280, 340, 180, 55];

const VERDICT_COLOURS: Record<Verdict | "none", string> = { better: "#1a7f37", worse: "#c62828", even: "#666", none: "#666" };
const GROUP_FILL = "#f6f7f9";
const GRID = "#dcdfe4";
const HALO = `stroke="${GROUP_FILL}" stroke-width="3" paint-order="stroke"`;

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** A rough width of `text` at `size` px in a sans font: enough to size columns, not to typeset. */
const textWidth = (text: string, size: number) => text.length * size * 0.6;

function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escape(content)}</text>`;
}

/** One colour per row label: the family's hue, darker for its first variant, lighter for later ones. */
function palette(chart: Chart): Map<string, string> {
  const colours = new Map<string, string>();
  const variants = new Map<string, number>();
  const hues = new Map(Object.entries(FAMILY_HUES));
  for (const { label, family } of chart.panels.flatMap((p) => p.groups.flatMap((g) => g.rows))) {
    if (colours.has(label)) continue;
    if (!hues.has(family)) hues.set(family, SPARE_HUES[(hues.size - 3) % SPARE_HUES.length]!);
    const variant = variants.get(family) ?? 0;
    variants.set(family, variant + 1);
    colours.set(label, `hsl(${hues.get(family)}, ${62 - (variant % 4) * 8}%, ${40 + (variant % 4) * 10}%)`);
  }
  return colours;
}

/** Ratio text and colour: by the bar's verdict (grey when even); "baseline" for the libzmq row. */
function ratioLabel(bar: Bar, row: BarRow): { label: string; colour: string } {
  if (row.baseline) return { label: "baseline", colour: VERDICT_COLOURS.none };
  if (bar.ratio === null) return { label: "", colour: VERDICT_COLOURS.none };
  const suffix = row.interop ? " (interop)" : bar.verdict === "even" ? " (even)" : "";
  return { label: `${bar.ratio.toFixed(2)}× libzmq${suffix}`, colour: VERDICT_COLOURS[bar.verdict ?? "none"] };
}

/** The drawing's horizontal layout: where the bars of series column `k` start, and how wide they are. */
interface Layout {
  labelWidth: number;
  bars: number;
  values: number;
  columnX(k: number): number;
  width: number;
}

function layoutOf(chart: Chart): Layout {
  const labels = chart.panels.flatMap((p) => p.groups.flatMap((g) => g.rows.map((r) => r.label)));
  const labelWidth = Math.ceil(Math.max(120, ...labels.map((l) => textWidth(l, 12))));
  const columns = Math.max(1, chart.series.length);
  const { bars, values } = columns > 1 ? COLUMNS.several : COLUMNS.one;
  const first = PAD + SIZE_COLUMN + labelWidth + 10;
  return { labelWidth, bars, values, columnX: (k) => first + k * (bars + values), width: first + columns * (bars + values) + PAD };
}

/** One group's SVG at `top`; returns it and its height (axis labels included). */
function drawGroup(g: Group, top: number, layout: Layout, colours: Map<string, string>): { svg: string; height: number } {
  // Drawn in layers: background, grid and bars, then the baseline lines over the bars, then the texts.
  const out: string[] = [];
  const lines: string[] = [];
  const texts: string[] = [];
  const pitch = BAR_HEIGHT + ROW_GAP;
  const height = g.rows.length * pitch - ROW_GAP;
  out.push(`<rect x="${PAD}" y="${top - 3}" width="${layout.width - 2 * PAD}" height="${height + 6}" fill="${GROUP_FILL}"/>`);
  out.push(text(PAD + 8, top + height / 2 + 5, g.label, `font-size="13" font-weight="bold" fill="#222"`));
  g.axes.forEach((axis, k) => {
    const x0 = layout.columnX(k);
    for (const tick of axis.ticks) {
      const x = x0 + (tick.value / axis.max) * layout.bars;
      out.push(
        `<line x1="${x.toFixed(1)}" y1="${top - 3}" x2="${x.toFixed(1)}" y2="${top + height + 3}" stroke="${GRID}" stroke-width="1"/>`,
      );
      texts.push(text(x, top + height + 14, tick.label, `font-size="9" text-anchor="middle" fill="#777"`));
    }
    if (!axis.shared)
      texts.push(text(x0 + layout.bars + 22, top + height + 14, "own axis", `font-size="9" font-style="italic" fill="#a15c00"`));
  });
  g.rows.forEach((row, i) => {
    const y = top + i * pitch;
    texts.push(text(layout.columnX(0) - 8, y + BAR_HEIGHT / 2 + 4, row.label, `font-size="12" text-anchor="end" fill="#222"`));
    if (row.bars.length === 0) {
      const failure = `FAILED${row.error ? ` — ${row.error}` : ""}`.slice(0, 110);
      texts.push(text(layout.columnX(0) + 4, y + BAR_HEIGHT / 2 + 4, failure, `font-size="11" fill="#c62828"`));
      return;
    }
    row.bars.forEach((bar, k) => {
      const axis = g.axes[k]!;
      const x0 = layout.columnX(k);
      const w = Math.max(1, (bar.value / axis.max) * layout.bars);
      out.push(`<rect x="${x0}" y="${y}" width="${w.toFixed(1)}" height="${BAR_HEIGHT}" fill="${colours.get(row.label)}"/>`);
      const ratio = ratioLabel(bar, row);
      // A halo in the group's background keeps the text legible where a grid or dashed line crosses it.
      texts.push(
        `<text x="${(x0 + w + 5).toFixed(1)}" y="${y + BAR_HEIGHT - 3.5}" font-size="11" fill="#222" ${HALO}>${escape(bar.text)}` +
          `<tspan dx="6" fill="${ratio.colour}" font-weight="bold">${escape(ratio.label)}</tspan></text>`,
      );
    });
  });
  // The baseline's value in each column as a dashed line across the group.
  const base = g.rows.find((r) => r.baseline);
  base?.bars.forEach((bar, k) => {
    const x = layout.columnX(k) + (bar.value / g.axes[k]!.max) * layout.bars;
    lines.push(
      `<line x1="${x.toFixed(1)}" y1="${top - 3}" x2="${x.toFixed(1)}" y2="${top + height + 3}" stroke="#333" stroke-dasharray="3,3" stroke-width="1"/>`,
    );
  });
  return { svg: [...out, ...lines, ...texts].join("\n"), height: height + AXIS_HEIGHT };
}

/** The whole document. */
export function renderSvg(chart: Chart): string {
  const layout = layoutOf(chart);
  const colours = palette(chart);
  const evenPercent = `${Math.round(EVEN_WITHIN * 100)} %`;
  const body: string[] = [];
  body.push(text(PAD, 30, chart.title, `font-size="18" font-weight="bold" fill="#111"`));
  body.push(text(PAD, 50, chart.subtitle, `font-size="11" fill="#555"`));
  const columns = chart.series.length > 1 ? ` ${chart.series.join(" and ")} in columns of their own, each on its own axes.` : "";
  const legend = [
    `${chart.metric}. Ratio = row ÷ the libzmq row of the same group: green = better than libzmq, red = worse, grey = even (within ±${evenPercent}).`,
    `One axis per size, the same for every implementation and transport; a group it would squash (longest bar under ${Math.round(MIN_FILL * 100)} %) has its own, marked "own axis".`,
    `${columns.trim()} Dashed line = libzmq. Compare ratios within a run, not figures across runs.`.trim(),
  ];
  legend.forEach((line, i) => body.push(text(PAD, 68 + i * 15, line, `font-size="11" fill="#333"`)));
  let y = 68 + legend.length * 15 + 5;
  for (const panel of chart.panels) {
    y += 14;
    body.push(`<line x1="${PAD}" y1="${y - 12}" x2="${layout.width - PAD}" y2="${y - 12}" stroke="#ccc"/>`);
    body.push(text(PAD, y + 6, panel.title, `font-size="15" font-weight="bold" fill="#111"`));
    if (chart.series.length > 1) {
      chart.series.forEach((series, k) =>
        body.push(text(layout.columnX(k), y + 6, series, `font-size="13" font-weight="bold" fill="#333"`)),
      );
    }
    y += 20;
    for (const g of panel.groups) {
      const drawn = drawGroup(g, y, layout, colours);
      body.push(drawn.svg);
      y += drawn.height + GROUP_GAP;
    }
  }
  const height = y + PAD - GROUP_GAP + 6;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${height}" viewBox="0 0 ${layout.width} ${height}" font-family="${FONT}">\n` +
    `<rect width="100%" height="100%" fill="#fff"/>\n${body.join("\n")}\n</svg>\n`
  );
}
