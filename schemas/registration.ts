import type avro from 'avsc';
import { diffSchemas } from './schema-diff';
import type { CatalogEntry } from './catalog';
import type { RegistryAdmin } from './registry-client';

/**
 * Every reader of a contract topic may replay it from the start, so a new
 * schema must read everything still retained: BACKWARD_TRANSITIVE. Subjects
 * already set to something at least as strict keep their setting.
 */
export const COMPATIBILITY = 'BACKWARD_TRANSITIVE';
const ACCEPTABLE = new Set(['BACKWARD', 'BACKWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE']);

export type RegistrationStatus = 'unchanged' | 'registered' | 'would register' | 'incompatible';

export interface RegistrationResult {
  readonly subject: string;
  readonly file: string;
  readonly status: RegistrationStatus;
  readonly id?: number;
  readonly version?: number;
  readonly compatibility?: string;
  /** Field-level differences from the latest registered version. */
  readonly changes: readonly string[];
  readonly reason?: string;
}

/**
 * Registers each local schema under `<topic>-value` unless the subject
 * already holds it, after checking compatibility both with the registry and
 * locally (the local check explains what broke). With `dryRun` nothing is
 * written: the result says what would happen, which is what CI wants.
 */
export async function registerSchemas(
  admin: RegistryAdmin,
  entries: Iterable<CatalogEntry>,
  options: { dryRun?: boolean } = {},
): Promise<RegistrationResult[]> {
  const results: RegistrationResult[] = [];
  for (const entry of entries) {
    results.push(await registerOne(admin, entry, options.dryRun ?? false));
  }
  return results;
}

async function registerOne(
  admin: RegistryAdmin,
  entry: CatalogEntry,
  dryRun: boolean,
): Promise<RegistrationResult> {
  const base = { subject: entry.subject, file: `schemas/${entry.file}` };
  const existing = await admin.lookup(entry.subject, entry.text);
  if (existing) {
    const compatibility = await ensureCompatibility(admin, entry.subject, dryRun);
    return {
      ...base,
      status: 'unchanged',
      id: existing.id,
      version: existing.version,
      compatibility,
      changes: [],
    };
  }

  const latest = await admin.latest(entry.subject);
  const diff = latest
    ? diffSchemas(JSON.parse(latest.schema) as avro.Schema, entry.schema)
    : { compatible: true, changes: [] as string[], reason: undefined };
  const registryAgrees = latest ? await admin.isCompatible(entry.subject, entry.text) : true;
  if (!diff.compatible || !registryAgrees) {
    const reason = diff.reason ?? 'the registry rejects it under the subject compatibility rules';
    return {
      ...base,
      status: 'incompatible',
      version: latest?.version,
      changes: diff.changes,
      reason,
    };
  }
  if (dryRun) return { ...base, status: 'would register', changes: diff.changes };

  const id = await admin.register(entry.subject, entry.text);
  const compatibility = await ensureCompatibility(admin, entry.subject, false);
  const version = (await admin.latest(entry.subject))?.version;
  return { ...base, status: 'registered', id, version, compatibility, changes: diff.changes };
}

async function ensureCompatibility(
  admin: RegistryAdmin,
  subject: string,
  dryRun: boolean,
): Promise<string> {
  const current = await admin.compatibility(subject);
  if (current && ACCEPTABLE.has(current)) return current;
  if (!dryRun) await admin.setCompatibility(subject, COMPATIBILITY);
  return COMPATIBILITY;
}
