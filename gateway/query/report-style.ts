/** The report page's stylesheet, inlined because the page fetches nothing. */
export const REPORT_STYLE = `
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #2f6fde;
  --band: #c9dcfb; --grid: #e4e7eb; --critical: #d64545; --warning: #e8a317; --info: #3d9be9; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
.asset { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; background: #f0f4f8;
  padding: 1px 8px; border-radius: 4px; word-break: break-all; }
.range, .note, .legend, footer { color: var(--muted); }
h2 { font-size: 16px; margin: 28px 0 10px; border-bottom: 1px solid var(--grid); padding-bottom: 4px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 12px;
  margin-top: 16px; }
.card { border: 1px solid var(--grid); border-radius: 8px; padding: 12px 14px; }
.card-title { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card-value { font-size: 22px; font-weight: 600; margin: 2px 0; word-break: break-word; }
.card-note { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 14px; }
figure { margin: 0; border: 1px solid var(--grid); border-radius: 8px; padding: 8px 10px 4px; }
figcaption { font-size: 13px; margin-bottom: 2px; word-break: break-all; }
figcaption span { color: var(--muted); margin-left: 6px; }
.chart { display: block; }
.chart .plot { fill: #fbfcfd; stroke: var(--grid); }
.chart .grid { stroke: var(--grid); stroke-width: 1; }
.chart .band { fill: var(--band); opacity: .8; }
.chart .line { fill: none; stroke: var(--line); stroke-width: 1.6; stroke-linejoin: round; }
.chart .dot { fill: var(--line); }
.chart text { font-size: 10px; fill: var(--muted); }
.chart .ylabel { text-anchor: end; }
.chart .empty { text-anchor: middle; font-size: 12px; }
.shade { opacity: .16; }
.shade.critical, .key.critical, .badge.critical { fill: var(--critical); background: var(--critical); }
.shade.warning, .key.warning, .badge.warning { fill: var(--warning); background: var(--warning); }
.shade.info, .key.info, .badge.info { fill: var(--info); background: var(--info); }
.shade.unknown, .badge.unknown { fill: var(--muted); background: var(--muted); }
.key { display: inline-block; width: 12px; height: 12px; opacity: .35; margin: 0 4px 0 10px;
  vertical-align: -2px; border-radius: 2px; }
.badge { color: #fff; border-radius: 10px; padding: 1px 8px; font-size: 11px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--grid); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.none { color: var(--muted); font-style: italic; }
footer { margin-top: 28px; font-size: 12px; }
@media print { body { padding: 0; } figure { break-inside: avoid; } }
`;
