import type { AssetReport } from '../../../../gateway/query/asset-report';
import { renderReportPage } from '../../../../gateway/query/report-page';

const hostile = '<img src=x onerror=alert(1)>"\'&';
const from = Date.UTC(2026, 11, 3, 0);
const t = (minutes: number) => new Date(from + minutes * 60_000);

const report: AssetReport = {
  assetId: `pump ${hostile}`,
  from: t(0),
  to: t(120),
  generatedAt: t(121),
  source: 'readings',
  bucketSeconds: 60,
  readings: {
    values: 6,
    metrics: [
      {
        metric: `temp ${hostile}`,
        count: 6,
        min: 1,
        max: 9,
        mean: 5,
        last: { ts: t(100), value: 9 },
        // a gap between minute 2 and minute 90
        series: [0, 1, 2, 90, 91, 100].map((m, i) => ({
          t: t(m),
          min: i,
          max: i + 1,
          mean: i + 0.5,
          count: 1,
        })),
      },
    ],
  },
  predictions: {
    count: 1,
    latest: {
      pipeline: 'p',
      model: `m ${hostile}`,
      modelVersion: '1',
      windowStart: t(50),
      windowEnd: t(60),
      outputs: { [`rul ${hostile}`]: 42 },
      predictedAt: t(61),
    },
    series: [{ model: `m ${hostile}`, output: 'rul', points: [{ t: t(60), value: 42 }] }],
  },
  alerts: {
    total: 1,
    open: 1,
    bySeverity: { CRITICAL: 1 },
    items: [
      {
        alertId: 'a',
        assetId: 'pump',
        rule: `rule ${hostile}`,
        pipeline: 'p',
        severity: `CRITICAL`,
        state: 'RAISED',
        message: `message ${hostile}`,
        value: 1,
        openedAt: t(30),
        raisedAt: t(30),
        resolvedAt: null,
        lastEventTime: t(30),
        acknowledgement: { at: t(40), keyId: 'k', name: `ops ${hostile}` },
      },
    ],
  },
};

describe('the HTML report page', () => {
  const html = renderReportPage(report);

  it('escapes every string that came from data', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=alert(1)>');
    const escaped = '&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;';
    for (const field of ['pump', 'temp', 'rule', 'message', 'ops', 'm', 'rul']) {
      expect(html).toContain(`${field} ${escaped}`);
    }
  });

  it('is self-contained: no script, no external reference', () => {
    expect(html).not.toMatch(/<script|<link|<iframe|javascript:/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(
      /(https?:)?\/\/[a-z]/i,
    );
  });

  it('draws a chart per metric and prediction, breaks lines at gaps, and shades open alerts to the end', () => {
    expect(html.match(/<svg /g)).toHaveLength(2);
    const metricChart = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(metricChart.match(/<polyline class="line"/g)).toHaveLength(2);
    const shade = /<rect class="shade critical" x="([\d.]+)" y="\d+" width="([\d.]+)"/.exec(
      metricChart,
    );
    expect(shade).not.toBeNull();
    // Raised at minute 30 of 120 and still open: from a quarter of the plot to its right edge.
    expect(Number(shade![1])).toBeCloseTo(56 + 492 * 0.25, 0);
    expect(Number(shade![1]) + Number(shade![2])).toBeCloseTo(56 + 492, 0);
  });
});
