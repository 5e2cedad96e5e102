import { readFileSync } from 'node:fs';
import { settings } from '../../../lib/config';
import { errorCodes } from '../../../lib/errors';
import { fromRoot } from '../../../lib/package-root';

const readme = readFileSync(fromRoot('README.md'), 'utf8');

function tableRowFor(name: string): string | undefined {
  return readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
}

describe('the README', () => {
  it.each(Object.values(settings).map((s) => [s.env, s]))(
    'documents the setting %s with its default',
    (_name, spec) => {
      const row = tableRowFor(spec.env);
      expect(row).toBeDefined();
      if (spec.default !== undefined) expect(row).toContain(`\`${spec.default}\``);
    },
  );

  it.each(Object.entries(errorCodes))(
    'documents the error code %s with its action',
    (code, spec) => {
      const row = tableRowFor(code);
      expect(row).toBeDefined();
      expect(row).toContain(`| ${spec.action} |`);
      if (spec.status < 500 || spec.status === 503) expect(row).toContain(`| ${spec.status} |`);
    },
  );
});
