// A Chart (bench/report/chart-model.ts) as an SVG document: grouped horizontal bars, one panel per
// transport, one group per size, one bar per implementation (two, p50 and p99, for latency), each
// labelled with its value and its ratio to the libzmq row. Plain string building, no I/O.
//
// Bars are scaled per group: message sizes differ by orders of magnitude, and what a group is for
// is comparing implementations at one size. A dashed line marks the libzmq value in each group.

import type { Bar, BarRow, Chart, Group } from "./chart-model.ts";

const FONT = "DejaVu Sans, Verdana, Arial, sans-serif";
const PAD = 20;
const SIZE_COLUMN = 80;
const BAR_SPACE = 420;
const VALUE_SPACE = 250;
const BAR_HEIGHT = 16;
const SERIES_HEIGHT = 11;
const ROW_GAP = 5;
const GROUP_GAP = 14;

/** Hue per implementation family; unknown families take the next spare hue. */
const FAMILY_HUES: Record<string, number> = { bunzmq: 212, libzmq: 28, "zeromq.js": 140 };
const SPARE_HUES = [280, 340, 180, 55];

const GROUP_FILL = "#f6f7f9";
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

/** Ratio text and colour: green where the row beats libzmq, red where it loses, grey for the baseline. */
function ratioLabel(bar: Bar, row: BarRow, lowerIsBetter: boolean): { label: string; colour: string } {
  if (row.baseline) return { label: "baseline", colour: "#666" };
  if (bar.ratio === null) return { label: "", colour: "#666" };
  if (row.interop) return { label: `${bar.ratio.toFixed(2)}× libzmq (interop)`, colour: "#666" };
  const better = lowerIsBetter ? bar.ratio < 1 : bar.ratio > 1;
  return { label: `${bar.ratio.toFixed(2)}× libzmq`, colour: better ? "#1a7f37" : "#c62828" };
}

function rowHeight(chart: Chart): number {
  return chart.series.length > 1 ? chart.series.length * SERIES_HEIGHT + (chart.series.length - 1) * 2 : BAR_HEIGHT;
}

/** One group's SVG at `top`; returns it and its height. */
function drawGroup(chart: Chart, g: Group, top: number, labelWidth: number, colours: Map<string, string>): { svg: string; height: number } {
  // Drawn in layers: background and bars, then the baseline line over the bars, then the texts.
  const out: string[] = [];
  const texts: string[] = [];
  const barX = PAD + SIZE_COLUMN + labelWidth + 10;
  const max = Math.max(...g.rows.flatMap((r) => r.bars.map((b) => b.value)), 0);
  const scale = (v: number) => (max > 0 ? (v / max) * BAR_SPACE : 0);
  const pitch = rowHeight(chart) + ROW_GAP;
  const height = g.rows.length * pitch - ROW_GAP;
  out.push(
    `<rect x="${PAD}" y="${top - 3}" width="${SIZE_COLUMN + labelWidth + BAR_SPACE + VALUE_SPACE + 10}" height="${height + 6}" fill="${GROUP_FILL}"/>`,
  );
  out.push(text(PAD + 8, top + height / 2 + 5, g.label, `font-size="13" font-weight="bold" fill="#222"`));
  g.rows.forEach((row, i) => {
    const y = top + i * pitch;
    texts.push(text(barX - 8, y + rowHeight(chart) / 2 + 4, row.label, `font-size="12" text-anchor="end" fill="#222"`));
    if (row.bars.length === 0) {
      texts.push(
        text(
          barX + 4,
          y + rowHeight(chart) / 2 + 4,
          `FAILED${row.error ? ` — ${row.error}` : ""}`.slice(0, 110),
          `font-size="11" fill="#c62828"`,
        ),
      );
      return;
    }
    const h = row.bars.length > 1 ? SERIES_HEIGHT : BAR_HEIGHT;
    row.bars.forEach((bar, k) => {
      const by = y + k * (h + 2);
      const w = Math.max(1, scale(bar.value));
      // Later series (p99) drawn paler than the first (p50) of the same colour.
      const opacity = k === 0 ? 1 : 0.45;
      out.push(
        `<rect x="${barX}" y="${by}" width="${w.toFixed(1)}" height="${h}" fill="${colours.get(row.label)}" fill-opacity="${opacity}"/>`,
      );
      const ratio = ratioLabel(bar, row, chart.lowerIsBetter);
      const size = h < BAR_HEIGHT ? 10 : 11;
      const value = `${bar.series ? `${bar.series} ` : ""}${bar.text}`;
      const tx = barX + w + 5;
      // A halo in the group's background keeps the text legible where the dashed line crosses it.
      texts.push(
        `<text x="${tx.toFixed(1)}" y="${by + h - 2.5}" font-size="${size}" fill="#222" ${HALO}>${escape(value)}` +
          `<tspan dx="6" fill="${ratio.colour}" font-weight="bold">${escape(ratio.label)}</tspan></text>`,
      );
    });
  });
  // The baseline's value (first series) as a dashed line across the group.
  const base = g.rows.find((r) => r.baseline)?.bars[0];
  if (base) {
    const x = barX + scale(base.value);
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${top - 3}" x2="${x.toFixed(1)}" y2="${top + height + 3}" stroke="#333" stroke-dasharray="3,3" stroke-width="1"/>`,
    );
  }
  return { svg: [...out, ...texts].join("\n"), height };
}

/** The whole document. */
export function renderSvg(chart: Chart): string {
  const labels = chart.panels.flatMap((p) => p.groups.flatMap((g) => g.rows.map((r) => r.label)));
  const labelWidth = Math.ceil(Math.max(120, ...labels.map((l) => textWidth(l, 12))));
  const width = PAD * 2 + SIZE_COLUMN + labelWidth + 10 + BAR_SPACE + VALUE_SPACE;
  const colours = palette(chart);
  const body: string[] = [];
  body.push(text(PAD, 30, chart.title, `font-size="18" font-weight="bold" fill="#111"`));
  body.push(text(PAD, 50, chart.subtitle, `font-size="11" fill="#555"`));
  const first = chart.series[0];
  body.push(
    text(
      PAD,
      68,
      `${chart.metric}. Ratio = row ÷ the libzmq row of the same group: green better than libzmq, red worse.`,
      `font-size="11" fill="#333"`,
    ),
  );
  const series = chart.series.length > 1 ? ` Solid bar = ${first}, pale bar = ${chart.series.slice(1).join(", ")}.` : "";
  const line = `Dashed line = libzmq${chart.series.length > 1 ? ` ${first}` : ""}.`;
  body.push(
    text(
      PAD,
      84,
      `Bars scaled per group. ${line}${series} Compare ratios within a run, not absolute figures across runs.`,
      `font-size="11" fill="#333"`,
    ),
  );
  let y = 104;
  for (const panel of chart.panels) {
    y += 14;
    body.push(`<line x1="${PAD}" y1="${y - 12}" x2="${width - PAD}" y2="${y - 12}" stroke="#ccc"/>`);
    body.push(text(PAD, y + 6, panel.title, `font-size="15" font-weight="bold" fill="#111"`));
    y += 20;
    for (const g of panel.groups) {
      const drawn = drawGroup(chart, g, y, labelWidth, colours);
      body.push(drawn.svg);
      y += drawn.height + GROUP_GAP;
    }
  }
  const height = y + PAD - GROUP_GAP + 6;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">\n` +
    `<rect width="100%" height="100%" fill="#fff"/>\n${body.join("\n")}\n</svg>\n`
  );
}
