import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fromRoot } from '../../../lib/package-root';

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}

/** Every `smp_*` metric the project defines, read from its sources. */
function definedMetrics(): Set<string> {
  const names = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(file);
      else if (entry.name.endsWith('.ts')) {
        for (const match of readFileSync(file, 'utf8').matchAll(/name: '(smp_[a-z0-9_]+)'/g)) {
          names.add(match[1]!);
        }
      }
    }
  };
  for (const dir of ['gateway', 'processors', 'lib']) visit(fromRoot(dir));
  return names;
}

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(
    readFileSync(fromRoot('infra', 'grafana', 'dashboards', 'pipeline.json'), 'utf8'),
  ) as { panels: Panel[] };
  const queries = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

  it('queries only metrics the stages export', () => {
    const defined = definedMetrics();
    const used = new Set(
      queries.flatMap((q) =>
        [...q.matchAll(/\b(smp_[a-z0-9_]+?)(?:_bucket|_sum|_count)?\b/g)].map((m) => m[1]!),
      ),
    );
    expect([...used].filter((name) => !defined.has(name))).toEqual([]);
  });

  it('shows throughput, lag, late and dead-lettered data, and errors', () => {
    const text = queries.join('\n');
    for (const metric of [
      'smp_gateway_readings_accepted_total',
      'smp_http_requests_total',
      'smp_features_consumer_lag',
      'smp_features_late_total',
      'smp_sink_commit_lag_records',
      'smp_dead_letters_total',
    ]) {
      expect(text).toContain(metric);
    }
  });
});
