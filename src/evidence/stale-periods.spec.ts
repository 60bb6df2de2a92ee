import { stalePeriods } from './stale-periods';

describe('stalePeriods', () => {
  const now = new Date('2026-02-10T00:00:00Z'); // 2026-02-10 07:00 Vietnam time

  it('covers the changed month and every started period after it, with quarters and years', () => {
    const keys = stalePeriods(['2025-11'], now).map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['2025-11', '2025-12', '2025-Q4', '2025', '2026-01', '2026-02', '2026-Q1', '2026']));
    expect(keys).not.toContain('2025-10');
    expect(keys).not.toContain('2025-Q3');
    expect(keys).not.toContain('2026-03'); // not started yet
    expect(keys).not.toContain('2026-Q2');
  });

  it('returns nothing for no or malformed keys', () => {
    expect(stalePeriods([], now)).toEqual([]);
    expect(stalePeriods(['2025-13', 'x'], now)).toEqual([]);
  });

  it('refreshes only the own month, quarter and year of changes beyond the horizon', () => {
    const keys = stalePeriods(['2019-05'], now, 2).map((p) => p.key);
    expect(keys).toEqual(expect.arrayContaining(['2019-05', '2019-Q2', '2019', '2025', '2026-01']));
    expect(keys).not.toContain('2019-06');
  });
});
