import { loadConfig } from '../../../../lib/config';
import { isSmpError } from '../../../../lib/errors';

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (isSmpError(error, 'SMP_CONFIG_INVALID')) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.kafkaBrokers).toEqual(['localhost:9092']);
    expect(config.schemaRegistryUrl).toBe('http://localhost:8081/apis/ccompat/v7');
    expect(config.databaseUrl).toBe('postgres://smp:smp@127.0.0.1:55432/smp');
    expect(config.gatewayPort).toBe(8080);
    expect(config.logLevel).toBe('info');
    expect(config.topicPartitions).toBe(6);
  });

  it('parses a broker list with spaces and several brokers', () => {
    const config = loadConfig({ KAFKA_BROKERS: ' a:9092, b:9093 ' });
    expect(config.kafkaBrokers).toEqual(['a:9092', 'b:9093']);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ GATEWAY_PORT: '  ' }).gatewayPort).toBe(8080);
  });

  it('names a malformed setting and shows the offending value', () => {
    const message = problemsOf({ GATEWAY_PORT: 'eighty' });
    expect(message).toContain('GATEWAY_PORT');
    expect(message).toContain('"eighty"');
  });

  it('reports every problem at once', () => {
    const message = problemsOf({
      GATEWAY_PORT: '70000',
      KAFKA_BROKERS: 'no-port',
      LOG_LEVEL: 'loud',
    });
    expect(message).toContain('GATEWAY_PORT');
    expect(message).toContain('KAFKA_BROKERS');
    expect(message).toContain('LOG_LEVEL');
  });

  it('refuses an unknown SMP_ variable and suggests the closest name', () => {
    const message = problemsOf({ SMP_TOPIC_PARTITION: '3' });
    expect(message).toContain(
      'SMP_TOPIC_PARTITION: is not a known setting; did you mean SMP_TOPIC_PARTITIONS?',
    );
  });

  it('answers a renamed setting with its new name', () => {
    expect(problemsOf({ KAFKA_BROKER: 'x:1' })).toContain(
      'KAFKA_BROKER: was renamed: use KAFKA_BROKERS instead',
    );
  });

  it('never prints a database URL, which may hold a password', () => {
    const message = problemsOf({ DATABASE_URL: 'mysql://u:hunter2@h/db' });
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('hunter2');
  });

  it('ignores variables of other programs', () => {
    expect(() => loadConfig({ PATH: '/bin', HOME: '/root', NODE_ENV: 'test' })).not.toThrow();
  });

  it('accepts booleans in their usual spellings', () => {
    expect(loadConfig({ SMP_SCHEMA_AUTO_REGISTER: 'no' }).schemaAutoRegister).toBe(false);
    expect(loadConfig({ SMP_SCHEMA_AUTO_REGISTER: '1' }).schemaAutoRegister).toBe(true);
    expect(problemsOf({ SMP_SCHEMA_AUTO_REGISTER: 'maybe' })).toContain('expected true or false');
  });
});
