import { Period, monthPeriod, parsePeriodKey, quarterPeriod, toVietnamWallClock } from '../../platform/time/vietnam-time';

/** How figures of shorter periods make a quarter's or a year's: declared per metric in the source. */
export type SectorAggregation = 'sum' | 'weightedMean' | 'last';

export interface SectorRow {
  periodKey: string;
  metric: string;
  subject: string;
  numerator: number;
  denominator: number | null;
  isCount: boolean;
  /** as declared; null = by kind (a count sums, a ratio is the mean of its shares weighted by denominator) */
  aggregation: SectorAggregation | null;
  runId: string;
  rawDigest: string;
}

export interface RolledFigure {
  metric: string;
  subject: string;
  numerator: number;
  denominator: number | null;
  isCount: boolean;
  /** the rows it was made from (one when the source gave the period itself) */
  from: SectorRow[];
}

/** The sub-periods of a quarter or year, at one granularity: its months, or (for a year) its quarters. */
function parts(target: Period, kind: 'month' | 'quarter'): string[] {
  const { year, month } = toVietnamWallClock(target.start);
  if (kind === 'quarter') return target.kind === 'year' ? [1, 2, 3, 4].map((q) => quarterPeriod(year, q).key) : [];
  const months = target.kind === 'year' ? 12 : target.kind === 'quarter' ? 3 : 0;
  return Array.from({ length: months }, (_, i) => monthPeriod(year, month + i).key);
}

function combine(rows: SectorRow[], aggregation: SectorAggregation): { numerator: number; denominator: number | null } | null {
  if (aggregation === 'last') {
    const last = rows[rows.length - 1];
    return { numerator: last.numerator, denominator: last.denominator };
  }
  const numerator = rows.reduce((s, r) => s + r.numerator, 0);
  if (aggregation === 'sum' && rows.every((r) => r.denominator === null)) return { numerator, denominator: null };
  // a ratio: Σ numerators / Σ denominators = the mean of the parts' shares weighted by their denominators
  if (rows.some((r) => r.denominator === null)) return null; // a part without data: no rolled-up share
  const denominator = rows.reduce((s, r) => s + (r.denominator as number), 0);
  return { numerator, denominator: denominator === 0 ? null : denominator };
}

/**
 * The figures of `target` (a month, quarter or year) for every metric and subject: the source's own figure for
 * that period when it gave one; otherwise rolled up from the periods inside it — its quarters, else its months —
 * only when every one of them is there (a missing part is missing data, never zero; for `last`, the final part
 * must be there). Rows of other periods are ignored.
 */
export function rollUpSector(rows: SectorRow[], target: Period): RolledFigure[] {
  const byPair = new Map<string, SectorRow[]>();
  for (const r of rows) {
    const key = `${r.metric}\u0000${r.subject}`;
    byPair.set(key, [...(byPair.get(key) ?? []), r]);
  }
  const out: RolledFigure[] = [];
  for (const pairRows of byPair.values()) {
    const { metric, subject } = pairRows[0];
    const own = pairRows.find((r) => r.periodKey === target.key);
    if (own) {
      out.push({ metric, subject, numerator: own.numerator, denominator: own.denominator, isCount: own.isCount, from: [own] });
      continue;
    }
    for (const kind of ['quarter', 'month'] as const) {
      const keys = parts(target, kind);
      if (keys.length === 0) continue;
      const found = keys.map((k) => pairRows.find((r) => r.periodKey === k));
      if (found.every((r) => r === undefined)) continue;
      const first = found.find((r): r is SectorRow => r !== undefined)!;
      const aggregation = first.aggregation ?? (first.isCount ? 'sum' : 'weightedMean');
      const present = found.filter((r): r is SectorRow => r !== undefined);
      const complete = aggregation === 'last' ? found[found.length - 1] !== undefined : present.length === keys.length;
      if (!complete) break; // parts at this granularity exist but not all: missing, not a smaller total
      const value = combine(present, aggregation);
      if (value) out.push({ metric, subject, ...value, isCount: first.isCount, from: present });
      break;
    }
  }
  return out.sort((a, b) => (a.metric === b.metric ? (a.subject < b.subject ? -1 : 1) : a.metric < b.metric ? -1 : 1));
}

/** The periods a changed period's figures feed: itself, and the quarter and year that contain it. */
export function enclosingPeriods(key: string): Period[] {
  const p = parsePeriodKey(key);
  if (!p) return [];
  const { year, month } = toVietnamWallClock(p.start);
  const out = [p];
  if (p.kind === 'month') out.push(quarterPeriod(year, Math.floor((month - 1) / 3) + 1));
  if (p.kind !== 'year') out.push(parsePeriodKey(String(year))!);
  return out;
}
