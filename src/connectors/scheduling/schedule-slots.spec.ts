import { nextSlot, slotsBetween, splitWindow, validateCron } from './schedule-slots';

const utc = (iso: string): Date => new Date(iso);
const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('validateCron', () => {
  it('accepts a 5-field expression', () => {
    expect(validateCron('0 2 * * *')).toBeNull();
    expect(validateCron('*/15 * * * 1-5')).toBeNull();
  });

  it('rejects 6 fields (seconds)', () => {
    expect(validateCron('0 0 2 * * *')).toMatch(/6 field\(s\); expected 5/);
  });

  it('rejects 4 fields', () => {
    expect(validateCron('0 2 * *')).toMatch(/expected 5/);
  });

  it('rejects an empty expression', () => {
    expect(validateCron('  ')).toMatch(/empty/);
  });

  it('rejects out-of-range values', () => {
    expect(validateCron('61 * * * *')).toMatch(/invalid/);
  });

  it('rejects garbage', () => {
    expect(validateCron('a b c d e')).toMatch(/invalid/);
  });

  it('rejects a date that never occurs', () => {
    expect(validateCron('0 0 31 2 *')).toMatch(/invalid/);
  });
});

describe('slotsBetween', () => {
  it('lists due slots in (from, to], ascending', () => {
    const slots = slotsBetween('0 2 * * *', utc('2026-01-07T19:00:00Z'), utc('2026-01-10T19:00:00Z'), 100);
    expect(iso(slots)).toEqual(['2026-01-08T19:00:00.000Z', '2026-01-09T19:00:00.000Z', '2026-01-10T19:00:00.000Z']);
  });

  it('stops at max, keeping the earliest', () => {
    const slots = slotsBetween('*/15 * * * *', utc('2026-01-08T00:00:00Z'), utc('2026-01-09T00:00:00Z'), 2);
    expect(iso(slots)).toEqual(['2026-01-08T00:15:00.000Z', '2026-01-08T00:30:00.000Z']);
  });

  it('is empty when nothing is due', () => {
    expect(slotsBetween('0 2 * * *', utc('2026-01-09T19:00:00Z'), utc('2026-01-10T18:59:59Z'), 10)).toEqual([]);
  });

  it('is empty for an empty or reversed range', () => {
    const t = utc('2026-01-09T19:00:00Z');
    expect(slotsBetween('0 2 * * *', t, t, 10)).toEqual([]);
    expect(slotsBetween('0 2 * * *', t, new Date(t.getTime() - DAY), 10)).toEqual([]);
  });

  it('is empty when max is 0', () => {
    expect(slotsBetween('0 2 * * *', utc('2026-01-01T00:00:00Z'), utc('2026-02-01T00:00:00Z'), 0)).toEqual([]);
  });
});

describe('splitWindow', () => {
  it('splits into chunks from `from`, the last one clipped to `to`', () => {
    const parts = splitWindow(utc('2026-01-01T00:00:00Z'), utc('2026-01-03T12:00:00Z'), DAY);
    expect(parts.map((w) => [w.from.toISOString(), w.to.toISOString()])).toEqual([
      ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'],
      ['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'],
      ['2026-01-03T00:00:00.000Z', '2026-01-03T12:00:00.000Z'],
    ]);
  });

  it('gives one window when the range is shorter than a chunk', () => {
    expect(splitWindow(utc('2026-01-01T00:00:00Z'), utc('2026-01-01T01:00:00Z'), DAY)).toHaveLength(1);
  });

  it('is empty when to ≤ from', () => {
    const t = utc('2026-01-01T00:00:00Z');
    expect(splitWindow(t, t, DAY)).toEqual([]);
  });

  it('rejects a non-positive chunk', () => {
    expect(() => splitWindow(utc('2026-01-01T00:00:00Z'), utc('2026-01-02T00:00:00Z'), 0)).toThrow(/chunk/);
  });
});

describe('nextSlot', () => {
  it('is the next due instant of a Vietnam-time cron', () => {
    // 02:00 Vietnam time = 19:00 UTC the day before
    expect(nextSlot('0 2 * * *', new Date('2025-03-01T10:00:00Z'))).toEqual(new Date('2025-03-01T19:00:00Z'));
    expect(nextSlot('0 2 * * *', new Date('2025-03-01T19:00:00Z'))).toEqual(new Date('2025-03-02T19:00:00Z'));
    expect(nextSlot('30 8 1 * *', new Date('2025-03-01T02:00:00Z'))).toEqual(new Date('2025-04-01T01:30:00Z'));
  });

  it('is null for an unusable expression', () => {
    expect(nextSlot('not a cron', new Date())).toBeNull();
  });
});
