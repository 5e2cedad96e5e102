import type { AlertRecord, AlertState } from '../records';

/** The current state of one alert occurrence, as the alerts table holds it. */
export interface AlertStateRow {
  readonly alertId: string;
  readonly assetId: string;
  readonly rule: string;
  readonly pipeline: string;
  readonly severity: string;
  readonly message: string;
  readonly value: number | null;
  readonly state: AlertState;
  readonly openedAt: number;
  readonly raisedAt: number | null;
  readonly resolvedAt: number | null;
  readonly lastEventTime: number;
  readonly lastEmittedAt: number;
}

/**
 * Folds events into one state per alert. The fold gives the same result in
 * any order and for any repetition, which is what lets a replayed or late
 * RAISED arrive after the RESOLVED without reopening the alert:
 * - raised and resolved times are the earliest of their kind;
 * - resolved once means resolved;
 * - the description (severity, message, value) is the newest event's.
 * The upsert into the alerts table applies the same rules against what is
 * already stored.
 */
export function mergeAlertEvents(events: readonly AlertRecord[]): AlertStateRow[] {
  const states = new Map<string, AlertStateRow>();
  for (const event of events) {
    const current = states.get(event.alertId);
    states.set(event.alertId, current ? merge(current, fromEvent(event)) : fromEvent(event));
  }
  return [...states.values()];
}

export function fromEvent(e: AlertRecord): AlertStateRow {
  const raisedAt = e.state === 'RAISED' ? e.eventTime : null;
  const resolvedAt = e.state === 'RESOLVED' ? e.eventTime : null;
  return {
    alertId: e.alertId,
    assetId: e.assetId,
    rule: e.rule,
    pipeline: e.pipeline,
    severity: e.severity,
    message: e.message,
    value: e.value,
    state: stateOf(raisedAt, resolvedAt, e.state),
    openedAt: e.eventTime,
    raisedAt,
    resolvedAt,
    lastEventTime: e.eventTime,
    lastEmittedAt: e.emittedAt,
  };
}

function merge(a: AlertStateRow, b: AlertStateRow): AlertStateRow {
  const newer = isNewer(b, a) ? b : a;
  const raisedAt = earliest(a.raisedAt, b.raisedAt);
  const resolvedAt = earliest(a.resolvedAt, b.resolvedAt);
  return {
    ...newer,
    state: stateOf(raisedAt, resolvedAt, newer.state),
    openedAt: Math.min(a.openedAt, b.openedAt),
    raisedAt,
    resolvedAt,
    lastEventTime: Math.max(a.lastEventTime, b.lastEventTime),
    lastEmittedAt: Math.max(a.lastEmittedAt, b.lastEmittedAt),
  };
}

/** Newer by event time, then by publication time, as the upsert compares them. */
function isNewer(b: AlertStateRow, a: AlertStateRow): boolean {
  if (b.lastEventTime !== a.lastEventTime) return b.lastEventTime > a.lastEventTime;
  return b.lastEmittedAt > a.lastEmittedAt;
}

function stateOf(raisedAt: number | null, resolvedAt: number | null, fallback: AlertState) {
  if (resolvedAt !== null) return 'RESOLVED';
  if (raisedAt !== null) return 'RAISED';
  return fallback;
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
