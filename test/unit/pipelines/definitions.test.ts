import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compileSelector,
  formatProblem,
  loadPipelineFile,
  loadPipelines,
  parseDuration,
} from '../../../pipelines';
import { fromRoot } from '../../../lib/package-root';

const dir = mkdtempSync(path.join(os.tmpdir(), 'smp-pipelines-'));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

const valid = `name: pumps
assets:
  ids: ['pump-*']
window:
  type: tumbling
  size: 1m
  grace: 10s
features:
  - metrics: [temp, vib]
    compute: [mean, max]
`;

describe('the shipped pipelines', () => {
  const { pipelines, problems } = loadPipelines(fromRoot('pipelines'), {});

  it('load without a problem', () => {
    expect(problems.map(formatProblem)).toEqual([]);
    expect(pipelines.map((p) => p.name)).toEqual(['cmapss-rul', 'fleet-health']);
  });

  it('include cmapss-rul: FD001 engines, the last 30 cycles at every reading, the cycle count', () => {
    const rul = pipelines.find((p) => p.name === 'cmapss-rul')!;
    expect(rul.window).toMatchObject({ type: 'sliding', sizeMs: 30_000, graceMs: 0 });
    expect(compileSelector(rul.assets).matches('FD001-17', {})).toBe(true);
    expect(compileSelector(rul.assets).matches('FD002-17', {})).toBe(false);
    const keys = rul.features.map((f) => f.key);
    expect(keys).toEqual(expect.arrayContaining(['cycle_last', 'cycle_count', 's2_mean']));
    expect(rul.model).toMatchObject({ name: 'rul-cmapss', outputs: ['rul'] });
  });
});

describe('loading a definition', () => {
  it('builds the window, metrics and feature keys', () => {
    const { definition, problems } = loadPipelineFile(write('pumps.yaml', valid), {});
    expect(problems).toEqual([]);
    expect(definition).toMatchObject({
      name: 'pumps',
      window: { type: 'tumbling', sizeMs: 60_000, hopMs: 60_000, graceMs: 10_000 },
      metrics: ['temp', 'vib'],
    });
    expect(definition!.features.map((f) => f.key)).toEqual([
      'temp_mean',
      'temp_max',
      'vib_mean',
      'vib_max',
    ]);
  });

  it('reads JSON definitions too', () => {
    const json = {
      name: 'json-pumps',
      assets: { ids: ['*'] },
      window: { type: 'sliding', size: '5s' },
      features: [{ metrics: ['t'], compute: ['last'] }],
    };
    const { problems } = loadPipelineFile(write('json-pumps.json', JSON.stringify(json)), {});
    expect(problems).toEqual([]);
  });
});

describe('environment interpolation', () => {
  const text = `name: env
assets:
  ids: ['\${ASSETS:-pump-*}']
window:
  type: tumbling
  size: \${SIZE}
features:
  - metrics: [temp]
    compute: [mean]
model:
  name: m
  outputs: [score]
alerts:
  - name: hot
    on: score
    above: \${LIMIT:-0.8}
    severity: warning
    message: 'literal $\${KEEP}'
`;

  it('takes values from the environment and defaults when unset or empty', () => {
    const file = write('env.yaml', text);
    const { definition, problems } = loadPipelineFile(file, { SIZE: '30s', ASSETS: '' });
    expect(problems).toEqual([]);
    expect(definition!.assets.ids).toEqual(['pump-*']);
    expect(definition!.window.sizeMs).toBe(30_000);
    expect(definition!.alerts[0]).toMatchObject({ above: 0.8, message: 'literal ${KEEP}' });

    const overridden = loadPipelineFile(file, { SIZE: '1m', LIMIT: '0.5', ASSETS: 'fan-*' });
    expect(overridden.definition!.alerts[0]!.above).toBe(0.5);
    expect(overridden.definition!.assets.ids).toEqual(['fan-*']);
  });

  it('refuses a variable that is unset and has no default, naming the line', () => {
    const { problems } = loadPipelineFile(write('env.yaml', text), {});
    expect(problems).toEqual([
      expect.objectContaining({
        line: 6,
        message: 'environment variable SIZE is not set and has no default',
        hint: 'set SIZE, or write ${SIZE:-default}',
      }),
    ]);
  });
});

describe('lint problems', () => {
  function problemsOf(name: string, text: string) {
    return loadPipelineFile(write(`${name}.yaml`, text), {}).problems.map(formatProblem);
  }

  it('name the file, line and column of an unknown key, with the likely intent', () => {
    const text = valid.replace('  grace: 10s', '  grase: 10s');
    expect(problemsOf('pumps', text)).toEqual([
      `${dir}/pumps.yaml:7:3: error: unknown key grase\n    hint: did you mean grace?`,
    ]);
  });

  it('suggest the feature that was meant', () => {
    const [problem] = problemsOf('pumps', valid.replace('[mean, max]', '[mean, maks]'));
    expect(problem).toContain('pumps.yaml:10:21: error: features.0.compute.1: "maks" is not valid');
    expect(problem).toContain('hint: did you mean max?');
  });

  it('ask for a unit on a bare number', () => {
    const [problem] = problemsOf('pumps', valid.replace('size: 1m', 'size: 60'));
    expect(problem).toContain('pumps.yaml:6:9: error: window.size: 60 has no unit');
    expect(problem).toContain('hint: write a duration with its unit');
  });

  it('check the rules that involve several fields', () => {
    const hopping = valid.replace('type: tumbling', 'type: hopping');
    expect(problemsOf('pumps', hopping)[0]).toContain('a hopping window needs a hop');
    const hopTooBig = valid
      .replace('type: tumbling', 'type: hopping')
      .replace('grace: 10s', 'hop: 2m');
    expect(problemsOf('pumps', hopTooBig)[0]).toContain('window.hop: the hop must be positive');
    const tumblingHop = valid.replace('grace: 10s', 'hop: 10s');
    expect(problemsOf('pumps', tumblingHop)[0]).toContain('a tumbling window has no hop');
    const twice = valid.replace('[mean, max]', '[mean, max, mean]');
    expect(problemsOf('pumps', twice)[0]).toContain('temp_mean is computed twice');
    expect(problemsOf('other', valid)[0]).toContain('rename the file to pumps.yaml');
    const noAssets = valid.replace("  ids: ['pump-*']", '  tags: {}');
    expect(problemsOf('pumps', noAssets)[0]).toContain('the pipeline selects no assets');
  });

  it('check that model inputs and alert rules name real features and outputs', () => {
    const text = `${valid}model:
  name: m
  inputs: [temp_mean, temp_maen]
  outputs: [score]
alerts:
  - name: hot
    on: scor
    above: 1
    clear: 2
    severity: warning
`;
    const problems = problemsOf('pumps', text);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain('temp_maen is not a feature of this pipeline');
    expect(problems[0]).toContain('did you mean temp_mean?');
    expect(problems[1]).toContain('scor is not a output or feature of this pipeline');
    expect(problems[2]).toContain('clear (2) must be at most above (1)');
  });

  it('report broken YAML with its position', () => {
    const [problem] = problemsOf('pumps', 'name: [unclosed\nwindow: 1\n');
    expect(problem).toMatch(/pumps\.yaml:\d+:\d+: error: /);
    expect(problem).toContain('check the indentation and quoting');
  });

  it('refuse two files defining the same pipeline', () => {
    const both = mkdtempSync(path.join(os.tmpdir(), 'smp-pipelines-'));
    writeFileSync(path.join(both, 'pumps.yaml'), valid);
    const json = {
      name: 'pumps',
      assets: { ids: ['*'] },
      window: { type: 'sliding', size: '5s' },
      features: [{ metrics: ['t'], compute: ['last'] }],
    };
    writeFileSync(path.join(both, 'pumps.json'), JSON.stringify(json));
    const { pipelines, problems } = loadPipelines(both, {});
    expect(pipelines).toHaveLength(1);
    expect(problems.map(formatProblem)).toEqual([
      `${both}/pumps.yaml:1:1: error: pipeline pumps is also defined in ${both}/pumps.json` +
        '\n    hint: pipeline names must be unique; rename one of them',
    ]);
  });
});

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
    ['2h', 7_200_000],
    [0, 0],
  ])('read %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['30', '5 minutes', '1.0005s', '-1s', ''])('refuse %p', (text) => {
    expect(parseDuration(text)).toHaveProperty('error');
  });
});

describe('asset selection', () => {
  it('matches globs on the id, exclusions and tags', () => {
    const selector = compileSelector({
      ids: ['pump-*', 'fan-??'],
      exclude: ['pump-test-*'],
      tags: { site: 'a*' },
    });
    expect(selector.matches('pump-7', { site: 'a1' })).toBe(true);
    expect(selector.matches('fan-12', { site: 'a' })).toBe(true);
    expect(selector.matches('fan-123', { site: 'a' })).toBe(false);
    expect(selector.matches('pump-test-1', { site: 'a' })).toBe(false);
    expect(selector.matches('pump-7', { site: 'b' })).toBe(false);
    expect(selector.matches('pump-7', {})).toBe(false);
    expect(compileSelector({ ids: ['ünï-*'], exclude: [], tags: {} }).matches('ünï-☃', {})).toBe(
      true,
    );
    expect(compileSelector({ ids: ['a.b'], exclude: [], tags: {} }).matches('aXb', {})).toBe(false);
  });
});
