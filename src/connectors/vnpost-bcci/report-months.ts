import { toVietnamWallClock } from '../../platform/time/vietnam-time';

const key = (year: number, month: number) => `${year}-${String(month).padStart(2, '0')}`;

/**
 * The report months a run looks at: every Vietnam-time month the window touches, plus `lookbackMonths` months
 * before the window's end (a month's report, and its corrections, arrive after the month has ended).
 */
export function reportMonths(windowFrom: Date, windowTo: Date, lookbackMonths: number): string[] {
  const last = toVietnamWallClock(new Date(windowTo.getTime() - 1));
  const first = toVietnamWallClock(windowFrom);
  let firstIndex = first.year * 12 + (first.month - 1);
  const lastIndex = last.year * 12 + (last.month - 1);
  firstIndex = Math.min(firstIndex, lastIndex - lookbackMonths);
  const months: string[] = [];
  for (let i = firstIndex; i <= lastIndex; i++) months.push(key(Math.floor(i / 12), (i % 12) + 1));
  return months;
}
