import { defaultInitialSyncFrom, kindOptions, readFrameworkOptions } from './connector-options';

describe('readFrameworkOptions', () => {
  const now = new Date('2026-03-10T00:00:00Z');

  it('gives defaults that start at 1 January of the previous year, Vietnam time', () => {
    const { options, errors } = readFrameworkOptions({}, now);
    expect(errors).toEqual([]);
    expect(options.lagSeconds).toBe(300);
    expect(options.initialSyncFrom.toISOString()).toBe('2024-12-31T17:00:00.000Z');
    expect(defaultInitialSyncFrom(now)).toEqual(options.initialSyncFrom);
  });

  it('reads valid values', () => {
    const { options, errors } = readFrameworkOptions({ lagSeconds: 0, initialSyncFrom: '2025-07-01', backfillChunkDays: 7 }, now);
    expect(errors).toEqual([]);
    expect(options).toEqual({ lagSeconds: 0, initialSyncFrom: new Date('2025-06-30T17:00:00Z'), backfillChunkDays: 7 });
  });

  it('names every bad field', () => {
    const { errors } = readFrameworkOptions({ lagSeconds: -1, initialSyncFrom: '2025-02-30', backfillChunkDays: '3' }, now);
    expect(errors).toEqual([
      expect.stringContaining('options.lagSeconds'),
      expect.stringContaining('options.backfillChunkDays'),
      expect.stringContaining('options.initialSyncFrom'),
    ]);
  });

  it('hides framework options from the kind', () => {
    expect(kindOptions({ lagSeconds: 1, pageSize: 10 })).toEqual({ pageSize: 10 });
  });
});
