import { debounceSlot, jobIds } from './queue-catalogue';

describe('queue catalogue', () => {
  it('builds job ids without ":" from business keys', () => {
    expect(jobIds.fetchRun('3f2a')).toBe('fetch_3f2a');
    expect(jobIds.scoreProvinceYear('44', 2026, 7)).not.toContain(':');
  });
  it('maps instants of one debounce bucket to one job and delays it to the bucket end', () => {
    expect(debounceSlot(10_500, 2000)).toEqual({ bucket: 5, delayMs: 1500 });
    expect(debounceSlot(11_999, 2000)).toEqual({ bucket: 5, delayMs: 1 });
    expect(debounceSlot(12_000, 2000)).toEqual({ bucket: 6, delayMs: 2000 });
    expect(debounceSlot(12_000, 0)).toEqual({ bucket: 12_000, delayMs: 0 });
  });
});
