import { Period, monthPeriod, parsePeriodKey, quarterPeriod, toVietnamWallClock, yearPeriod } from '../platform/time/vietnam-time';

/**
 * Which periods a change to dossiers received in `monthKey`s makes stale. The on-time rate counts a dossier in
 * every period from the one it was received in until the one it finished in ("received or handled in the
 * period"), so a change in month M can move any period that ends after M starts — up to the present. Every other
 * metric only moves M, its quarter and its year, which are included. Periods that have not started are left out.
 * Bounded by `maxYears` back from now (changes to older dossiers refresh only their own year).
 */
export function stalePeriods(monthKeys: string[], now: Date, maxYears = 3): Period[] {
  const months = monthKeys.map((k) => parsePeriodKey(k)).filter((p): p is Period => p !== null && p.kind === 'month');
  if (months.length === 0) return [];
  const nowYear = toVietnamWallClock(now).year;
  const earliest = months.reduce((a, b) => (a.start < b.start ? a : b));
  const out = new Map<string, Period>();
  const add = (p: Period) => {
    if (p.start <= now && p.end > earliest.start) out.set(p.key, p);
  };
  const firstYear = Math.max(toVietnamWallClock(earliest.start).year, nowYear - maxYears + 1);
  for (let year = firstYear; year <= nowYear; year++) {
    add(yearPeriod(year));
    for (let q = 1; q <= 4; q++) add(quarterPeriod(year, q));
    for (let m = 1; m <= 12; m++) add(monthPeriod(year, m));
  }
  // months older than the horizon still refresh their own month, quarter and year
  for (const month of months) {
    const w = toVietnamWallClock(month.start);
    if (w.year < firstYear) {
      out.set(month.key, month);
      out.set(`${w.year}-Q${Math.floor((w.month - 1) / 3) + 1}`, quarterPeriod(w.year, Math.floor((w.month - 1) / 3) + 1));
      out.set(String(w.year), yearPeriod(w.year));
    }
  }
  return [...out.values()].sort((a, b) => a.start.getTime() - b.start.getTime() || a.kind.localeCompare(b.kind));
}
