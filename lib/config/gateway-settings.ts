import { z } from 'zod';
import { MIB, MS_PER_SECOND, int, rate, setting, unicodeRegExp } from './setting-types';

/** The gateway's limits, rate limits and timeouts, and the key client commands send. */
export const gatewaySettings = {
  gatewayKeyCacheMs: setting(
    'SMP_GATEWAY_KEY_CACHE_MS',
    int(0, 10 * 60 * MS_PER_SECOND),
    '5000',
    'How long a gateway caches an API key lookup; a revoked key stops working within this time.',
  ),
  gatewayRequestTimeoutMs: setting(
    'SMP_GATEWAY_REQUEST_TIMEOUT_MS',
    int(1000, 10 * 60 * MS_PER_SECOND),
    '30000',
    'Milliseconds a client has to send a whole request, headers and body; a slower one gets 408.',
  ),
  gatewayHeadersTimeoutMs: setting(
    'SMP_GATEWAY_HEADERS_TIMEOUT_MS',
    int(1000, 10 * 60 * MS_PER_SECOND),
    '10000',
    'Milliseconds a client has to send the request headers; a slower client is cut off with 408.',
  ),
  gatewayMaxBodyBytes: setting(
    'SMP_GATEWAY_MAX_BODY_BYTES',
    int(1024, 256 * MIB),
    String(4 * MIB),
    'Largest request body in bytes after decompression (4 MiB); a larger one gets 413.',
  ),
  gatewayMaxBatchReadings: setting(
    'SMP_GATEWAY_MAX_BATCH_READINGS',
    int(1, 1_000_000),
    '5000',
    'Most readings in one request; a larger batch gets 413.',
  ),
  gatewayMaxMetrics: setting(
    'SMP_GATEWAY_MAX_METRICS',
    int(1, 10_000),
    '100',
    'Most metrics in one reading.',
  ),
  gatewayMaxAssetIdLength: setting(
    'SMP_GATEWAY_MAX_ASSET_ID_LENGTH',
    int(1, 1024),
    '128',
    'Longest asset id, in characters.',
  ),
  gatewayAssetIdPattern: setting(
    'SMP_GATEWAY_ASSET_ID_PATTERN',
    unicodeRegExp,
    String.raw`^[\p{L}\p{N}][\p{L}\p{N}._:@-]*$`,
    'Regular expression (Unicode mode) an asset id must match; ids must also be in Unicode NFC.',
  ),
  gatewayMaxTags: setting('SMP_GATEWAY_MAX_TAGS', int(0, 1000), '16', 'Most tags on one reading.'),
  gatewayMaxTagValueLength: setting(
    'SMP_GATEWAY_MAX_TAG_VALUE_LENGTH',
    int(1, 64 * 1024),
    '256',
    'Longest tag value, in characters (tag names, like metric names, have at most 64).',
  ),
  gatewayMaxClockSkewMs: setting(
    'SMP_GATEWAY_MAX_CLOCK_SKEW_MS',
    int(0, 7 * 24 * 60 * 60 * MS_PER_SECOND),
    String(5 * 60 * MS_PER_SECOND),
    "How far in the future (milliseconds, 5 min) a reading's ts may lie, for producers' clock skew.",
  ),
  gatewayMaxReadingAgeDays: setting(
    'SMP_GATEWAY_MAX_READING_AGE_DAYS',
    int(1, 100 * 365),
    '400',
    "How old a reading's ts may be, in days; the default admits backfills of the last year.",
  ),
  gatewayProduceTimeoutMs: setting(
    'SMP_GATEWAY_PRODUCE_TIMEOUT_MS',
    int(100, 10 * 60 * MS_PER_SECOND),
    '10000',
    'Milliseconds the gateway waits for Kafka to acknowledge a batch before answering 503.',
  ),
  gatewayMaxInFlightBytes: setting(
    'SMP_GATEWAY_MAX_IN_FLIGHT_BYTES',
    int(64 * 1024, 16 * 1024 * MIB),
    String(64 * MIB),
    'Encoded bytes (64 MiB) a gateway holds for Kafka at once; beyond it requests get 503 at once.',
  ),
  gatewayMaxReceivingBytes: setting(
    'SMP_GATEWAY_MAX_RECEIVING_BYTES',
    int(64 * 1024, 16 * 1024 * MIB),
    String(64 * MIB),
    'Request body bytes (64 MiB) a gateway receives and parses at once; beyond it requests get 503.',
  ),
  gatewayKeyRatePerSecond: setting(
    'SMP_GATEWAY_KEY_RATE_PER_S',
    rate,
    '10000',
    'Sustained readings per second per API key and gateway instance (0 = unlimited); keys may override.',
  ),
  gatewayKeyBurst: setting(
    'SMP_GATEWAY_KEY_BURST',
    rate,
    '100000',
    'Readings a key may send at once after being idle, for catch-up uploads; keys may override.',
  ),
  gatewayGlobalRatePerSecond: setting(
    'SMP_GATEWAY_GLOBAL_RATE_PER_S',
    rate,
    '100000',
    'Sustained readings per second across all keys, per gateway instance (0 = unlimited).',
  ),
  gatewayGlobalBurst: setting(
    'SMP_GATEWAY_GLOBAL_BURST',
    rate,
    '500000',
    'Readings all keys together may send at once, per gateway instance.',
  ),
  apiKey: setting(
    'SMP_API_KEY',
    z.string().min(1),
    undefined,
    'The API key client commands (`smp simulate`) send; `--api-key` overrides it.',
  ),
} as const;
