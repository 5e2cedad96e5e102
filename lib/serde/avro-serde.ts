import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type avro from 'avsc';
import { catalogEntry, type CatalogEntry } from '../../schemas/catalog';
import { RegistryAdmin } from '../../schemas/registry-client';
import type { TopicRole } from '../kafka/topics';
import { SmpError, messageOf } from '../errors';

const MAGIC_BYTE = 0;
const HEADER_BYTES = 5;

export interface AvroSerdeOptions {
  /** Base URL of the Confluent-compatible API. */
  readonly registryUrl: string;
  /** Register the local schema when the subject does not hold it yet. */
  readonly autoRegister: boolean;
}

/**
 * Avro in the Confluent wire format: a zero byte, the schema id as a 32-bit
 * big-endian integer, then the Avro binary body.
 *
 * Encoding uses the project's schema for the topic, under the id the
 * registry gave it. Decoding reads with the writer's schema (fetched by id
 * once) and resolves into the project's schema, so records written by an
 * older or newer compatible schema come out in the shape this code expects.
 * Types and resolvers are cached; the hot path does no registry calls.
 */
export class AvroSerde {
  readonly registry: SchemaRegistry;
  private readonly admin: RegistryAdmin;
  private readonly autoRegister: boolean;
  private readonly ids = new Map<TopicRole, Promise<number>>();
  private readonly readers = new Map<string, Promise<avro.Type>>();

  constructor(options: AvroSerdeOptions) {
    this.registry = new SchemaRegistry({ host: options.registryUrl });
    this.admin = new RegistryAdmin(options.registryUrl);
    this.autoRegister = options.autoRegister;
  }

  /** The registry id of the project's schema for a topic, looked up once. */
  schemaId(role: TopicRole): Promise<number> {
    let id = this.ids.get(role);
    if (!id) {
      id = this.resolveId(catalogEntry(role));
      id.catch(() => this.ids.delete(role));
      this.ids.set(role, id);
    }
    return id;
  }

  /**
   * A synchronous encoder for one topic, for loops that encode many records
   * after a single await.
   */
  async encoder<T>(role: TopicRole): Promise<(value: T) => Buffer> {
    const id = await this.schemaId(role);
    const { type } = catalogEntry(role);
    return (value) => frame(id, type.toBuffer(value));
  }

  async encode<T>(role: TopicRole, value: T): Promise<Buffer> {
    return (await this.encoder<T>(role))(value);
  }

  /**
   * Decodes a record of a topic. Throws SMP_DECODE_FAILED, whose action is
   * dead-letter, when the bytes are not a valid record of a compatible
   * schema; other failures (registry down) are retryable.
   */
  async decode<T>(role: TopicRole, bytes: Buffer | null): Promise<T> {
    const id = readSchemaId(bytes);
    const reader = await this.reader(role, id);
    try {
      return reader.fromBuffer((bytes as Buffer).subarray(HEADER_BYTES)) as T;
    } catch (cause) {
      throw new SmpError('SMP_DECODE_FAILED', `cannot decode record: ${messageOf(cause)}`, {
        cause,
        context: { schemaId: id },
      });
    }
  }

  private reader(role: TopicRole, id: number): Promise<avro.Type> {
    const key = `${role}:${id}`;
    let reader = this.readers.get(key);
    if (!reader) {
      reader = this.buildReader(catalogEntry(role), id);
      reader.catch(() => this.readers.delete(key));
      this.readers.set(key, reader);
    }
    return reader;
  }

  private async buildReader(entry: CatalogEntry, id: number): Promise<avro.Type> {
    const writer = await this.writerType(id);
    let resolver: avro.Type;
    try {
      resolver = entry.type.createResolver(writer) as avro.Type;
    } catch (cause) {
      throw new SmpError(
        'SMP_DECODE_FAILED',
        `schema ${id} cannot be read as ${entry.subject}: ${messageOf(cause)}`,
        { cause, context: { schemaId: id, subject: entry.subject } },
      );
    }
    return {
      fromBuffer: (buf: Buffer) => entry.type.fromBuffer(buf, resolver as never),
    } as avro.Type;
  }

  private async writerType(id: number): Promise<avro.Type> {
    try {
      return (await this.registry.getSchema(id)) as unknown as avro.Type;
    } catch (cause) {
      const status = (cause as { status?: number }).status;
      if (status === 404) {
        throw new SmpError('SMP_DECODE_FAILED', `schema id ${id} is unknown to the registry`, {
          cause,
          context: { schemaId: id },
        });
      }
      throw new SmpError('SMP_REGISTRY_UNAVAILABLE', `cannot fetch schema ${id}`, { cause });
    }
  }

  private async resolveId(entry: CatalogEntry): Promise<number> {
    const schema = { type: 'AVRO' as never, schema: entry.text };
    try {
      return await this.registry.getRegistryIdBySchema(entry.subject, schema);
    } catch (cause) {
      if (!isNotFound(cause)) {
        throw new SmpError('SMP_REGISTRY_UNAVAILABLE', `cannot look up ${entry.subject}`, {
          cause,
        });
      }
      if (!this.autoRegister) {
        throw new SmpError(
          'SMP_SCHEMA_NOT_REGISTERED',
          `${entry.subject} does not hold the schema in schemas/${entry.file}; run \`smp schemas\``,
          { cause },
        );
      }
    }
    return this.admin.register(entry.subject, entry.text);
  }
}

/** Wraps an Avro body in the wire-format header. */
export function frame(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeUInt8(MAGIC_BYTE, 0);
  out.writeUInt32BE(schemaId, 1);
  body.copy(out, HEADER_BYTES);
  return out;
}

/** The schema id of a wire-format record, or SMP_DECODE_FAILED. */
export function readSchemaId(bytes: Buffer | null): number {
  if (!bytes || bytes.length < HEADER_BYTES) {
    throw new SmpError('SMP_DECODE_FAILED', 'record is shorter than the 5-byte wire header');
  }
  if (bytes[0] !== MAGIC_BYTE) {
    throw new SmpError(
      'SMP_DECODE_FAILED',
      `record starts with byte ${bytes[0]}, not the Confluent magic byte 0`,
    );
  }
  return bytes.readUInt32BE(1);
}

function isNotFound(error: unknown): boolean {
  const e = error as { status?: number; originalError?: { status?: number }; message?: string };
  return (
    e?.status === 404 ||
    e?.originalError?.status === 404 ||
    /not found|40401|40403/i.test(e?.message ?? '')
  );
}
