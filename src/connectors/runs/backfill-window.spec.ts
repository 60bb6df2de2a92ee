import { parseWindowBound } from './backfill-window';

describe('backfill window bounds', () => {
  it('reads a date without a time as Vietnam midnight', () => {
    expect(parseWindowBound('2025-02-01')).toEqual(new Date('2025-01-31T17:00:00Z'));
    expect(parseWindowBound('2025-03-01')).toEqual(new Date('2025-02-28T17:00:00Z'));
  });

  it('reads a time without an offset as Vietnam wall-clock time', () => {
    expect(parseWindowBound('2025-02-01T06:30')).toEqual(new Date('2025-01-31T23:30:00Z'));
    expect(parseWindowBound('2025-02-01T06:30:15')).toEqual(new Date('2025-01-31T23:30:15Z'));
  });

  it('keeps an instant with Z or an offset', () => {
    expect(parseWindowBound('2025-02-01T00:00:00Z')).toEqual(new Date('2025-02-01T00:00:00Z'));
    expect(parseWindowBound('2025-02-01T00:00:00+07:00')).toEqual(new Date('2025-01-31T17:00:00Z'));
  });

  it('refuses impossible dates', () => {
    expect(parseWindowBound('2025-02-30')).toBeNull();
    expect(parseWindowBound('2025-13-01')).toBeNull();
  });
});
