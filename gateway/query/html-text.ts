/** Text for HTML: every string from the database goes through `escapeHtml`. */
const entities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c]!);
}

const numberFormat = new Intl.NumberFormat('en', { maximumSignificantDigits: 4 });

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** UTC, as precise as the span shown needs. */
export function formatTime(epochMs: number, spanMs: number): string {
  const iso = new Date(epochMs).toISOString();
  if (spanMs <= 10 * 60 * 1000) return iso.slice(11, 19);
  if (spanMs <= 2 * 24 * 60 * 60 * 1000) return iso.slice(5, 16).replace('T', ' ');
  return iso.slice(0, 10);
}

export function formatInstant(date: Date | null): string {
  return date ? `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC` : '—';
}

export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 120) return `${minutes} min`;
  const hours = ms / 3_600_000;
  return hours < 48 ? `${formatNumber(hours)} h` : `${formatNumber(hours / 24)} d`;
}
