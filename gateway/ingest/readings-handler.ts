import type { Request, Response } from 'express';
import type avro from 'avsc';
import { SmpError, isSmpError, messageOf } from '../../lib/errors';
import type { Logger } from '../../lib/log';
import type { AvroSerde } from '../../lib/serde/avro-serde';
import { catalogEntry } from '../../schemas';
import { encodeReadings } from './encode-readings';
import type { IngestMetrics, RejectReason } from './ingest-metrics';
import type { IngestLimits } from './limits';
import { parseReadingsBody, type BodyFormat, type ParsedBody } from './parse-body';
import type { Admission, LimitState, RateLimiter } from './rate-limiter';
import type { ReadingsSender } from './readings-sender';
import { validateReadings, type BatchValidation } from './validate-readings';
import '../http/request-context';

export interface ReadingsHandlerDeps {
  readonly limits: IngestLimits;
  readonly limiter: RateLimiter;
  readonly sender: ReadingsSender;
  readonly serde: AvroSerde;
  readonly metrics: IngestMetrics;
  readonly logger: Logger;
  readonly clock?: () => number;
}

const REGISTRY_RETRY_AFTER_SECONDS = 5;

/**
 * `POST /v1/readings` once the key, scope and content type are checked and
 * the body is read: parse, count, rate-limit, validate the whole batch,
 * encode, and answer 202 only after Kafka acknowledged every record.
 * The rate limit comes before validation so that a flood of invalid
 * batches costs its sender tokens as well as the gateway CPU.
 */
export class ReadingsHandler {
  private schema: { id: number; type: avro.Type } | undefined;
  private registryDown = false;
  private readonly clock: () => number;

  constructor(private readonly deps: ReadingsHandlerDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  async handle(req: Request, res: Response, format: BodyFormat): Promise<void> {
    let count: number | undefined;
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const parsed = parseReadingsBody(body, format);
      count = parsed.items.length;
      req.audit.count = count;
      this.checkSize(count);

      const admission = this.admit(req, res, count);
      try {
        const validation = this.validate(parsed);
        const schema = await this.readingSchema();
        const batch = encodeReadings(
          validation.readings,
          req.correlationId,
          schema.id,
          schema.type,
        );
        await this.deps.sender.send(batch);
      } catch (error) {
        if (isRetryable(error)) admission.release();
        throw error;
      }

      this.deps.metrics.accepted.inc(count);
      req.audit.outcome = 'accepted';
      res.status(202).json({ accepted: count });
    } catch (error) {
      if (count !== undefined) this.countRejected(error, count);
      throw error;
    }
  }

  private checkSize(count: number): void {
    if (count === 0) {
      throw new SmpError('SMP_VALIDATION_FAILED', 'the batch holds no readings');
    }
    if (count > this.deps.limits.maxBatchReadings) {
      throw new SmpError(
        'SMP_BATCH_TOO_LARGE',
        `the batch holds ${count} readings; at most ${this.deps.limits.maxBatchReadings} ` +
          'are accepted per request',
      );
    }
  }

  private admit(
    req: Request,
    res: Response,
    count: number,
  ): Extract<Admission, { admitted: true }> {
    const principal = req.principal!;
    const admission = this.deps.limiter.admit(principal.id, principal.rateLimit, count);
    if (admission.state) setLimitHeaders(res, admission.state);
    if (admission.admitted) return admission;

    const { scope, limit } = admission.state;
    this.deps.metrics.rateLimited.inc({ scope, limit: admission.reason });
    if (admission.reason === 'burst') {
      throw new SmpError(
        'SMP_BATCH_TOO_LARGE',
        `the batch holds ${count} readings but the ${scope} rate limit allows at most ` +
          `${limit} at once; split it into smaller batches`,
        { details: [{ limit: scope, burst: limit }] },
      );
    }
    throw new SmpError(
      'SMP_RATE_LIMITED',
      `the ${scope} rate limit is exhausted; retry after ${admission.retryAfterSeconds} s`,
      {
        retryAfterSeconds: admission.retryAfterSeconds,
        details: [{ limit: scope, remaining: admission.state.remaining }],
      },
    );
  }

  private validate(parsed: ParsedBody): BatchValidation {
    const now = this.clock();
    const validation = validateReadings(parsed.items, this.deps.limits, {
      now,
      receivedAt: now,
    });
    for (const [rule, n] of validation.problemsByRule) this.deps.metrics.problems.inc({ rule }, n);
    if (validation.invalidReadings === 0) return validation;

    const shown = validation.problems.length;
    const more = validation.problemCount - shown;
    const lines = parsed.lines;
    throw new SmpError(
      'SMP_VALIDATION_FAILED',
      `${validation.invalidReadings} of ${parsed.items.length} readings are invalid; ` +
        'nothing was accepted' +
        (more > 0 ? ` (${shown} problems shown, ${more} more)` : ''),
      {
        details: lines
          ? validation.problems.map((p) => ({ ...p, line: lines[p.index] }))
          : validation.problems,
      },
    );
  }

  private async readingSchema(): Promise<{ id: number; type: avro.Type }> {
    if (this.schema) return this.schema;
    try {
      const id = await this.deps.serde.schemaId('readings');
      this.schema = { id, type: catalogEntry('readings').type };
      if (this.registryDown)
        this.deps.logger.info({ schemaId: id }, 'schema registry answers again');
      return this.schema;
    } catch (error) {
      if (isSmpError(error, 'SMP_REGISTRY_UNAVAILABLE')) {
        if (!this.registryDown) {
          this.deps.logger.warn(
            { err: messageOf(error.cause ?? error) },
            'schema registry unavailable',
          );
        }
        this.registryDown = true;
        throw new SmpError('SMP_REGISTRY_UNAVAILABLE', error.message, {
          cause: error,
          retryAfterSeconds: REGISTRY_RETRY_AFTER_SECONDS,
        });
      }
      throw error;
    }
  }

  private countRejected(error: unknown, count: number): void {
    this.deps.metrics.rejected.inc({ reason: reasonOf(error) }, count);
  }
}

function setLimitHeaders(res: Response, state: LimitState): void {
  res.setHeader('RateLimit-Limit', String(state.limit));
  res.setHeader('RateLimit-Remaining', String(state.remaining));
  res.setHeader('RateLimit-Reset', String(state.resetSeconds));
  res.setHeader('X-RateLimit-Scope', state.scope);
}

function isRetryable(error: unknown): boolean {
  return isSmpError(error) && error.action === 'retry';
}

const reasons: Partial<Record<string, RejectReason>> = {
  SMP_MALFORMED_BODY: 'malformed',
  SMP_VALIDATION_FAILED: 'invalid',
  SMP_BATCH_TOO_LARGE: 'batch_too_large',
  SMP_RATE_LIMITED: 'rate_limited',
  SMP_KAFKA_UNAVAILABLE: 'kafka_unavailable',
  SMP_OVERLOADED: 'overloaded',
  SMP_NOT_READY: 'overloaded',
  SMP_REGISTRY_UNAVAILABLE: 'registry_unavailable',
};

function reasonOf(error: unknown): RejectReason {
  return (isSmpError(error) && reasons[error.code]) || 'internal';
}
