import { Writable } from 'node:stream';
import { createLogger, redactUrl } from '../../../lib/log';

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

describe('the logger', () => {
  it('writes one JSON object per line with the level by name', () => {
    const out = capture();
    createLogger({ level: 'info', name: 'test', destination: out.stream }).info(
      { assetId: 'a' },
      'hello',
    );
    expect(out.lines()[0]).toMatchObject({
      level: 'info',
      name: 'test',
      assetId: 'a',
      msg: 'hello',
    });
  });

  it('never prints API keys or passwords', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', name: 'test', destination: out.stream });
    logger.info(
      { apiKey: 'smp_secret', req: { headers: { 'x-api-key': 'smp_other' } } },
      'request',
    );
    logger.info({ db: { password: 'hunter2' } }, 'connect');
    const text = JSON.stringify(out.lines());
    expect(text).not.toMatch(/smp_secret|smp_other|hunter2/);
    expect(text).toContain('[redacted]');
  });

  it('keeps the cause of an error', () => {
    const out = capture();
    const cause = new Error('socket hang up');
    createLogger({ level: 'info', name: 'test', destination: out.stream }).error(
      { err: new Error('produce failed', { cause }) },
      'failed',
    );
    expect(JSON.stringify(out.lines()[0])).toContain('socket hang up');
  });
});

describe('redactUrl', () => {
  it('masks the password of a connection URL', () => {
    expect(redactUrl('postgres://smp:hunter2@db:5432/smp')).toBe('postgres://smp:***@db:5432/smp');
  });

  it('never echoes what it cannot parse', () => {
    expect(redactUrl('not a url with hunter2')).toBe('<unparseable url>');
  });
});
