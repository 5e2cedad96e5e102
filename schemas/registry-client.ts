import { SmpError } from '../lib/errors';

/**
 * The administrative half of the Confluent Schema Registry REST API that
 * `@kafkajs/confluent-schema-registry` does not expose: compatibility
 * settings, compatibility tests and plain registration without the client's
 * own compatibility pre-check. Works against Confluent and against
 * Apicurio's ccompat API alike.
 */
export class RegistryAdmin {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  subjects(): Promise<string[]> {
    return this.request<string[]>('GET', '/subjects');
  }

  async latest(subject: string): Promise<RegisteredVersion | undefined> {
    try {
      return await this.request<RegisteredVersion>(
        'GET',
        `/subjects/${enc(subject)}/versions/latest`,
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** The version of `subject` holding exactly `schema`, if any. */
  async lookup(subject: string, schema: string): Promise<RegisteredVersion | undefined> {
    try {
      return await this.request<RegisteredVersion>('POST', `/subjects/${enc(subject)}`, { schema });
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async register(subject: string, schema: string): Promise<number> {
    const body = { schema };
    const result = await this.request<{ id: number }>(
      'POST',
      `/subjects/${enc(subject)}/versions`,
      body,
    );
    return result.id;
  }

  /** The subject's own compatibility level, or undefined if it inherits the global one. */
  async compatibility(subject: string): Promise<string | undefined> {
    try {
      const config = await this.request<{ compatibilityLevel?: string; compatibility?: string }>(
        'GET',
        `/config/${enc(subject)}`,
      );
      return (config.compatibilityLevel ?? config.compatibility)?.toUpperCase();
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async setCompatibility(subject: string, level: string): Promise<void> {
    await this.request('PUT', `/config/${enc(subject)}`, { compatibility: level });
  }

  /** Whether `schema` may be registered next under `subject`, per the registry's rules. */
  async isCompatible(subject: string, schema: string): Promise<boolean> {
    try {
      const result = await this.request<{ is_compatible: boolean }>(
        'POST',
        `/compatibility/subjects/${enc(subject)}/versions/latest`,
        { schema },
      );
      return result.is_compatible;
    } catch (error) {
      // Some registries answer 409 instead of {is_compatible:false}.
      if (statusOf(error) === 409) return false;
      if (statusOf(error) === 404) return true;
      throw error;
    }
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers: {
          accept: 'application/vnd.schemaregistry.v1+json, application/json',
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/vnd.schemaregistry.v1+json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (cause) {
      throw new SmpError(
        'SMP_REGISTRY_UNAVAILABLE',
        `schema registry at ${this.base} did not answer`,
        {
          cause,
        },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new RegistryHttpError(method, path, response.status, text);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export interface RegisteredVersion {
  readonly subject: string;
  readonly version: number;
  readonly id: number;
  readonly schema: string;
}

export class RegistryHttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'RegistryHttpError';
  }
}

function statusOf(error: unknown): number | undefined {
  return error instanceof RegistryHttpError ? error.status : undefined;
}

function enc(subject: string): string {
  return encodeURIComponent(subject);
}
