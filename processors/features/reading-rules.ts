import type { Reading } from './window/types';

/**
 * What a reading must satisfy before it reaches a window, in the stream and
 * offline alike: the contract says metrics are finite, and an asset id is
 * never empty. Returns what is wrong, or undefined.
 */
export function readingProblem(reading: Reading): string | undefined {
  if (typeof reading.assetId !== 'string' || reading.assetId.length === 0) {
    return 'the asset id is empty';
  }
  if (!Number.isSafeInteger(reading.ts)) {
    return `ts ${String(reading.ts)} is not a whole number of epoch milliseconds`;
  }
  for (const [name, value] of Object.entries(reading.metrics)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return `metric ${name} is ${String(value)}, not a finite number`;
    }
  }
  return undefined;
}
