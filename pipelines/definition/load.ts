import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isMap, isPair, isScalar, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { closestMatch } from '../../lib/did-you-mean';
import { buildDefinition, type DefinitionIssue } from './build-definition';
import { interpolateDocument } from './interpolate';
import type { DefinitionProblem } from './problems';
import { knownKeysAt, pipelineFileSchema } from './schema';
import type { PipelineDefinition } from './types';

export interface LoadResult {
  readonly pipelines: PipelineDefinition[];
  readonly problems: DefinitionProblem[];
  readonly files: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Loads every definition in a folder (`*.yaml`, `*.yml`, `*.json`, in name
 * order) or one file. Nothing is thrown for bad definitions: each problem
 * comes back with its file, line and a hint, so a linter can show them all.
 */
export function loadPipelines(location: string, env: Env = process.env): LoadResult {
  const files = definitionFiles(location);
  const pipelines: PipelineDefinition[] = [];
  const problems: DefinitionProblem[] = [];
  const byName = new Map<string, string>();

  for (const file of files) {
    const result = loadPipelineFile(file, env);
    problems.push(...result.problems);
    if (!result.definition) continue;
    const other = byName.get(result.definition.name);
    if (other) {
      problems.push({
        file,
        line: 1,
        column: 1,
        message: `pipeline ${result.definition.name} is also defined in ${other}`,
        hint: 'pipeline names must be unique; rename one of them',
      });
      continue;
    }
    byName.set(result.definition.name, file);
    pipelines.push(result.definition);
  }
  return { pipelines, problems, files };
}

export function loadPipelineFile(
  file: string,
  env: Env = process.env,
): { definition?: PipelineDefinition; problems: DefinitionProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    const message = `cannot read the file: ${(cause as Error).message}`;
    return { problems: [{ file, line: 0, column: 0, message, hint: undefined }] };
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (offset: number, message: string, hint?: string): DefinitionProblem => {
    const pos = lines.linePos(offset);
    return { file, line: pos.line, column: pos.col, message, hint };
  };

  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) =>
        at(e.pos[0], e.message.split('\n')[0]!, 'check the indentation and quoting'),
      ),
    };
  }
  const interpolation = interpolateDocument(doc, env);
  if (interpolation.length > 0) {
    return { problems: interpolation.map((i) => at(i.offset, i.message, i.hint)) };
  }

  const parsed = pipelineFileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return { problems: parsed.error.issues.flatMap((i) => fromZod(doc, i, at)) };
  }
  const built = buildDefinition(parsed.data, file);
  if ('issues' in built) {
    return { problems: built.issues.map((i) => locate(doc, i, at)) };
  }
  return { definition: built.definition, problems: [] };
}

type Locate = (offset: number, message: string, hint?: string) => DefinitionProblem;

function fromZod(doc: Document, issue: z.core.$ZodIssue, at: Locate): DefinitionProblem[] {
  const where = issue.path as (string | number)[];
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(where);
    return issue.keys.map((key) => {
      const close = closestMatch(key, known);
      const hint = close ? `did you mean ${close}?` : `known keys: ${known.join(', ')}`;
      return at(keyOffset(doc, where, key), `unknown key ${key}`, hint);
    });
  }
  let hint = (issue as { params?: { hint?: string } }).params?.hint;
  if (issue.code === 'invalid_value') {
    const options = issue.values.map(String);
    const given = doc.getIn(where);
    const close = typeof given === 'string' ? closestMatch(given, options) : undefined;
    hint = close ? `did you mean ${close}?` : `one of: ${options.join(', ')}`;
  }
  const message =
    issue.code === 'invalid_value' ? `${describe(doc, where)} is not valid` : issue.message;
  return [locate(doc, { path: where, message, hint }, at)];
}

function locate(doc: Document, issue: DefinitionIssue, at: Locate): DefinitionProblem {
  const field = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return at(valueOffset(doc, issue.path), `${field}${issue.message}`, issue.hint);
}

/** Offset of the node at a path, or of its nearest ancestor present in the file. */
function valueOffset(doc: Document, at: readonly (string | number)[]): number {
  for (let n = at.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(at.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (range) return range[0];
  }
  return 0;
}

function keyOffset(doc: Document, at: readonly (string | number)[], key: string): number {
  const map = at.length === 0 ? doc.contents : doc.getIn(at, true);
  if (isMap(map)) {
    const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (range) return range[0];
  }
  return valueOffset(doc, at);
}

function describe(doc: Document, at: readonly (string | number)[]): string {
  const value = doc.getIn(at);
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function definitionFiles(location: string): string[] {
  if (!statSync(location, { throwIfNoEntry: false })?.isDirectory()) return [location];
  return readdirSync(location)
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort()
    .map((name) => path.join(location, name));
}
