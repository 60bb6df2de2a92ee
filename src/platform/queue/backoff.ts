/** Backoff policy shared by source clients and queue retries: small pure functions, specs beside them. */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** 'full': uniform in [0, capped]; 'none': exactly capped (deterministic, for queue retries) */
  jitter: 'full' | 'none';
}

/** Delay before retry number `attempt` (1-based): min(max, base·2^(attempt−1)), with full jitter if asked. */
export function exponentialBackoffMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const capped = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(n - 1, 30));
  if (policy.jitter === 'none') return capped;
  // full jitter, but never a zero wait: at least a tenth of the base
  return Math.max(Math.round(policy.baseMs / 10), Math.round(random() * capped));
}

/**
 * `Retry-After` as milliseconds to wait: either delta-seconds or an HTTP date. Returns null when absent or
 * unreadable (the caller then uses its own backoff); negative waits are clamped to 0.
 */
export function parseRetryAfter(value: string | undefined | null, now: Date): number | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}
