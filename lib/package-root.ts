import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'smart-maintenance-pipeline';

let cached: string | undefined;

/**
 * The folder holding package.json, whether this code runs from the compiled
 * `dist/` tree or from the TypeScript sources under jest. Data files (Avro
 * schemas, SQL migrations, pipeline definitions, Maven poms) are read from
 * there rather than copied into `dist/`.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && readName(manifest) === PACKAGE_NAME) {
      cached = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`cannot find the ${PACKAGE_NAME} folder above ${__dirname}`);
    dir = parent;
  }
}

export function fromRoot(...segments: string[]): string {
  return path.join(packageRoot(), ...segments);
}

function readName(manifest: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}
