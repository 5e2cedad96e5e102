import { mergeAlertEvents } from '../../../../processors/sink/tables';
import type { AlertRecord } from '../../../../processors/sink';

const event = (state: AlertRecord['state'], at: number, message: string): AlertRecord => ({
  alertId: 'a-1',
  assetId: 'pump-7',
  rule: 'temp-high',
  pipeline: 'pumps',
  state,
  severity: 'CRITICAL',
  message,
  value: at,
  eventTime: at,
  emittedAt: at + 5,
});

const raised = event('RAISED', 1000, 'hot');
const resolved = event('RESOLVED', 5000, 'cool again');

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe("an alert's state merged from its events", () => {
  it('is the same in every order and with repeats: resolved stays resolved', () => {
    const expected = {
      alertId: 'a-1',
      state: 'RESOLVED',
      openedAt: 1000,
      raisedAt: 1000,
      resolvedAt: 5000,
      lastEventTime: 5000,
      lastEmittedAt: 5005,
      message: 'cool again',
      value: 5000,
    };
    for (const order of permutations([raised, resolved, raised, resolved])) {
      expect(mergeAlertEvents(order)).toEqual([expect.objectContaining(expected)]);
    }
  });

  it('is raised while only the raise is known, and opened when it was raised', () => {
    expect(mergeAlertEvents([raised, raised])).toEqual([
      expect.objectContaining({ state: 'RAISED', openedAt: 1000, resolvedAt: null }),
    ]);
  });

  it('keeps apart the states of different alerts', () => {
    const other = { ...raised, alertId: 'a-2' };
    expect(mergeAlertEvents([raised, other, resolved]).map((s) => [s.alertId, s.state])).toEqual([
      ['a-1', 'RESOLVED'],
      ['a-2', 'RAISED'],
    ]);
  });
});
