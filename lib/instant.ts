/**
 * An instant written by a person or a file: epoch milliseconds (digits), or
 * ISO 8601 with its zone (`2026-12-03T10:00Z`, `…T11:00:00.5+01:00`). A time
 * without a zone is refused rather than read in the machine's zone, which
 * would make the same input mean another instant elsewhere.
 *
 * The gateway's ingest is stricter still (RFC 3339, epoch milliseconds
 * only as JSON numbers): see gateway/ingest/event-time.ts.
 */
const ISO_WITH_ZONE =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;
const EPOCH_MS = /^-?\d{1,16}$/;

/** The largest instant a JavaScript Date holds, in either direction. */
const MAX_MS = 8.64e15;

/** Epoch milliseconds, or undefined when `text` is not an instant. */
export function parseInstant(text: string): number | undefined {
  const trimmed = text.trim();
  let ms = Number.NaN;
  if (EPOCH_MS.test(trimmed)) ms = Number(trimmed);
  else if (ISO_WITH_ZONE.test(trimmed)) ms = Date.parse(trimmed);
  return Number.isSafeInteger(ms) && Math.abs(ms) <= MAX_MS ? ms : undefined;
}
