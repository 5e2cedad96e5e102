export const scopes = ['data:ingest', 'predict', 'reports:generate', 'admin'] as const;

export type Scope = (typeof scopes)[number];

export function isScope(value: string): value is Scope {
  return (scopes as readonly string[]).includes(value);
}

/** `admin` stands for every scope, so an operator's key can do what any client can. */
export function grants(held: readonly Scope[], needed: Scope): boolean {
  return held.includes(needed) || held.includes('admin');
}

/** Parses `a,b,c`, naming the first unknown scope. */
export function parseScopes(list: string): Scope[] {
  const parsed = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = parsed.find((s) => !isScope(s));
  if (unknown !== undefined) {
    throw new Error(`unknown scope ${JSON.stringify(unknown)}; known scopes: ${scopes.join(', ')}`);
  }
  if (parsed.length === 0) throw new Error(`at least one scope is required: ${scopes.join(', ')}`);
  return [...new Set(parsed)] as Scope[];
}
