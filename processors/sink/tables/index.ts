import { alertsTable } from './alerts-table';
import { featuresTable } from './features-table';
import { predictionsTable } from './predictions-table';
import { readingsTable } from './readings-table';
import type { SinkRole, SinkTable } from './sink-table';

/** How each stored topic is written. */
export const sinkTables: Readonly<Record<SinkRole, SinkTable<never>>> = {
  readings: readingsTable,
  features: featuresTable,
  predictions: predictionsTable,
  alerts: alertsTable,
};

export type { SinkRole, SinkTable } from './sink-table';
export { mergeAlertEvents, type AlertStateRow } from './alert-merge';
