import avro from 'avsc';
import { schemaCatalog } from '../../../schemas';
import { topics } from '../../../lib/kafka/topics';

describe('the schema catalog', () => {
  const catalog = schemaCatalog();

  it('has a schema for every contract topic under <topic>-value', () => {
    for (const [role, topic] of Object.entries(topics)) {
      expect(catalog.get(role as keyof typeof topics)?.subject).toBe(`${topic}-value`);
    }
  });

  it('documents every field of every schema', () => {
    const undocumented: string[] = [];
    const visit = (schema: unknown, path: string) => {
      if (!schema || typeof schema !== 'object') return;
      const record = schema as {
        type?: string;
        fields?: { name: string; doc?: string; type: unknown }[];
      };
      if (record.type === 'record') {
        for (const field of record.fields ?? []) {
          if (!field.doc) undocumented.push(`${path}.${field.name}`);
          visit(field.type, `${path}.${field.name}`);
        }
      }
    };
    for (const entry of catalog.values()) visit(entry.schema, entry.file);
    expect(undocumented).toEqual([]);
  });

  it('inlines the Reading record into LateReading so the registered schema stands alone', () => {
    const late = catalog.get('late')!;
    expect(late.text).toContain('"name":"Reading"');
    const reading = { assetId: 'a', ts: 1, metrics: { x: 1 }, tags: {}, receivedAt: null };
    const value = {
      reading,
      pipeline: 'p',
      reason: 'window closed',
      lateByMs: 5,
      assetClock: 10,
      detectedAt: 11,
    };
    expect(late.type.fromBuffer(late.type.toBuffer(value))).toEqual(value);
  });

  it('reads timestamps as epoch milliseconds, not dates', () => {
    const type = avro.Type.forSchema(catalog.get('readings')!.schema);
    const decoded = type.fromBuffer(
      type.toBuffer({
        assetId: 'a',
        ts: 1_764_756_000_000,
        metrics: {},
        tags: {},
        receivedAt: null,
      }),
    ) as { ts: unknown };
    expect(decoded.ts).toBe(1_764_756_000_000);
  });
});
