/**
 * The one registry of error codes. Each code has the HTTP status it maps to
 * at the gateway and what the caller should do about it:
 *   retry       - transient; the same request may succeed later
 *   dead-letter - the record itself is bad; park it and go on
 *   fix         - the request or the setup is wrong; retrying will not help
 *   stop        - the process cannot continue
 * The README documents every code; a test keeps the two in step.
 */
export type ErrorAction = 'retry' | 'dead-letter' | 'fix' | 'stop';

interface ErrorSpec {
  readonly status: number;
  readonly action: ErrorAction;
}

export const errorCodes = {
  SMP_CONFIG_INVALID: { status: 500, action: 'stop' },
  SMP_STACK_PREREQUISITE: { status: 500, action: 'fix' },
  SMP_STACK_PORT_IN_USE: { status: 500, action: 'fix' },
  SMP_STACK_START_FAILED: { status: 500, action: 'fix' },
  SMP_SCHEMA_INCOMPATIBLE: { status: 500, action: 'fix' },
  SMP_SCHEMA_NOT_REGISTERED: { status: 500, action: 'fix' },
  SMP_REGISTRY_UNAVAILABLE: { status: 503, action: 'retry' },
  SMP_DECODE_FAILED: { status: 500, action: 'dead-letter' },
  SMP_READING_INVALID: { status: 500, action: 'dead-letter' },
  SMP_PIPELINE_INVALID: { status: 500, action: 'fix' },
  SMP_INPUT_FILE_INVALID: { status: 500, action: 'fix' },
  SMP_STATE_TOPIC_MISMATCH: { status: 500, action: 'stop' },
  SMP_MIGRATION_FAILED: { status: 500, action: 'stop' },
  SMP_MIGRATION_CHANGED: { status: 500, action: 'stop' },
  SMP_STORAGE_MISMATCH: { status: 500, action: 'stop' },
  SMP_RECORD_INVALID: { status: 500, action: 'dead-letter' },
  SMP_ROW_REJECTED: { status: 500, action: 'dead-letter' },
  SMP_AUTH_REQUIRED: { status: 401, action: 'fix' },
  SMP_AUTH_INVALID: { status: 401, action: 'fix' },
  SMP_SCOPE_MISSING: { status: 403, action: 'fix' },
  SMP_NOT_FOUND: { status: 404, action: 'fix' },
  SMP_BAD_REQUEST: { status: 400, action: 'fix' },
  SMP_REQUEST_TIMEOUT: { status: 408, action: 'retry' },
  SMP_MALFORMED_BODY: { status: 400, action: 'fix' },
  SMP_VALIDATION_FAILED: { status: 400, action: 'fix' },
  SMP_BODY_TOO_LARGE: { status: 413, action: 'fix' },
  SMP_BATCH_TOO_LARGE: { status: 413, action: 'fix' },
  SMP_UNSUPPORTED_MEDIA_TYPE: { status: 415, action: 'fix' },
  SMP_RATE_LIMITED: { status: 429, action: 'retry' },
  SMP_KAFKA_UNAVAILABLE: { status: 503, action: 'retry' },
  SMP_OVERLOADED: { status: 503, action: 'retry' },
  SMP_DATABASE_UNAVAILABLE: { status: 503, action: 'retry' },
  SMP_NOT_READY: { status: 503, action: 'retry' },
  SMP_INTERNAL: { status: 500, action: 'retry' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCodes;

export interface SmpErrorOptions {
  readonly cause?: unknown;
  /** Items a client can act on, such as validation problems. */
  readonly details?: readonly unknown[];
  /** Context for logs (topic, partition, offset, assetId...); never sent to clients. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Seconds a client should wait before retrying (429 and 503). */
  readonly retryAfterSeconds?: number;
}

export class SmpError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly unknown[];
  readonly context: Readonly<Record<string, unknown>>;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: SmpErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SmpError';
    this.code = code;
    this.details = options.details ?? [];
    this.context = options.context ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  get action(): ErrorAction {
    return errorCodes[this.code].action;
  }
}

export function isSmpError(error: unknown, code?: ErrorCode): error is SmpError {
  return error instanceof SmpError && (code === undefined || error.code === code);
}

/** The message of anything thrown, for logs and CLI output. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
