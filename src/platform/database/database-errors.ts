/**
 * True when an error means "PostgreSQL cannot be reached right now" (connection refused, reset or terminated,
 * server shutting down or not accepting connections) rather than "this statement is wrong". Work that failed
 * this way can be retried as it is once the database answers again; any other error is the work's own.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  if (NETWORK_CODES.has(code)) return true;
  // SQLSTATE class 08 (connection exception), 57P01-57P03 (admin/crash shutdown, cannot connect now),
  // 53300 (too many connections), 55000 with "not currently accepting connections" (ALLOW_CONNECTIONS false)
  if (/^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (code === '55000' && /not currently accepting connections/i.test(message)) return true;
  if (code !== '') return false;
  return UNREACHABLE_MESSAGES.some((m) => m.test(message));
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** node-postgres reports a dropped socket with these messages and no code */
const UNREACHABLE_MESSAGES = [
  /^Connection terminated/i,
  /^Client has encountered a connection error and is not queryable/i,
  /^Client was closed and is not queryable/i,
  /timeout exceeded when trying to connect/i,
  /^Connection ended unexpectedly/i,
];

/** Backoff before the n-th retry (0-based) of work waiting for the database: doubling, capped. */
export function unreachableBackoffMs(attempt: number, baseMs = 200, maxMs = 5000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 20));
}

export class DatabaseWaitAbandoned extends Error {
  override name = 'DatabaseWaitAbandoned';
  constructor(override readonly cause: unknown) {
    super(`the database stayed unreachable until shutdown: ${(cause as Error)?.message ?? String(cause)}`);
  }
}

/**
 * Runs `work` until it succeeds or fails for a reason of its own. While the database is unreachable it waits
 * (doubling, capped) and tries again, holding whatever the caller holds; it gives up only when `stopping()`
 * turns true (the process is shutting down), with DatabaseWaitAbandoned. `work` gets the retry number.
 */
export async function retryWhileUnreachable<T>(
  work: (retry: number) => Promise<T>,
  options: { stopping: () => boolean; onWait?: (error: unknown, retry: number, delayMs: number) => void; sleep?: (ms: number) => Promise<void> },
): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let retry = 0; ; retry++) {
    try {
      return await work(retry);
    } catch (error) {
      if (!isDatabaseUnreachable(error)) throw error;
      if (options.stopping()) throw new DatabaseWaitAbandoned(error);
      const delayMs = unreachableBackoffMs(retry);
      options.onWait?.(error, retry, delayMs);
      await sleep(delayMs);
    }
  }
}
