import { escapeHtml, formatNumber, formatTime } from './html-text';

/** A value over time; points further apart than `gapMs` are not joined. */
export interface LinePoint {
  readonly t: number;
  readonly v: number;
}

export interface BandPoint {
  readonly t: number;
  readonly min: number;
  readonly max: number;
}

/** A shaded period across the chart, such as an alert from raise to resolve. */
export interface Shade {
  readonly from: number;
  readonly to: number;
  readonly severity: string;
}

export interface TimeChart {
  readonly label: string;
  readonly from: number;
  readonly to: number;
  readonly line: readonly LinePoint[];
  readonly band?: readonly BandPoint[];
  readonly shades?: readonly Shade[];
  /** Draw a dot at every point (sparse series such as predictions). */
  readonly dots?: boolean;
  readonly gapMs: number;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const WIDTH = 560;
const HEIGHT = 170;
const PAD = { left: 56, right: 12, top: 10, bottom: 24 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

/**
 * An inline SVG line chart over a time range: a min-max band, the mean
 * line, shaded alert periods, three time ticks and the value range. Plain
 * markup with a title for screen readers, no script, no external reference.
 */
export function timeChart(chart: TimeChart): string {
  const x = (t: number) => PAD.left + ((t - chart.from) / (chart.to - chart.from)) * PLOT_W;
  const [lo, hi] = valueRange(chart);
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * PLOT_H;
  const clampX = (t: number) => Math.min(PAD.left + PLOT_W, Math.max(PAD.left, x(t)));

  const shades = (chart.shades ?? []).map((s) => {
    const left = clampX(s.from);
    const width = Math.max(1.5, clampX(s.to) - left);
    const klass = `shade ${severityClass(s.severity)}`;
    return `<rect class="${klass}" x="${n(left)}" y="${PAD.top}" width="${n(width)}" height="${PLOT_H}"/>`;
  });
  const band = chart.band?.length
    ? runs(chart.band, chart.gapMs).map((run) => {
        const top = run.map((p) => `${n(x(p.t))},${n(y(p.max))}`);
        const bottom = [...run].reverse().map((p) => `${n(x(p.t))},${n(y(p.min))}`);
        return `<polygon class="band" points="${[...top, ...bottom].join(' ')}"/>`;
      })
    : [];
  const dot = (p: LinePoint) => `<circle class="dot" cx="${n(x(p.t))}" cy="${n(y(p.v))}" r="2.5"/>`;
  const lines = runs(chart.line, chart.gapMs).map((run) => {
    if (run.length === 1) return dot(run[0]!);
    return `<polyline class="line" points="${run.map((p) => `${n(x(p.t))},${n(y(p.v))}`).join(' ')}"/>`;
  });
  const dots = chart.dots ? chart.line.map(dot) : [];

  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" xmlns="${SVG_NS}">`,
    `<title>${escapeHtml(chart.label)}</title>`,
    `<rect class="plot" x="${PAD.left}" y="${PAD.top}" width="${PLOT_W}" height="${PLOT_H}"/>`,
    ...shades,
    ...gridAndLabels(chart, lo, hi, y),
    ...band,
    ...lines,
    ...dots,
    chart.line.length === 0
      ? `<text class="empty" x="${PAD.left + PLOT_W / 2}" y="${PAD.top + PLOT_H / 2}">no data in this range</text>`
      : '',
    '</svg>',
  ].join('');
}

function gridAndLabels(
  chart: TimeChart,
  lo: number,
  hi: number,
  y: (v: number) => number,
): string[] {
  const out: string[] = [];
  // Labels get the digits it takes to tell the bottom one from the top one.
  for (const [v, other] of [
    [lo, hi],
    [(lo + hi) / 2, hi],
    [hi, lo],
  ] as const) {
    out.push(
      `<line class="grid" x1="${PAD.left}" x2="${PAD.left + PLOT_W}" y1="${n(y(v))}" y2="${n(y(v))}"/>`,
    );
    out.push(
      `<text class="ylabel" x="${PAD.left - 6}" y="${n(y(v) + 4)}">${escapeHtml(formatNumber(v, lo === hi ? undefined : other))}</text>`,
    );
  }
  const span = chart.to - chart.from;
  for (const [fraction, anchor] of [
    [0, 'start'],
    [0.5, 'middle'],
    [1, 'end'],
  ] as const) {
    const t = chart.from + span * fraction;
    const label = escapeHtml(formatTime(t, span));
    out.push(
      `<text class="xlabel" text-anchor="${anchor}" x="${n(PAD.left + PLOT_W * fraction)}" y="${HEIGHT - 6}">${label}</text>`,
    );
  }
  return out;
}

/** The value axis: the data's range with a margin, never empty. */
function valueRange(chart: TimeChart): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of chart.line) [lo, hi] = [Math.min(lo, p.v), Math.max(hi, p.v)];
  for (const p of chart.band ?? []) [lo, hi] = [Math.min(lo, p.min), Math.max(hi, p.max)];
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const margin = (hi - lo) * 0.05;
  return [lo - margin, hi + margin];
}

/** Splits a series where consecutive points are further apart than `gapMs`. */
function runs<P extends { t: number }>(points: readonly P[], gapMs: number): P[][] {
  const out: P[][] = [];
  for (const p of points) {
    const run = out[out.length - 1];
    if (run && p.t - run[run.length - 1]!.t <= gapMs) run.push(p);
    else out.push([p]);
  }
  return out;
}

export function severityClass(severity: string): string {
  const known = ['CRITICAL', 'WARNING', 'INFO'];
  return known.includes(severity) ? severity.toLowerCase() : 'unknown';
}

function n(value: number): string {
  return (Math.round(value * 10) / 10).toString();
}
