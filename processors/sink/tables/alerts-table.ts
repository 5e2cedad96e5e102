import type { PoolClient } from 'pg';
import { BinaryCopyBuffer } from '../../../lib/db';
import { copyInto, type CopyOutcome, type CopyTarget } from '../copy-into';
import { firstProblem, keyProblem, textProblem, timeProblem } from '../record-checks';
import type { AlertRecord } from '../records';
import { mergeAlertEvents, type AlertStateRow } from './alert-merge';
import type { SinkTable } from './sink-table';

const events: CopyTarget = {
  table: 'alert_events',
  columns: [
    'alert_id',
    'state',
    'asset_id',
    'rule',
    'pipeline',
    'severity',
    'message',
    'value',
    'event_time',
    'emitted_at',
  ],
};

/** Every event is kept; the alerts table holds each occurrence's merged state. */
export const alertsTable: SinkTable<AlertRecord> = {
  role: 'alerts',
  partitioned: [],
  retention: undefined,
  eventTime: (a) => a.eventTime,

  problem: (a) =>
    firstProblem(
      keyProblem('alertId', a.alertId),
      keyProblem('assetId', a.assetId),
      textProblem('rule', a.rule),
      textProblem('pipeline', a.pipeline),
      textProblem('message', a.message),
      timeProblem('eventTime', a.eventTime),
      timeProblem('emittedAt', a.emittedAt),
      a.value === null || Number.isFinite(a.value) ? undefined : `value is ${a.value}`,
    ),

  async write(client, alerts, mode) {
    const rows = new BinaryCopyBuffer();
    for (const a of alerts) {
      rows
        .row(10)
        .text(a.alertId)
        .text(a.state)
        .text(a.assetId)
        .text(a.rule)
        .text(a.pipeline)
        .text(a.severity)
        .text(a.message);
      if (a.value === null) rows.null();
      else rows.float8(a.value);
      rows.timestamptz(a.eventTime).timestamptz(a.emittedAt);
    }
    const stored = await copyInto(client, events, rows.finish(), rows.rows, mode);
    return [stored, await upsertStates(client, mergeAlertEvents(alerts))];
  },
};

// The same rules as mergeAlertEvents, between a stored state and a new one.
const NEWER =
  '(EXCLUDED.last_event_time, EXCLUDED.last_emitted_at) > (a.last_event_time, a.last_emitted_at)';
const described = ['asset_id', 'rule', 'pipeline', 'severity', 'message', 'value'];

const UPSERT = `
  INSERT INTO alerts AS a (alert_id, asset_id, rule, pipeline, severity, message, value, state,
                           opened_at, raised_at, resolved_at, last_event_time, last_emitted_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                       $7::float8[], $8::text[], $9::timestamptz[], $10::timestamptz[],
                       $11::timestamptz[], $12::timestamptz[], $13::timestamptz[])
  ON CONFLICT (alert_id) DO UPDATE SET
    ${described.map((c) => `${c} = CASE WHEN ${NEWER} THEN EXCLUDED.${c} ELSE a.${c} END`).join(',\n    ')},
    raised_at = LEAST(a.raised_at, EXCLUDED.raised_at),
    resolved_at = LEAST(a.resolved_at, EXCLUDED.resolved_at),
    opened_at = LEAST(a.opened_at, EXCLUDED.opened_at),
    state = CASE WHEN LEAST(a.resolved_at, EXCLUDED.resolved_at) IS NOT NULL THEN 'RESOLVED'
                 WHEN LEAST(a.raised_at, EXCLUDED.raised_at) IS NOT NULL THEN 'RAISED'
                 WHEN ${NEWER} THEN EXCLUDED.state
                 ELSE a.state END,
    last_event_time = GREATEST(a.last_event_time, EXCLUDED.last_event_time),
    last_emitted_at = GREATEST(a.last_emitted_at, EXCLUDED.last_emitted_at),
    updated_at = now()
  WHERE ${NEWER}
     OR a.raised_at IS DISTINCT FROM LEAST(a.raised_at, EXCLUDED.raised_at)
     OR a.resolved_at IS DISTINCT FROM LEAST(a.resolved_at, EXCLUDED.resolved_at)
     OR a.opened_at > EXCLUDED.opened_at`;

async function upsertStates(
  client: PoolClient,
  states: readonly AlertStateRow[],
): Promise<CopyOutcome> {
  const column = <T>(pick: (s: AlertStateRow) => T) => states.map(pick);
  const time = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const result = await client.query(UPSERT, [
    column((s) => s.alertId),
    column((s) => s.assetId),
    column((s) => s.rule),
    column((s) => s.pipeline),
    column((s) => s.severity),
    column((s) => s.message),
    column((s) => s.value),
    column((s) => s.state),
    column((s) => time(s.openedAt)),
    column((s) => time(s.raisedAt)),
    column((s) => time(s.resolvedAt)),
    column((s) => time(s.lastEventTime)),
    column((s) => time(s.lastEmittedAt)),
  ]);
  const changed = result.rowCount ?? 0;
  return { table: 'alerts', inserted: changed, duplicates: states.length - changed };
}
