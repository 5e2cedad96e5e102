import avro from 'avsc';

/**
 * Explains, field by field, how a local record schema differs from a
 * registered one, and whether records written with the registered schema
 * can still be read with the local one (BACKWARD compatibility), which is
 * what a consumer replaying a topic needs.
 */
export interface SchemaDiff {
  readonly compatible: boolean;
  /** Why not, in the resolver's words, when incompatible. */
  readonly reason?: string;
  readonly changes: readonly string[];
}

export function diffSchemas(registered: avro.Schema, local: avro.Schema): SchemaDiff {
  const writer = avro.Type.forSchema(registered);
  const reader = avro.Type.forSchema(local);
  let reason: string | undefined;
  try {
    reader.createResolver(writer);
  } catch (error) {
    reason = (error as Error).message;
  }
  return {
    compatible: reason === undefined,
    reason,
    changes: fieldChanges(asRecord(registered), asRecord(local), ''),
  };
}

interface RecordLike {
  readonly fields: readonly FieldLike[];
}

interface FieldLike {
  readonly name: string;
  readonly type: avro.Schema;
  readonly default?: unknown;
  readonly aliases?: readonly string[];
}

function fieldChanges(
  before: RecordLike | undefined,
  after: RecordLike | undefined,
  prefix: string,
) {
  if (!before || !after) return [];
  const changes: string[] = [];
  const old = new Map(before.fields.map((f) => [f.name, f]));
  const now = new Map(after.fields.map((f) => [f.name, f]));

  for (const field of after.fields) {
    const path = prefix + field.name;
    const previous = old.get(field.name) ?? field.aliases?.map((a) => old.get(a)).find(Boolean);
    if (!previous) {
      changes.push(
        'default' in field
          ? `+ ${path}: added with default ${JSON.stringify(field.default)}`
          : `+ ${path}: added WITHOUT a default, so records already written cannot be read`,
      );
      continue;
    }
    const was = describe(previous.type);
    const is = describe(field.type);
    if (was !== is) changes.push(`~ ${path}: type ${was} -> ${is}`);
    changes.push(...fieldChanges(asRecord(previous.type), asRecord(field.type), `${path}.`));
  }
  for (const field of before.fields) {
    const renamedTo = after.fields.find((f) => f.aliases?.includes(field.name));
    if (!now.has(field.name) && !renamedTo) changes.push(`- ${prefix}${field.name}: removed`);
  }
  return changes;
}

function asRecord(schema: avro.Schema): RecordLike | undefined {
  if (schema && typeof schema === 'object' && !Array.isArray(schema)) {
    const candidate = schema as { type?: unknown; fields?: unknown };
    if (candidate.type === 'record' && Array.isArray(candidate.fields)) {
      return candidate as RecordLike;
    }
  }
  return undefined;
}

function describe(schema: avro.Schema): string {
  if (typeof schema === 'string') return schema;
  if (Array.isArray(schema)) return `[${schema.map(describe).join(', ')}]`;
  const s = schema as {
    type: string;
    name?: string;
    items?: avro.Schema;
    values?: avro.Schema;
    logicalType?: string;
    symbols?: string[];
  };
  switch (s.type) {
    case 'array':
      return `array<${describe(s.items!)}>`;
    case 'map':
      return `map<${describe(s.values!)}>`;
    case 'record':
      return s.name ?? 'record';
    case 'enum':
      return `enum{${(s.symbols ?? []).join(',')}}`;
    default:
      return s.logicalType ? `${s.type}(${s.logicalType})` : s.type;
  }
}
