/**
 * Schedule slots: the instants a connector schedule is due, from a 5-field cron expression read in Vietnam time
 * (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), and the fetch windows those slots cover. Pure functions.
 *
 * '0 2 * * *' means 02:00 Vietnam time every day, i.e. 19:00 UTC the previous day.
 */
import { CronExpressionParser } from 'cron-parser';
import { VIETNAM_TIME_ZONE } from '../../platform/time/vietnam-time';

export interface TimeWindow {
  /** inclusive */
  from: Date;
  /** exclusive */
  to: Date;
}

function parse(expr: string, options: { currentDate: Date; endDate?: Date }) {
  return CronExpressionParser.parse(expr.trim(), { ...options, tz: VIETNAM_TIME_ZONE });
}

/**
 * Checks a cron expression: exactly 5 fields (minute hour day-of-month month day-of-week), valid values.
 * Returns an error message, or null when the expression is usable.
 */
export function validateCron(expr: string): string | null {
  if (typeof expr !== 'string' || expr.trim() === '') return 'cron expression is empty';
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `cron expression "${expr}" has ${fields.length} field(s); expected 5 (minute hour day-of-month month day-of-week)`;
  }
  try {
    // Also make sure it can produce a slot (e.g. '0 0 30 2 *' never can).
    parse(expr, { currentDate: new Date(0) }).next();
    return null;
  } catch (err) {
    return `cron expression "${expr}" is invalid: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function assertValid(expr: string): void {
  const problem = validateCron(expr);
  if (problem !== null) throw new Error(problem);
}

/**
 * The due slots s with fromExclusive < s ≤ toInclusive, ascending, at most `max` of them (the earliest ones:
 * a caller that gets `max` slots calls again from the last one to get the rest).
 */
export function slotsBetween(expr: string, fromExclusive: Date, toInclusive: Date, max: number): Date[] {
  assertValid(expr);
  const slots: Date[] = [];
  if (max <= 0 || toInclusive.getTime() <= fromExclusive.getTime()) return slots;
  const it = parse(expr, { currentDate: fromExclusive, endDate: toInclusive });
  while (slots.length < max && it.hasNext()) {
    const slot = it.next().toDate();
    if (slot.getTime() > toInclusive.getTime()) break;
    if (slot.getTime() > fromExclusive.getTime()) slots.push(slot);
  }
  return slots;
}

/**
 * Splits [from, to) into consecutive windows of at most chunkMs, starting at `from`; the last one ends at `to`.
 * Empty when to ≤ from. For backfills.
 */
export function splitWindow(from: Date, to: Date, chunkMs: number): TimeWindow[] {
  if (!Number.isFinite(chunkMs) || chunkMs <= 0) throw new Error(`chunk must be a positive number of ms, got ${chunkMs}`);
  const windows: TimeWindow[] = [];
  const end = to.getTime();
  for (let start = from.getTime(); start < end; start += chunkMs) {
    windows.push({ from: new Date(start), to: new Date(Math.min(start + chunkMs, end)) });
  }
  return windows;
}

/** The first due slot strictly after `after` (Vietnam-time cron), or null when the expression is unusable. */
export function nextSlot(expr: string, after: Date): Date | null {
  if (validateCron(expr) !== null) return null;
  const it = parse(expr, { currentDate: after });
  const slot = it.next().toDate();
  return slot.getTime() > after.getTime() ? slot : null;
}
