import { monthPeriod, quarterPeriod, yearPeriod } from '../../platform/time/vietnam-time';
import { SectorRow, enclosingPeriods, rollUpSector } from './sector-rollup';

const row = (periodKey: string, numerator: number, denominator: number | null, extra: Partial<SectorRow> = {}): SectorRow => ({
  periodKey,
  metric: 'sector.docs.outgoing_electronic_share',
  subject: '',
  numerator,
  denominator,
  isCount: false,
  aggregation: null,
  runId: 'r',
  rawDigest: 'd',
  ...extra,
});
const values = (rows: SectorRow[], target = yearPeriod(2025)) => rollUpSector(rows, target).map((f) => [f.metric, f.numerator, f.denominator]);

describe('quarter and year figures of sector metrics', () => {
  const quarters = [row('2025-Q1', 90, 100), row('2025-Q2', 450, 500), row('2025-Q3', 10, 100), row('2025-Q4', 300, 300)];

  it('a ratio is the mean of the quarters\' shares weighted by their denominators (Σ numerators / Σ denominators)', () => {
    expect(values(quarters)).toEqual([['sector.docs.outgoing_electronic_share', 850, 1000]]);
  });

  it('the period\'s own figure wins over a roll-up', () => {
    expect(values([...quarters, row('2025', 1, 2)])).toEqual([['sector.docs.outgoing_electronic_share', 1, 2]]);
  });

  it('a count sums; "last" takes the final part; a declared aggregation beats the default', () => {
    const counts = [1, 2, 3, 4].map((q) => row(`2025-Q${q}`, q * 10, null, { metric: 'sector.docs.sent', isCount: true }));
    expect(values(counts)).toEqual([['sector.docs.sent', 100, null]]);
    const last = quarters.map((r) => ({ ...r, aggregation: 'last' as const }));
    expect(values(last)).toEqual([['sector.docs.outgoing_electronic_share', 300, 300]]);
    const stock = [1, 2, 3].map((q) => row(`2025-Q${q}`, q, null, { metric: 'sector.staff', isCount: true, aggregation: 'last' }));
    expect(values(stock)).toEqual([]); // Q4 missing: no year-end value
  });

  it('a missing part is missing data, never a smaller total', () => {
    expect(values(quarters.slice(0, 3))).toEqual([]);
    expect(values([row('2025-Q1', 5, null), row('2025-Q2', 5, 10), row('2025-Q3', 5, 10), row('2025-Q4', 5, 10)])).toEqual([]);
  });

  it('a quarter from its three months, a year from twelve months when no quarters exist', () => {
    const months = Array.from({ length: 12 }, (_, i) => row(`2025-${String(i + 1).padStart(2, '0')}`, i + 1, 10));
    expect(values(months, quarterPeriod(2025, 2))).toEqual([['sector.docs.outgoing_electronic_share', 4 + 5 + 6, 30]]);
    expect(values(months)).toEqual([['sector.docs.outgoing_electronic_share', 78, 120]]);
    expect(values(months, monthPeriod(2025, 3))).toEqual([['sector.docs.outgoing_electronic_share', 3, 10]]);
  });

  it('a changed month makes its quarter and year stale too', () => {
    expect(enclosingPeriods('2025-05').map((p) => p.key)).toEqual(['2025-05', '2025-Q2', '2025']);
    expect(enclosingPeriods('2025-Q3').map((p) => p.key)).toEqual(['2025-Q3', '2025']);
    expect(enclosingPeriods('2025').map((p) => p.key)).toEqual(['2025']);
    expect(enclosingPeriods('nonsense')).toEqual([]);
  });
});
