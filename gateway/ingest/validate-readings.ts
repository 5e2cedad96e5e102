import { parseEventTime, type EventTime } from './event-time';
import type { IngestLimits } from './limits';
import { describeValue, isPlainObject, pathOf } from './problem-text';

/** A reading as it goes to Kafka: the Avro `Reading` record. */
export interface Reading {
  readonly assetId: string;
  readonly ts: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly receivedAt: number | null;
}

/** What a client reads in the 400's details: which reading, where in it, and what is wrong. */
export interface Problem {
  readonly index: number;
  readonly path: string;
  readonly message: string;
}

/** The kind of problem, a bounded metric label. */
export type ProblemRule =
  | 'shape'
  | 'unknown_field'
  | 'asset_id'
  | 'ts'
  | 'ts_future'
  | 'ts_too_old'
  | 'metrics'
  | 'metric_value'
  | 'tags'
  | 'duplicate';

export interface BatchValidation {
  /** Every reading, normalised; empty when any reading is invalid. */
  readonly readings: Reading[];
  /** The first `maxProblems` problems, in reading order. */
  readonly problems: Problem[];
  readonly problemCount: number;
  readonly invalidReadings: number;
  readonly problemsByRule: ReadonlyMap<ProblemRule, number>;
}

export interface ValidationClock {
  /** The gateway's clock, for the skew and age limits. */
  readonly now: number;
  /** Stamped on every accepted reading. */
  readonly receivedAt: number;
}

const MAX_PROBLEMS = 100;

// Metric and tag names end up as feature names, column values and label
// values downstream: plain ASCII identifiers keep them safe everywhere.
const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const NAME_RULE = 'must start with a letter and hold at most 64 of A-Z a-z 0-9 _ . -';
const NON_ASCII = /[^\x20-\x7e]/;

/**
 * Checks a whole batch before anything of it is produced: one bad reading
 * fails the batch, and every problem found (up to a cap) is reported so a
 * client can fix them all in one go. Within one batch, two readings of the
 * same asset at the same ts are refused: downstream stages keep one reading
 * per (assetId, ts), so the other would vanish without anyone noticing.
 */
export function validateReadings(
  items: readonly unknown[],
  limits: IngestLimits,
  clock: ValidationClock,
): BatchValidation {
  const check = new BatchCheck(limits, clock);
  for (let i = 0; i < items.length; i++) check.reading(i, items[i]);
  return check.result();
}

class BatchCheck {
  private readonly readings: Reading[] = [];
  private readonly problems: Problem[] = [];
  private readonly byRule = new Map<ProblemRule, number>();
  private readonly seen = new Map<string, number>();
  // Readings of one batch often share an asset or an instant: check each once.
  private readonly validAssetIds = new Set<string>();
  private readonly parsedTimes = new Map<string, EventTime>();
  private problemCount = 0;
  private invalidReadings = 0;
  private currentInvalid = false;
  private readonly earliest: number;
  private readonly latest: number;

  constructor(
    private readonly limits: IngestLimits,
    private readonly clock: ValidationClock,
  ) {
    this.earliest = clock.now - limits.maxAgeMs;
    this.latest = clock.now + limits.maxClockSkewMs;
  }

  result(): BatchValidation {
    return {
      readings: this.invalidReadings === 0 ? this.readings : [],
      problems: this.problems,
      problemCount: this.problemCount,
      invalidReadings: this.invalidReadings,
      problemsByRule: this.byRule,
    };
  }

  reading(index: number, item: unknown): void {
    this.currentInvalid = false;
    if (!isPlainObject(item)) {
      this.report(index, '', 'shape', `must be an object, not ${describeValue(item)}`);
      this.invalidReadings++;
      return;
    }
    for (const key in item) {
      if (key !== 'assetId' && key !== 'ts' && key !== 'metrics' && key !== 'tags') {
        this.report(
          index,
          pathOf('', key),
          'unknown_field',
          'is not a field of a reading (assetId, ts, metrics, tags)',
        );
      }
    }
    const assetId = this.assetId(index, item.assetId);
    const ts = this.ts(index, item.ts);
    const metrics = this.metrics(index, item.metrics);
    const tags = this.tags(index, item.tags);

    if (assetId !== undefined && ts !== undefined) this.duplicate(index, assetId, ts);
    if (this.currentInvalid) {
      this.invalidReadings++;
      return;
    }
    if (this.invalidReadings > 0) return;
    this.readings.push({
      assetId: assetId!,
      ts: ts!,
      metrics: metrics!,
      tags: tags!,
      receivedAt: this.clock.receivedAt,
    });
  }

  private assetId(index: number, value: unknown): string | undefined {
    if (typeof value !== 'string') {
      const message =
        value === undefined ? 'is required' : `must be a string, not ${describeValue(value)}`;
      this.report(index, 'assetId', 'asset_id', message);
      return undefined;
    }
    if (this.validAssetIds.has(value)) return value;
    const ascii = !NON_ASCII.test(value);
    const length = ascii ? value.length : [...value].length;
    if (length === 0 || length > this.limits.maxAssetIdLength) {
      this.report(
        index,
        'assetId',
        'asset_id',
        `must hold 1 to ${this.limits.maxAssetIdLength} characters, not ${length}`,
      );
      return undefined;
    }
    if (!ascii && value.normalize('NFC') !== value) {
      this.report(index, 'assetId', 'asset_id', 'must be in Unicode normalisation form C (NFC)');
      return undefined;
    }
    if (!this.limits.assetIdPattern.test(value)) {
      this.report(
        index,
        'assetId',
        'asset_id',
        `${JSON.stringify(value)} does not match ${this.limits.assetIdPattern.source}`,
      );
      return undefined;
    }
    this.validAssetIds.add(value);
    return value;
  }

  private ts(index: number, value: unknown): number | undefined {
    if (value === undefined) {
      this.report(index, 'ts', 'ts', 'is required');
      return undefined;
    }
    const parsed = typeof value === 'string' ? this.parseText(value) : parseEventTime(value);
    if ('problem' in parsed) {
      this.report(index, 'ts', 'ts', parsed.problem);
      return undefined;
    }
    const ms = parsed.ms;
    if (ms > this.latest) {
      const ahead = Math.round((ms - this.clock.now) / 1000);
      this.report(
        index,
        'ts',
        'ts_future',
        `lies ${ahead} s ahead of the gateway's clock; at most ` +
          `${this.limits.maxClockSkewMs / 1000} s of clock skew is accepted`,
      );
      return undefined;
    }
    if (ms < this.earliest) {
      const days = Math.floor(this.limits.maxAgeMs / 86_400_000);
      const hint = ms >= 0 && ms < 1e11 ? ' (epoch seconds? ts takes milliseconds)' : '';
      this.report(index, 'ts', 'ts_too_old', `is more than ${days} days old${hint}`);
      return undefined;
    }
    return ms;
  }

  private parseText(text: string): EventTime {
    let parsed = this.parsedTimes.get(text);
    if (!parsed) {
      parsed = parseEventTime(text);
      this.parsedTimes.set(text, parsed);
    }
    return parsed;
  }

  private metrics(index: number, value: unknown): Record<string, number> | undefined {
    if (!isPlainObject(value)) {
      const message =
        value === undefined
          ? 'is required: an object of metric name to number'
          : `must be an object of metric name to number, not ${describeValue(value)}`;
      this.report(index, 'metrics', 'metrics', message);
      return undefined;
    }
    let count = 0;
    for (const name in value) {
      count++;
      const metric = value[name];
      if (!NAME.test(name)) {
        this.report(index, pathOf('metrics', name), 'metrics', `name ${NAME_RULE}`);
      } else if (typeof metric !== 'number') {
        const hint = metric === null ? '; omit a metric that has no value' : '';
        this.report(
          index,
          pathOf('metrics', name),
          'metric_value',
          `must be a number, not ${describeValue(metric)}${hint}`,
        );
      } else if (!Number.isFinite(metric)) {
        this.report(index, pathOf('metrics', name), 'metric_value', 'must be a finite number');
      }
    }
    if (count === 0) {
      this.report(index, 'metrics', 'metrics', 'must hold at least one metric');
    } else if (count > this.limits.maxMetrics) {
      this.report(
        index,
        'metrics',
        'metrics',
        `holds ${count} metrics; at most ${this.limits.maxMetrics} are accepted`,
      );
    }
    return value as Record<string, number>;
  }

  private tags(index: number, value: unknown): Record<string, string> | undefined {
    if (value === undefined) return {};
    if (!isPlainObject(value)) {
      this.report(
        index,
        'tags',
        'tags',
        `must be an object of tag name to string, not ${describeValue(value)}`,
      );
      return undefined;
    }
    let count = 0;
    for (const name in value) {
      count++;
      const tag = value[name];
      if (!NAME.test(name)) {
        this.report(index, pathOf('tags', name), 'tags', `name ${NAME_RULE}`);
      } else if (typeof tag !== 'string') {
        this.report(
          index,
          pathOf('tags', name),
          'tags',
          `must be a string, not ${describeValue(tag)}`,
        );
      } else if (tag.length > this.limits.maxTagValueLength) {
        this.report(
          index,
          pathOf('tags', name),
          'tags',
          `holds ${tag.length} characters; at most ${this.limits.maxTagValueLength} are accepted`,
        );
      }
    }
    if (count > this.limits.maxTags) {
      this.report(
        index,
        'tags',
        'tags',
        `holds ${count} tags; at most ${this.limits.maxTags} are accepted`,
      );
    }
    return value as Record<string, string>;
  }

  private duplicate(index: number, assetId: string, ts: number): void {
    const key = `${ts}\u0000${assetId}`;
    const first = this.seen.get(key);
    if (first === undefined) {
      this.seen.set(key, index);
      return;
    }
    this.report(
      index,
      'ts',
      'duplicate',
      `reading ${first} has the same assetId and ts; merge their metrics into one reading`,
    );
  }

  private report(index: number, path: string, rule: ProblemRule, message: string): void {
    this.currentInvalid = true;
    this.problemCount++;
    this.byRule.set(rule, (this.byRule.get(rule) ?? 0) + 1);
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ index, path, message });
  }
}
