import { randomUUID } from 'node:crypto';
import avro from 'avsc';
import { loadConfig } from '../../../lib/config';
import { COMPATIBILITY, RegistryAdmin, registerSchemas, type CatalogEntry } from '../../../schemas';

const config = loadConfig();
const admin = new RegistryAdmin(config.schemaRegistryUrl);

/** A catalog entry under a subject of its own, so the test touches nothing shared. */
function entry(subject: string, fields: unknown[]): CatalogEntry {
  const schema = {
    type: 'record',
    name: 'Probe',
    namespace: 'dev.smp.test',
    fields,
  } as avro.Schema;
  return {
    role: 'readings',
    topic: subject.replace(/-value$/, ''),
    subject,
    file: 'probe.avsc',
    schema,
    text: JSON.stringify(schema),
    type: avro.Type.forSchema(schema),
  };
}

describe('schema registration against the registry', () => {
  const subject = `smp-test-${randomUUID()}-value`;
  const v1 = entry(subject, [
    { name: 'id', type: 'string' },
    { name: 'value', type: 'double' },
  ]);

  it('registers a new subject with transitive backward compatibility, then leaves it unchanged', async () => {
    const [first] = await registerSchemas(admin, [v1]);
    expect(first).toMatchObject({ status: 'registered', version: 1, compatibility: COMPATIBILITY });
    expect(await admin.compatibility(subject)).toBe(COMPATIBILITY);

    const [again] = await registerSchemas(admin, [v1]);
    expect(again).toMatchObject({ status: 'unchanged', id: first!.id, version: 1 });
  });

  it('refuses an incompatible change with a field-by-field account and registers nothing', async () => {
    const broken = entry(subject, [
      { name: 'id', type: 'string' },
      { name: 'value', type: 'string' },
      { name: 'unit', type: 'string' },
    ]);
    const [result] = await registerSchemas(admin, [broken]);
    expect(result!.status).toBe('incompatible');
    expect(result!.changes).toEqual([
      '~ value: type double -> string',
      '+ unit: added WITHOUT a default, so records already written cannot be read',
    ]);
    expect((await admin.latest(subject))?.version).toBe(1);
  });

  it('registers a compatible change as version 2, and only checks when asked to', async () => {
    const v2 = entry(subject, [
      { name: 'id', type: 'string' },
      { name: 'value', type: 'double' },
      { name: 'unit', type: 'string', default: 'si' },
    ]);
    const [dry] = await registerSchemas(admin, [v2], { dryRun: true });
    expect(dry).toMatchObject({
      status: 'would register',
      changes: ['+ unit: added with default "si"'],
    });
    expect((await admin.latest(subject))?.version).toBe(1);

    const [real] = await registerSchemas(admin, [v2]);
    expect(real).toMatchObject({ status: 'registered', version: 2 });
  });
});
