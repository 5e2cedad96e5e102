import type { Request } from 'express';
import { SmpError } from '../../lib/errors';
import { parseInstant } from '../../lib/instant';

/**
 * Query-string parsing for the read routes. Every route names the
 * parameters it takes; anything else, a parameter given twice or a value
 * that does not parse is a 400 naming the parameter, so a typo such as
 * `?form=` never silently returns unfiltered data.
 */
export type RawParams = Readonly<Record<string, string>>;

export function queryParams(req: Request, allowed: readonly string[]): RawParams {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.query)) {
    if (!allowed.includes(name)) {
      throw badParam(name, `is not a parameter of this route; it takes ${allowed.join(', ')}`);
    }
    if (typeof value !== 'string') throw badParam(name, 'is given more than once');
    params[name] = value;
  }
  return params;
}

/** ISO-8601 with a zone, or epoch milliseconds; undefined when absent. */
export function timeParam(params: RawParams, name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const ms = parseInstant(raw);
  if (ms === undefined) {
    throw badParam(
      name,
      `must be an ISO-8601 time with a zone (2026-12-03T10:00:00Z) or epoch milliseconds; got ${quote(raw)}`,
    );
  }
  return ms;
}

export function limitParam(params: RawParams, fallback: number, max: number): number {
  const raw = params.limit;
  if (raw === undefined) return fallback;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= max)) {
    throw badParam('limit', `must be a whole number from 1 to ${max}; got ${quote(raw)}`);
  }
  return n;
}

export function choiceParam<T extends string>(
  params: RawParams,
  name: string,
  choices: readonly T[],
): T | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const match = choices.find((c) => c.toLowerCase() === raw.toLowerCase());
  if (!match) throw badParam(name, `must be one of ${choices.join(', ')}; got ${quote(raw)}`);
  return match;
}

/** A free-text filter such as a model name. */
export function textParam(params: RawParams, name: string): string | undefined {
  const raw = params[name];
  if (raw === undefined) return undefined;
  if (raw.length === 0 || raw.length > 800 || raw.includes('\u0000')) {
    throw badParam(name, 'must be between 1 and 800 characters');
  }
  return raw;
}

/** A comma-separated list of names. */
export function listParam(params: RawParams, name: string, max: number): string[] | undefined {
  const raw = textParam(params, name);
  if (raw === undefined) return undefined;
  const items = [
    ...new Set(
      raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (items.length === 0 || items.length > max) {
    throw badParam(name, `must list between 1 and ${max} names, separated by commas`);
  }
  return items;
}

/** An id taken from the path (Express has already decoded it). */
export function pathId(req: Request, name: string): string {
  const raw = req.params[name];
  if (typeof raw !== 'string' || raw.length === 0 || Buffer.byteLength(raw) > 800) {
    throw new SmpError('SMP_BAD_REQUEST', `${name} must be between 1 and 800 bytes`);
  }
  if (raw.includes('\u0000')) throw new SmpError('SMP_BAD_REQUEST', `${name} contains a NUL`);
  return raw;
}

/** A time range [from, to); `from` must come before `to`. */
export function checkRange(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && from >= to) {
    throw new SmpError('SMP_BAD_REQUEST', 'from must be earlier than to', {
      details: [{ parameter: 'from', message: 'must be earlier than to' }],
    });
  }
}

export function badParam(name: string, message: string): SmpError {
  return new SmpError('SMP_BAD_REQUEST', `query parameter ${name} ${message}`, {
    details: [{ parameter: name, message }],
  });
}

function quote(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
}
