import { formatSourceTimestamp, parsePeriodKey, parseSourceDate, periodsOf } from './vietnam-time';

describe('vietnam time', () => {
  it('reads the compact format as Vietnam time', () => {
    const r = parseSourceDate('20260114083012');
    expect(r).toEqual({ kind: 'ok', date: new Date('2026-01-14T01:30:12.000Z') });
  });
  it('reads the dd/MM/yyyy HH:mm:ss variant', () => {
    expect(parseSourceDate('14/01/2026 08:30:12')).toEqual({ kind: 'ok', date: new Date('2026-01-14T01:30:12.000Z') });
  });
  it('treats "" and null as empty and impossible dates as invalid', () => {
    expect(parseSourceDate('')).toEqual({ kind: 'empty' });
    expect(parseSourceDate(null)).toEqual({ kind: 'empty' });
    expect(parseSourceDate('20260231090000').kind).toBe('invalid');
    expect(parseSourceDate('20261301090000').kind).toBe('invalid');
    expect(parseSourceDate('yesterday').kind).toBe('invalid');
  });
  it('puts 00:30 on 1 January Vietnam time into the new year', () => {
    const instant = new Date('2025-12-31T17:30:00.000Z');
    const p = periodsOf(instant);
    expect(p.year.key).toBe('2026');
    expect(p.month.key).toBe('2026-01');
    expect(p.quarter.key).toBe('2026-Q1');
  });
  it('round-trips source timestamps', () => {
    expect(formatSourceTimestamp(new Date('2026-01-14T01:30:12.000Z'))).toBe('20260114083012');
  });
  it('parses period keys and rejects bad ones', () => {
    expect(parsePeriodKey('2026-Q4')!.end.toISOString()).toBe('2026-12-31T17:00:00.000Z');
    expect(parsePeriodKey('2026-13')).toBeNull();
    expect(parsePeriodKey('26')).toBeNull();
  });
});
