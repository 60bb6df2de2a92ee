import { vietnamWallClockToDate } from '../../platform/time/vietnam-time';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?$/;

/**
 * A bound of a backfill window as the operator wrote it. A date without a time (`2025-02-01`) or a time without
 * an offset (`2025-02-01T06:00`) is Vietnam time (Asia/Ho_Chi_Minh), like scheduled windows and
 * `initialSyncFrom`; a time with `Z` or an offset is that instant. Null when it is not a valid date.
 */
export function parseWindowBound(text: string): Date | null {
  const m = LOCAL.exec(text.trim());
  if (m) return vietnamWallClockToDate(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}
