// A LineChart (bench/report/line-chart-model.ts) as an SVG document: panels stacked under one
// another on a shared x axis, each with its own y axis, grid, lines (a dot on each point, so a
// sparse series still reads), dashed limits and the chart's dashed vertical marks. Same look as
// the bar charts (bench/report/chart-svg.ts): fonts, greys, a grey panel background. Plain string
// building, no I/O.

import {
  type Axis,
  axisFraction,
  axisOf,
  type LineChart,
  type LinePanel,
  logAxisOf,
  tickLabel,
  xValuesOf,
  yValuesOf,
} from "./line-chart-model.ts";

const FONT = "DejaVu Sans, Verdana, Arial, sans-serif";
const PAD = 20;
const Y_AXIS_SPACE = 70;
const PLOT_WIDTH = 760;
const LEGEND_SPACE = 190;
const PANEL_HEIGHT = 220;
const PANEL_GAP = 56;
const PANEL_FILL = "#f6f7f9";
/** One hue per line of a panel, in order: the bar charts' bunzmq blue, then libzmq orange, then green. */
const LINE_HUES = [212, 28, 140, 280, 340, 55];
const LIMIT_COLOUR = "#c62828";
const MARK_COLOUR = "#333";

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function text(x: number, y: number, content: string, attrs = ""): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escape(content)}</text>`;
}

const colour = (i: number) => `hsl(${LINE_HUES[i % LINE_HUES.length]}, 62%, 42%)`;

/** Maps data to pixels inside one panel. */
interface Frame {
  left: number;
  top: number;
  x: (v: number) => number;
  y: (v: number) => number;
}

function frameOf(left: number, top: number, xAxis: Axis, yAxis: Axis): Frame {
  return {
    left,
    top,
    x: (v) => left + axisFraction(xAxis, v) * PLOT_WIDTH,
    y: (v) => top + PANEL_HEIGHT - axisFraction(yAxis, v) * PANEL_HEIGHT,
  };
}

/** Background, horizontal grid and y ticks, x ticks along the bottom. */
function drawGrid(panel: LinePanel, f: Frame, xAxis: Axis, yAxis: Axis): string[] {
  const out = [`<rect x="${f.left}" y="${f.top}" width="${PLOT_WIDTH}" height="${PANEL_HEIGHT}" fill="${PANEL_FILL}"/>`];
  for (const tick of yAxis.ticks) {
    const y = f.y(tick).toFixed(1);
    out.push(`<line x1="${f.left}" y1="${y}" x2="${f.left + PLOT_WIDTH}" y2="${y}" stroke="#ddd"/>`);
    out.push(text(f.left - 6, f.y(tick) + 4, tickLabel(tick, yAxis.log), `font-size="11" text-anchor="end" fill="#333"`));
  }
  for (const tick of xAxis.ticks) {
    const x = f.x(tick);
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${f.top + PANEL_HEIGHT}" x2="${x.toFixed(1)}" y2="${f.top + PANEL_HEIGHT + 4}" stroke="#999"/>`,
    );
    out.push(text(x, f.top + PANEL_HEIGHT + 16, tickLabel(tick, xAxis.log), `font-size="11" text-anchor="middle" fill="#333"`));
  }
  out.push(text(f.left, f.top - 8, `${panel.title} (${panel.unit})`, `font-size="14" font-weight="bold" fill="#111"`));
  return out;
}

/** Lines with a dot per point, limits, and the legend to the right of the plot. */
function drawLines(panel: LinePanel, f: Frame, xAxis: Axis): string[] {
  const out: string[] = [];
  const legendX = f.left + PLOT_WIDTH + 16;
  panel.lines.forEach((line, i) => {
    // A point a log axis has no place for (0, or a failed measurement) is left out, not drawn at -∞.
    const drawable = line.points.filter((p) => Number.isFinite(f.x(p.x)) && Number.isFinite(f.y(p.y)));
    const points = drawable.map((p) => `${f.x(p.x).toFixed(1)},${f.y(p.y).toFixed(1)}`);
    out.push(`<polyline points="${points.join(" ")}" fill="none" stroke="${colour(i)}" stroke-width="1.8" stroke-linejoin="round"/>`);
    for (const p of drawable) {
      out.push(`<circle cx="${f.x(p.x).toFixed(1)}" cy="${f.y(p.y).toFixed(1)}" r="1.8" fill="${colour(i)}"/>`);
    }
    const ly = f.top + 14 + i * 18;
    out.push(`<line x1="${legendX}" y1="${ly - 4}" x2="${legendX + 18}" y2="${ly - 4}" stroke="${colour(i)}" stroke-width="2.5"/>`);
    out.push(text(legendX + 24, ly, line.label, `font-size="12" fill="#222"`));
  });
  panel.limits.forEach((limit, i) => {
    const x1 = f.x(limit.fromX ?? xAxis.min);
    const x2 = f.x(limit.toX ?? xAxis.max);
    const y = f.y(limit.y);
    out.push(
      `<line x1="${x1.toFixed(1)}" y1="${y.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y.toFixed(1)}" stroke="${LIMIT_COLOUR}" stroke-dasharray="6,4" stroke-width="1.2"/>`,
    );
    const ly = f.top + 14 + (panel.lines.length + i) * 18;
    out.push(
      `<line x1="${legendX}" y1="${ly - 4}" x2="${legendX + 18}" y2="${ly - 4}" stroke="${LIMIT_COLOUR}" stroke-dasharray="6,4" stroke-width="1.5"/>`,
    );
    out.push(text(legendX + 24, ly, limit.label, `font-size="12" fill="${LIMIT_COLOUR}"`));
  });
  return out;
}

/** The whole document. */
export function renderLineSvg(chart: LineChart): string {
  const xAxis = chart.xLog ? logAxisOf(xValuesOf(chart)) : axisOf(xValuesOf(chart), { fromZero: chart.xFromZero, tight: true });
  const left = PAD + Y_AXIS_SPACE;
  const width = left + PLOT_WIDTH + LEGEND_SPACE + PAD;
  const body: string[] = [];
  body.push(text(PAD, 30, chart.title, `font-size="18" font-weight="bold" fill="#111"`));
  body.push(text(PAD, 50, chart.subtitle, `font-size="11" fill="#555"`));
  chart.notes.forEach((note, i) => body.push(text(PAD, 68 + i * 16, note, `font-size="11" fill="#333"`)));
  let top = 68 + chart.notes.length * 16 + 34;
  const firstTop = top;
  for (const panel of chart.panels) {
    const yAxis = panel.yLog
      ? logAxisOf(yValuesOf(panel))
      : axisOf(yValuesOf(panel), { fromZero: panel.fromZero, minStep: panel.integers ? 1 : 0 });
    const f = frameOf(left, top, xAxis, yAxis);
    body.push(...drawGrid(panel, f, xAxis, yAxis), ...drawLines(panel, f, xAxis));
    top += PANEL_HEIGHT + PANEL_GAP;
  }
  const bottom = top - PANEL_GAP;
  // Marks last, over every panel, so they cross the lines rather than hide under them.
  const markFrame = frameOf(left, firstTop, xAxis, { min: 0, max: 1, ticks: [] });
  for (const mark of chart.marks) {
    const x = markFrame.x(mark.x).toFixed(1);
    body.push(
      `<line x1="${x}" y1="${firstTop - 4}" x2="${x}" y2="${bottom}" stroke="${MARK_COLOUR}" stroke-dasharray="3,3" stroke-width="1"/>`,
    );
    body.push(text(markFrame.x(mark.x), firstTop - 26, mark.label, `font-size="11" text-anchor="middle" fill="${MARK_COLOUR}"`));
  }
  body.push(text(left + PLOT_WIDTH / 2, bottom + 36, chart.xTitle, `font-size="12" text-anchor="middle" fill="#333"`));
  const height = bottom + 36 + PAD;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">\n` +
    `<rect width="100%" height="100%" fill="#fff"/>\n${body.join("\n")}\n</svg>\n`
  );
}
