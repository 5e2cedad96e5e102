import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { fromRoot } from '../lib/package-root';
import { topics, type TopicRole } from '../lib/kafka/topics';

/** A local Avro schema and where it is registered. */
export interface CatalogEntry {
  readonly role: TopicRole;
  readonly topic: string;
  /** Topic-name strategy: `<topic>-value`. */
  readonly subject: string;
  readonly file: string;
  /** The schema as registered: self-contained, named types inlined. */
  readonly schema: avro.Schema;
  readonly text: string;
  readonly type: avro.Type;
}

const files: Record<TopicRole, string> = {
  readings: 'reading.avsc',
  features: 'feature-vector.avsc',
  predictions: 'prediction.avsc',
  alerts: 'alert.avsc',
  late: 'late-reading.avsc',
  dlq: 'dead-letter.avsc',
};

let catalog: ReadonlyMap<TopicRole, CatalogEntry> | undefined;

/** Every contract topic's value schema, parsed once per process. */
export function schemaCatalog(): ReadonlyMap<TopicRole, CatalogEntry> {
  if (!catalog) catalog = loadCatalog((file) => readFileSync(fromRoot('schemas', file), 'utf8'));
  return catalog;
}

export function catalogEntry(role: TopicRole): CatalogEntry {
  const entry = schemaCatalog().get(role);
  if (!entry) throw new Error(`no schema for topic role ${role}`);
  return entry;
}

export function subjectFor(topic: string): string {
  return `${topic}-value`;
}

/**
 * Loads the .avsc files through `read` (so tests can feed edited copies).
 * A schema may name a record defined in another file by its full name; the
 * registered form inlines that definition because a Confluent-style registry
 * resolves names only within one schema unless references are declared.
 */
export function loadCatalog(read: (file: string) => string): ReadonlyMap<TopicRole, CatalogEntry> {
  const parsed = new Map<TopicRole, avro.Schema>();
  for (const [role, file] of Object.entries(files) as [TopicRole, string][]) {
    parsed.set(role, JSON.parse(read(file)) as avro.Schema);
  }
  const named = new Map<string, avro.Schema>();
  for (const schema of parsed.values()) {
    const name = fullName(schema);
    if (name) named.set(name, schema);
  }

  const entries = new Map<TopicRole, CatalogEntry>();
  for (const [role, raw] of parsed) {
    const schema = inlineReferences(raw, named, new Set([fullName(raw) ?? '']));
    const topic = topics[role];
    entries.set(role, {
      role,
      topic,
      subject: subjectFor(topic),
      file: files[role],
      schema,
      text: JSON.stringify(schema),
      type: avro.Type.forSchema(schema),
    });
  }
  return entries;
}

function fullName(schema: avro.Schema): string | undefined {
  if (typeof schema !== 'object' || Array.isArray(schema) || !('name' in schema)) return undefined;
  const { name, namespace } = schema as { name: string; namespace?: string };
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

function inlineReferences(
  node: unknown,
  named: ReadonlyMap<string, avro.Schema>,
  seen: Set<string>,
): avro.Schema {
  if (typeof node === 'string') {
    const target = named.get(node);
    if (!target || seen.has(node)) return node;
    seen.add(node);
    return inlineReferences(target, named, seen);
  }
  if (Array.isArray(node)) return node.map((n) => inlineReferences(n, named, seen)) as avro.Schema;
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      const isTypePosition = key === 'type' || key === 'items' || key === 'values';
      out[key] = isTypePosition || key === 'fields' ? inlineReferences(value, named, seen) : value;
    }
    return out as avro.Schema;
  }
  return node as avro.Schema;
}
