/**
 * Rows in PostgreSQL's binary COPY format
 * (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4):
 * a signature, then per row a field count and each field as a length and
 * its bytes in the type's binary send format. The server does no parsing
 * of numbers or timestamps, and text needs no escaping, which makes it the
 * cheapest way to load rows.
 *
 * The buffer grows in chunks that are handed to the COPY stream as they
 * are; an encoded batch can be sent more than once (a retry, a fallback
 * through a staging table).
 */
export class BinaryCopyBuffer {
  private readonly chunks: Buffer[] = [];
  private chunk: Buffer;
  private offset = 0;
  private rowCount = 0;

  constructor(private readonly chunkBytes = 256 * 1024) {
    this.chunk = Buffer.allocUnsafe(chunkBytes);
    this.ensure(SIGNATURE.length + 8);
    SIGNATURE.copy(this.chunk, this.offset);
    this.offset += SIGNATURE.length;
    this.int32(0); // flags
    this.int32(0); // header extension length
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Starts a row of `fields` fields. */
  row(fields: number): this {
    this.ensure(2);
    this.chunk.writeInt16BE(fields, this.offset);
    this.offset += 2;
    this.rowCount++;
    return this;
  }

  text(value: string): this {
    const maxBytes = value.length * 3;
    this.ensure(4 + maxBytes);
    const written = this.chunk.write(value, this.offset + 4, 'utf8');
    this.chunk.writeInt32BE(written, this.offset);
    this.offset += 4 + written;
    return this;
  }

  float8(value: number): this {
    this.ensure(12);
    this.chunk.writeInt32BE(8, this.offset);
    this.chunk.writeDoubleBE(value, this.offset + 4);
    this.offset += 12;
    return this;
  }

  int4(value: number): this {
    this.ensure(8);
    this.chunk.writeInt32BE(4, this.offset);
    this.chunk.writeInt32BE(value, this.offset + 4);
    this.offset += 8;
    return this;
  }

  /** A timestamptz from epoch milliseconds: microseconds since 2000-01-01 UTC. */
  timestamptz(epochMs: number): this {
    const micros = (epochMs - PG_EPOCH_MS) * 1000;
    const high = Math.floor(micros / TWO_32);
    this.ensure(12);
    this.chunk.writeInt32BE(8, this.offset);
    this.chunk.writeInt32BE(high, this.offset + 4);
    this.chunk.writeUInt32BE(micros - high * TWO_32, this.offset + 8);
    this.offset += 12;
    return this;
  }

  /** jsonb's binary form is a version byte and the JSON text. */
  jsonb(value: unknown): this {
    const json = JSON.stringify(value);
    this.ensure(5 + json.length * 3);
    const written = this.chunk.write(json, this.offset + 5, 'utf8');
    this.chunk.writeInt32BE(written + 1, this.offset);
    this.chunk.writeUInt8(1, this.offset + 4);
    this.offset += 5 + written;
    return this;
  }

  /** A one-dimensional text[]; an empty array has no dimensions. */
  textArray(values: readonly string[]): this {
    const header = values.length === 0 ? 12 : 20;
    let bytes = header;
    for (const value of values) bytes += 4 + Buffer.byteLength(value, 'utf8');
    this.int32(bytes);
    this.int32(values.length === 0 ? 0 : 1);
    this.int32(0); // no nulls
    this.int32(TEXT_OID);
    if (values.length > 0) {
      this.int32(values.length);
      this.int32(1); // lower bound
      for (const value of values) this.text(value);
    }
    return this;
  }

  null(): this {
    return this.int32(-1);
  }

  /** The encoded rows with the trailer, ready to stream; the buffer is done. */
  finish(): Buffer[] {
    this.ensure(2);
    this.chunk.writeInt16BE(-1, this.offset);
    this.offset += 2;
    this.chunks.push(this.chunk.subarray(0, this.offset));
    return this.chunks;
  }

  private int32(value: number): this {
    this.ensure(4);
    this.chunk.writeInt32BE(value, this.offset);
    this.offset += 4;
    return this;
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.chunk.length) return;
    if (this.offset > 0) this.chunks.push(this.chunk.subarray(0, this.offset));
    this.chunk = Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
    this.offset = 0;
  }
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;
const TEXT_OID = 25;
