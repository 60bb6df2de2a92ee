import { exponentialBackoffMs, parseRetryAfter } from './backoff';

describe('exponentialBackoffMs', () => {
  const policy = { baseMs: 100, maxMs: 1000, jitter: 'none' as const };

  it('doubles per attempt and caps at the maximum', () => {
    expect([1, 2, 3, 4, 5].map((a) => exponentialBackoffMs(a, policy))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('full jitter stays within [base/10, cap] and follows the random source', () => {
    const full = { ...policy, jitter: 'full' as const };
    expect(exponentialBackoffMs(3, full, () => 0.5)).toBe(200);
    expect(exponentialBackoffMs(3, full, () => 0)).toBe(10);
    expect(exponentialBackoffMs(10, full, () => 0.999999)).toBe(1000);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  it('reads delta-seconds', () => expect(parseRetryAfter('3', now)).toBe(3000));
  it('reads an HTTP date', () => expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000));
  it('clamps past dates to zero', () => expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0));
  it('returns null for absent or garbage values', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('', now)).toBeNull();
  });
});
