/** How validation problems name values and places, for people reading a 400. */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function pathOf(parent: string, name: string): string {
  const step = IDENTIFIER.test(name) ? name : `[${JSON.stringify(truncate(name))}]`;
  if (!parent) return step;
  return step.startsWith('[') ? `${parent}${step}` : `${parent}.${step}`;
}
