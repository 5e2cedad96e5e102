export { schemaCatalog, catalogEntry, loadCatalog, subjectFor, type CatalogEntry } from './catalog';
export { RegistryAdmin, RegistryHttpError, type RegisteredVersion } from './registry-client';
export { registerSchemas, COMPATIBILITY, type RegistrationResult } from './registration';
export { diffSchemas, type SchemaDiff } from './schema-diff';
