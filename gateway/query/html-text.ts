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

const formats = new Map<number, Intl.NumberFormat>();

/** Four significant digits, or as many as it takes to tell `value` from `other`. */
export function formatNumber(value: number, other?: number): string {
  for (let digits = 4; digits <= 12; digits++) {
    const text = format(value, digits);
    if (other === undefined || text !== format(other, digits)) return text;
  }
  return format(value, 12);
}

function format(value: number, digits: number): string {
  let f = formats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en', { maximumSignificantDigits: digits });
    formats.set(digits, f);
  }
  return f.format(value);
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
