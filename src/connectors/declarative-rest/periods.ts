import { Period, PeriodKind, monthPeriod, periodsOf, quarterPeriod, toVietnamWallClock, yearPeriod } from '../../platform/time/vietnam-time';

function following(p: Period): Period {
  const w = toVietnamWallClock(p.start);
  switch (p.kind) {
    case 'month':
      return w.month === 12 ? monthPeriod(w.year + 1, 1) : monthPeriod(w.year, w.month + 1);
    case 'quarter': {
      const q = Math.floor((w.month - 1) / 3) + 1;
      return q === 4 ? quarterPeriod(w.year + 1, 1) : quarterPeriod(w.year, q + 1);
    }
    case 'year':
      return yearPeriod(w.year + 1);
  }
}

/**
 * The periods (Vietnam time) of that kind to fetch for a run window [from, to): every period that overlaps the
 * window and has ended by `now` (only closed periods are reported), oldest first. A period that started
 * before `from` is included when it overlaps; an open period (end > now) is left for a later run.
 */
export function periodsInWindow(kind: PeriodKind, from: Date, to: Date, now: Date): Period[] {
  const out: Period[] = [];
  if (!(from.getTime() < to.getTime())) return out;
  for (let p = periodsOf(from)[kind]; p.start.getTime() < to.getTime(); p = following(p)) {
    if (p.end.getTime() > now.getTime()) break;
    out.push(p);
  }
  return out;
}
