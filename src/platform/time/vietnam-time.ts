/**
 * Vietnam time (Asia/Ho_Chi_Minh) is UTC+7 all year, with no daylight saving, so conversions are a fixed
 * offset. Source systems send local wall-clock times with no zone marker; periods are Vietnam-time periods.
 */
export const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
export const VIETNAM_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  /** '2026-01', '2026-Q1', '2026' */
  key: string;
  /** inclusive instant */
  start: Date;
  /** exclusive instant */
  end: Date;
}

/** Builds the instant of a Vietnam wall-clock time. Returns null if any part is out of range (e.g. 31 Feb). */
export function vietnamWallClockToDate(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): Date | null {
  if (
    !Number.isInteger(year) || year < 1900 || year > 2999 ||
    !Number.isInteger(month) || month < 1 || month > 12 ||
    !Number.isInteger(day) || day < 1 || day > 31 ||
    !Number.isInteger(hour) || hour < 0 || hour > 23 ||
    !Number.isInteger(minute) || minute < 0 || minute > 59 ||
    !Number.isInteger(second) || second < 0 || second > 59
  ) {
    return null;
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null;
  return new Date(utc - VIETNAM_OFFSET_MS);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function toVietnamWallClock(date: Date): WallClock {
  const shifted = new Date(date.getTime() + VIETNAM_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Formats an instant as the sources' compact Vietnam-time stamp `yyyyMMddHHmmss`. */
export function formatSourceTimestamp(date: Date): string {
  const w = toVietnamWallClock(date);
  return `${w.year}${pad(w.month)}${pad(w.day)}${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
}

const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const DISPLAY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

export type ParsedSourceDate =
  | { kind: 'empty' }
  | { kind: 'invalid'; raw: string }
  | { kind: 'ok'; date: Date };

/**
 * Reads a source date: `yyyyMMddHHmmss` (the contract) or `dd/MM/yyyy HH:mm[:ss]` (seen in practice), both
 * Vietnam time. `""`, `null` and `undefined` are empty; anything else that is not a real date is invalid.
 */
export function parseSourceDate(value: unknown): ParsedSourceDate {
  if (value === null || value === undefined) return { kind: 'empty' };
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string') return { kind: 'invalid', raw: JSON.stringify(value) ?? String(value) };
  const text = value.trim();
  if (text === '') return { kind: 'empty' };
  let m = COMPACT.exec(text);
  if (m) {
    const d = vietnamWallClockToDate(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6]);
    return d ? { kind: 'ok', date: d } : { kind: 'invalid', raw: text };
  }
  m = DISPLAY.exec(text);
  if (m) {
    const d = vietnamWallClockToDate(+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
    return d ? { kind: 'ok', date: d } : { kind: 'invalid', raw: text };
  }
  return { kind: 'invalid', raw: text };
}

/** The month, quarter and year (Vietnam time) an instant falls in. */
export function periodsOf(date: Date): { month: Period; quarter: Period; year: Period } {
  const w = toVietnamWallClock(date);
  return {
    month: monthPeriod(w.year, w.month),
    quarter: quarterPeriod(w.year, Math.floor((w.month - 1) / 3) + 1),
    year: yearPeriod(w.year),
  };
}

export function monthPeriod(year: number, month: number): Period {
  const start = vietnamWallClockToDate(year, month, 1)!;
  const end = month === 12 ? vietnamWallClockToDate(year + 1, 1, 1)! : vietnamWallClockToDate(year, month + 1, 1)!;
  return { kind: 'month', key: `${year}-${pad(month)}`, start, end };
}

export function quarterPeriod(year: number, quarter: number): Period {
  const startMonth = (quarter - 1) * 3 + 1;
  const start = vietnamWallClockToDate(year, startMonth, 1)!;
  const end = quarter === 4 ? vietnamWallClockToDate(year + 1, 1, 1)! : vietnamWallClockToDate(year, startMonth + 3, 1)!;
  return { kind: 'quarter', key: `${year}-Q${quarter}`, start, end };
}

export function yearPeriod(year: number): Period {
  return { kind: 'year', key: String(year), start: vietnamWallClockToDate(year, 1, 1)!, end: vietnamWallClockToDate(year + 1, 1, 1)! };
}

const MONTH_KEY = /^(\d{4})-(\d{2})$/;
const QUARTER_KEY = /^(\d{4})-Q([1-4])$/;
const YEAR_KEY = /^(\d{4})$/;

/** Parses a period key ('2026-01', '2026-Q1', '2026'); null when malformed. */
export function parsePeriodKey(key: string): Period | null {
  let m = MONTH_KEY.exec(key);
  if (m) {
    const month = +m[2];
    return month >= 1 && month <= 12 ? monthPeriod(+m[1], month) : null;
  }
  m = QUARTER_KEY.exec(key);
  if (m) return quarterPeriod(+m[1], +m[2]);
  m = YEAR_KEY.exec(key);
  if (m) return yearPeriod(+m[1]);
  return null;
}

/** The month, its quarter and its year, for a month key: what a change in that month makes stale. */
export function enclosingPeriods(monthKey: string): Period[] {
  const month = parsePeriodKey(monthKey);
  if (!month || month.kind !== 'month') throw new Error(`not a month key: ${monthKey}`);
  const p = periodsOf(month.start);
  return [p.month, p.quarter, p.year];
}
