import type avro from 'avsc';
import { diffSchemas } from '../../../schemas';

const v1: avro.Schema = {
  type: 'record',
  name: 'Thing',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'value', type: 'double' },
  ],
};

function withFields(fields: unknown[]): avro.Schema {
  return { type: 'record', name: 'Thing', fields } as avro.Schema;
}

describe('diffSchemas', () => {
  it('accepts a field added with a default and says so', () => {
    const diff = diffSchemas(
      v1,
      withFields([
        ...(v1 as { fields: unknown[] }).fields,
        { name: 'unit', type: 'string', default: '' },
      ]),
    );
    expect(diff.compatible).toBe(true);
    expect(diff.changes).toEqual(['+ unit: added with default ""']);
  });

  it('refuses a field added without a default and explains why', () => {
    const diff = diffSchemas(
      v1,
      withFields([...(v1 as { fields: unknown[] }).fields, { name: 'unit', type: 'string' }]),
    );
    expect(diff.compatible).toBe(false);
    expect(diff.changes[0]).toMatch(/^\+ unit: added WITHOUT a default/);
  });

  it('reports a type change that cannot be resolved', () => {
    const diff = diffSchemas(
      v1,
      withFields([
        { name: 'id', type: 'string' },
        { name: 'value', type: 'string' },
      ]),
    );
    expect(diff.compatible).toBe(false);
    expect(diff.changes).toEqual(['~ value: type double -> string']);
    expect(diff.reason).toBeDefined();
  });

  it('accepts a promotion Avro allows (int to long) and a removed field', () => {
    const old = withFields([
      { name: 'id', type: 'string' },
      { name: 'n', type: 'int' },
      { name: 'gone', type: 'int' },
    ]);
    const now = withFields([
      { name: 'id', type: 'string' },
      { name: 'n', type: 'long' },
    ]);
    const diff = diffSchemas(old, now);
    expect(diff.compatible).toBe(true);
    expect(diff.changes).toEqual(['~ n: type int -> long', '- gone: removed']);
  });
});
