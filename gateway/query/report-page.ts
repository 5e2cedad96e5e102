import type { AssetReport, MetricSummary } from './asset-report';
import type { StoredAlert } from './history-store';
import { escapeHtml as h, formatDuration, formatInstant, formatNumber } from './html-text';
import { REPORT_STYLE } from './report-style';
import { severityClass, timeChart, type Shade } from './svg-chart';

/** Charts drawn per page; the statistics table lists every metric. */
const MAX_METRIC_CHARTS = 30;

/**
 * The asset report as one self-contained HTML page: inline styles and SVG,
 * no script and nothing fetched, so it can be saved, mailed or printed as
 * it is. Every string that comes from data is escaped.
 */
export function renderReportPage(report: AssetReport): string {
  const from = report.from.getTime();
  const to = report.to.getTime();
  const shades = alertShades(report.alerts.items, to);
  const gapMs = report.bucketSeconds * 1000 * 1.5;
  const charted = report.readings.metrics.slice(0, MAX_METRIC_CHARTS);

  const metricCharts = charted.map((m) =>
    figure(
      m.metric,
      stats(m),
      timeChart({
        label: `${m.metric} from ${formatInstant(report.from)} to ${formatInstant(report.to)}`,
        from,
        to,
        line: m.series.map((p) => ({ t: p.t.getTime(), v: p.mean })),
        band: m.series.map((p) => ({ t: p.t.getTime(), min: p.min, max: p.max })),
        shades,
        gapMs,
      }),
    ),
  );
  const predictionCharts = report.predictions.series.map((s) =>
    figure(
      `${s.model} · ${s.output}`,
      `last ${formatNumber(s.points[s.points.length - 1]?.value ?? Number.NaN)}`,
      timeChart({
        label: `prediction ${s.output} of ${s.model}`,
        from,
        to,
        line: s.points.map((p) => ({ t: p.t.getTime(), v: p.value })),
        shades,
        dots: true,
        gapMs: Number.POSITIVE_INFINITY,
      }),
    ),
  );

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Asset report: ${h(report.assetId)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>Asset report <span class="asset">${h(report.assetId)}</span></h1>
<p class="range">${h(formatInstant(report.from))} → ${h(formatInstant(report.to))}
 · generated ${h(formatInstant(report.generatedAt))}</p>
</header>
${summaryCards(report)}
<section><h2>Metrics</h2>
${legend(shades.length > 0)}
${grid(metricCharts, 'No readings in this range.')}
${omittedCharts(report.readings.metrics.length)}
</section>
<section><h2>Predictions</h2>
${grid(predictionCharts, 'No predictions in this range.')}
</section>
<section><h2>Alerts</h2>
${alertTable(report.alerts.items, to)}
</section>
<section><h2>Metric statistics</h2>
${statsTable(report.readings.metrics)}
</section>
<footer>Values from ${report.source === 'readings' ? 'raw readings' : 'hourly statistics'},
 in buckets of ${h(formatDuration(report.bucketSeconds * 1000))}; the band spans each bucket's
 minimum to maximum, the line is its mean. All times UTC.</footer>
</body>
</html>
`;
}

function grid(figures: readonly string[], none: string): string {
  if (figures.length === 0) return `<p class="none">${h(none)}</p>`;
  return `<div class="grid">${figures.join('\n')}</div>`;
}

function omittedCharts(metrics: number): string {
  if (metrics <= MAX_METRIC_CHARTS) return '';
  return (
    `<p class="note">Charts show the first ${MAX_METRIC_CHARTS} of ${metrics} metrics; ` +
    'the table below lists them all.</p>'
  );
}

function summaryCards(report: AssetReport): string {
  const latest = report.predictions.latest;
  const outputs = latest
    ? Object.entries(latest.outputs)
        .slice(0, 3)
        .map(([k, v]) => `${k} ${formatNumber(v)}`)
        .join(', ')
    : '—';
  const cards = [
    [
      'Metrics',
      String(report.readings.metrics.length),
      `${formatNumber(report.readings.values)} values`,
    ],
    [
      'Latest prediction',
      outputs,
      latest ? `${latest.model} at ${formatInstant(latest.windowEnd)}` : 'none',
    ],
    ['Alerts in range', String(report.alerts.total), `${report.alerts.open} still open`],
  ];
  const html = cards.map(
    ([title, value, note]) =>
      `<div class="card"><div class="card-title">${h(title!)}</div>` +
      `<div class="card-value">${h(value!)}</div>` +
      `<div class="card-note">${h(note!)}</div></div>`,
  );
  return `<div class="cards">${html.join('')}</div>`;
}

function figure(title: string, caption: string, svg: string): string {
  return `<figure><figcaption><strong>${h(title)}</strong> <span>${h(caption)}</span></figcaption>${svg}</figure>`;
}

function stats(m: MetricSummary): string {
  const last = m.last ? ` · last ${formatNumber(m.last.value)}` : '';
  return `min ${formatNumber(m.min)} · mean ${formatNumber(m.mean)} · max ${formatNumber(m.max)}${last}`;
}

function legend(withAlerts: boolean): string {
  if (!withAlerts) return '';
  return (
    '<p class="legend">Shaded: alert periods — ' +
    '<span class="key critical"></span>critical <span class="key warning"></span>warning ' +
    '<span class="key info"></span>info</p>'
  );
}

function alertShades(alerts: readonly StoredAlert[], to: number): Shade[] {
  return alerts.map((a) => ({
    from: a.openedAt.getTime(),
    to: a.resolvedAt?.getTime() ?? to,
    severity: a.severity,
  }));
}

function alertTable(alerts: readonly StoredAlert[], to: number): string {
  if (alerts.length === 0) return '<p class="none">No alerts in this range.</p>';
  const rows = alerts.map((a) => {
    const end = a.resolvedAt?.getTime() ?? to;
    const ack = a.acknowledgement
      ? `${h(a.acknowledgement.name)} at ${h(formatInstant(a.acknowledgement.at))}`
      : '—';
    return (
      `<tr><td><span class="badge ${severityClass(a.severity)}">${h(a.severity)}</span></td>` +
      `<td>${h(a.rule)}</td><td>${h(a.state)}</td><td>${h(formatInstant(a.openedAt))}</td>` +
      `<td>${h(formatInstant(a.resolvedAt))}</td>` +
      `<td>${h(formatDuration(end - a.openedAt.getTime()))}${a.resolvedAt ? '' : ' (open)'}</td>` +
      `<td>${h(a.message)}</td><td>${ack}</td></tr>`
    );
  });
  return (
    '<table><thead><tr><th>Severity</th><th>Rule</th><th>State</th><th>Opened</th>' +
    '<th>Resolved</th><th>Duration</th><th>Message</th><th>Acknowledged</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

function statsTable(metrics: readonly MetricSummary[]): string {
  if (metrics.length === 0) return '<p class="none">No readings in this range.</p>';
  const rows = metrics.map(
    (m) =>
      `<tr><td>${h(m.metric)}</td><td class="num">${h(formatNumber(m.count))}</td>` +
      `<td class="num">${h(formatNumber(m.min))}</td><td class="num">${h(formatNumber(m.mean))}</td>` +
      `<td class="num">${h(formatNumber(m.max))}</td>` +
      `<td class="num">${m.last ? h(formatNumber(m.last.value)) : '—'}</td>` +
      `<td>${h(formatInstant(m.last?.ts ?? null))}</td></tr>`,
  );
  return (
    '<table><thead><tr><th>Metric</th><th>Values</th><th>Min</th><th>Mean</th><th>Max</th>' +
    `<th>Last</th><th>Last at</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}
