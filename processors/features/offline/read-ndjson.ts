import { z } from 'zod';
import type { Reading } from '../window/types';
import { InputError, type InputLine } from './input-line';
import { parseTimestamp } from './timestamps';

/**
 * One reading per line, as the gateway accepts them:
 * `{"assetId":"pump-7","ts":"2026-12-03T10:00:00Z","metrics":{"temp":71.2},"tags":{"site":"a"}}`,
 * with `ts` in ISO 8601 (with a zone) or epoch milliseconds.
 */
const line = z.strictObject({
  assetId: z.string().min(1),
  ts: z.union([z.number(), z.string()]),
  metrics: z.record(z.string(), z.number()),
  tags: z.record(z.string(), z.string()).optional(),
  receivedAt: z.unknown().optional(),
});

export function parseNdjsonLine(input: InputLine): Reading | undefined {
  if (input.text.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(input.text);
  } catch (cause) {
    throw new InputError(input, `not JSON: ${(cause as Error).message}`);
  }
  const parsed = line.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(input, `${issue.path.join('.') || 'reading'}: ${issue.message}`);
  }
  const { assetId, ts, metrics, tags } = parsed.data;
  return { assetId, ts: parseTimestamp(input, ts), metrics, tags: tags ?? {} };
}
