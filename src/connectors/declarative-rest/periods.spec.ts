import { vietnamWallClockToDate } from '../../platform/time/vietnam-time';
import { periodsInWindow } from './periods';

const vn = (y: number, m: number, d: number, h = 0) => vietnamWallClockToDate(y, m, d, h)!;
const keys = (ps: { key: string }[]) => ps.map((p) => p.key);

describe('periodsInWindow', () => {
  const now = vn(2026, 5, 15, 10);

  it('lists closed months overlapping [from, to), oldest first', () => {
    expect(keys(periodsInWindow('month', vn(2026, 1, 1), vn(2026, 6, 1), now))).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
  });

  it('includes a period that started before from when it overlaps, excludes one starting at to', () => {
    expect(keys(periodsInWindow('month', vn(2026, 1, 20), vn(2026, 3, 1), now))).toEqual(['2026-01', '2026-02']);
  });

  it('quarters and years, only once they have ended', () => {
    expect(keys(periodsInWindow('quarter', vn(2025, 1, 1), vn(2027, 1, 1), now))).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1']);
    expect(keys(periodsInWindow('year', vn(2024, 6, 1), vn(2026, 12, 31), now))).toEqual(['2024', '2025']);
    // Q1 ends at 1 April 00:00 Vietnam time (31 March 17:00 UTC)
    expect(keys(periodsInWindow('quarter', vn(2026, 1, 1), vn(2026, 4, 1), vn(2026, 3, 31, 23)))).toEqual([]);
    expect(keys(periodsInWindow('quarter', vn(2026, 1, 1), vn(2026, 4, 1), vn(2026, 4, 1)))).toEqual(['2026-Q1']);
  });

  it('uses Vietnam time for the period a UTC instant falls in', () => {
    // 31 Dec 2025 18:00 UTC is already 1 Jan 2026 in Vietnam
    expect(keys(periodsInWindow('month', new Date('2025-12-31T18:00:00Z'), vn(2026, 2, 1), now))).toEqual(['2026-01']);
  });

  it('is empty for an empty or reversed window', () => {
    expect(periodsInWindow('month', vn(2026, 3, 1), vn(2026, 3, 1), now)).toEqual([]);
    expect(periodsInWindow('month', vn(2026, 3, 1), vn(2026, 2, 1), now)).toEqual([]);
  });

  it('crosses year ends', () => {
    expect(keys(periodsInWindow('month', vn(2025, 11, 1), vn(2026, 2, 1), now))).toEqual(['2025-11', '2025-12', '2026-01']);
    expect(keys(periodsInWindow('quarter', vn(2025, 10, 1), vn(2026, 4, 1), now))).toEqual(['2025-Q4', '2026-Q1']);
  });
});
