import type avro from 'avsc';
import type { Message } from 'kafkajs';
import { CORRELATION_HEADER } from '../http/correlation-id';
import type { Reading } from './validate-readings';

/** The Kafka records of one HTTP batch and what they weigh in memory. */
export interface EncodedBatch {
  readonly messages: Message[];
  /** Keys, values and headers, in bytes: what the batch holds until Kafka acknowledges it. */
  readonly bytes: number;
}

const WIRE_HEADER_BYTES = 5;
const MAGIC_BYTE = 0;
// Record framing in Kafka's batch format: lengths, offsets and timestamps
// as varints; an estimate is enough for the in-flight budget.
const RECORD_OVERHEAD_BYTES = 16;
const FIRST_GUESS_BYTES_PER_READING = 160;

/**
 * Encodes readings as Avro in the Confluent wire format, all of a batch
 * into one buffer, each record's value a view into it: one allocation per
 * batch instead of two per reading. Each record carries the asset id as
 * its key (so an asset stays on one partition) and the request's
 * correlation id as a header.
 */
export function encodeReadings(
  readings: readonly Reading[],
  correlationId: string,
  schemaId: number,
  type: avro.Type,
): EncodedBatch {
  let buffer: Buffer = Buffer.allocUnsafe(
    Math.max(1024, readings.length * FIRST_GUESS_BYTES_PER_READING),
  );
  const offsets = new Array<number>(readings.length + 1);
  let pos = 0;
  for (let i = 0; i < readings.length; i++) {
    offsets[i] = pos;
    let end = writeRecord(buffer, pos, schemaId, type, readings[i]!);
    while (end < 0) {
      buffer = grow(buffer, pos, buffer.length * 2 - end);
      end = writeRecord(buffer, pos, schemaId, type, readings[i]!);
    }
    pos = end;
  }
  offsets[readings.length] = pos;

  const header = Buffer.from(correlationId);
  const headers = { [CORRELATION_HEADER]: header };
  const keys = new Map<string, Buffer>();
  const messages = new Array<Message>(readings.length);
  let keyBytes = 0;
  for (let i = 0; i < readings.length; i++) {
    const assetId = readings[i]!.assetId;
    let key = keys.get(assetId);
    if (!key) {
      key = Buffer.from(assetId);
      keys.set(assetId, key);
    }
    keyBytes += key.length;
    messages[i] = { key, value: buffer.subarray(offsets[i], offsets[i + 1]), headers };
  }
  const perRecord = RECORD_OVERHEAD_BYTES + CORRELATION_HEADER.length + header.length;
  return { messages, bytes: pos + keyBytes + perRecord * readings.length };
}

/** Writes one framed record at `pos`; a negative result means the buffer is too small. */
function writeRecord(
  buffer: Buffer,
  pos: number,
  schemaId: number,
  type: avro.Type,
  reading: Reading,
): number {
  if (buffer.length < pos + WIRE_HEADER_BYTES) return -WIRE_HEADER_BYTES;
  buffer[pos] = MAGIC_BYTE;
  buffer.writeUInt32BE(schemaId, pos + 1);
  return type.encode(reading, buffer, pos + WIRE_HEADER_BYTES);
}

function grow(buffer: Buffer, used: number, size: number): Buffer {
  const bigger = Buffer.allocUnsafe(size);
  buffer.copy(bigger, 0, 0, used);
  return bigger;
}
