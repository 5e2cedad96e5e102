import { z } from 'zod';

/** One environment variable: its name, how it is checked, its default and what it means. */
export interface SettingSpec<T = unknown> {
  readonly env: string;
  readonly schema: z.ZodType<T>;
  readonly default: string | undefined;
  readonly doc: string;
}

export const MS_PER_SECOND = 1000;
export const MIB = 1024 * 1024;

export function setting<T>(
  env: string,
  schema: z.ZodType<T>,
  defaultValue: string | undefined,
  doc: string,
): SettingSpec<T> {
  return { env, schema, default: defaultValue, doc };
}

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const hostPort = z
  .string()
  .regex(/^[^\s:,]+:\d{1,5}$/, 'expected host:port')
  .refine((s) => Number(s.split(':')[1]) <= 65535, 'port must be at most 65535');

export const commaSeparated = z.string().transform((s) =>
  s
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

export const brokerList = commaSeparated.pipe(
  z.array(hostPort).min(1, 'at least one broker is required'),
);

export const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

export const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'expected a postgres:// or postgresql:// URL',
});

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((s) => s === 'true' || s === '1' || s === 'yes');

/** Readings per second or per burst; 0 switches the limit off. */
export const rate = z.coerce.number().min(0).max(1e9);

export const unicodeRegExp = z.string().transform((source, ctx) => {
  try {
    return new RegExp(source, 'u');
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `not a valid regular expression: ${(error as Error).message}`,
    });
    return z.NEVER;
  }
});

// Kafka topic and group names: what a topic name may hold, so that the
// changelog topic derived from a group id is always valid.
export const kafkaName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,200}$/, 'use letters, digits, . _ and -');

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const HOURS_PER_DAY = 24;

// Days of data a table keeps; 0 keeps everything.
export const retentionDays = int(0, 100 * 365);

export const sinkTopicRoles = ['readings', 'features', 'predictions', 'alerts'] as const;

export const sinkTopicList = commaSeparated
  .pipe(
    z
      .array(z.enum(sinkTopicRoles, { error: `expected ${sinkTopicRoles.join(', ')}` }))
      .min(1, 'at least one topic is required'),
  )
  .transform((list) => [...new Set(list)]);
