import { EgressRefusedError } from '../platform/http/egress-policy';
import { redactText } from '../platform/privacy/personal-fields';

/**
 * The error taxonomy every connector kind maps its source's failures onto. Permanent errors (bad credentials,
 * HTTP 400, DATA_INCORRECT) stop at once and fail the run with their reason; transient ones (timeouts, 429,
 * 5xx, SYSTEM_BUSY) are retried with backoff.
 */
export type SourceErrorCode =
  | 'AUTH_FAILED'
  | 'IP_DISALLOWED'
  | 'AGENCY_ID_INCORRECT'
  | 'DATA_INCORRECT'
  | 'BAD_REQUEST'
  | 'NOT_FOUND'
  | 'UNEXPECTED_RESPONSE'
  | 'RATE_LIMITED'
  | 'SYSTEM_BUSY'
  | 'SERVER_ERROR'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'EGRESS_REFUSED';

export abstract class SourceError extends Error {
  abstract readonly permanent: boolean;
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    /** how long the source asked us to wait (Retry-After), if it did */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export class PermanentSourceError extends SourceError {
  readonly permanent = true;
  override name = 'PermanentSourceError';
}

export class TransientSourceError extends SourceError {
  readonly permanent = false;
  override name = 'TransientSourceError';
}

export function isPermanent(error: unknown): boolean {
  return error instanceof SourceError && error.permanent;
}

/**
 * Error message safe to store and show: never the request's secrets (callers build messages without them), and
 * personal values an upstream quoted are masked.
 */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof SourceError) return { code: error.code, message: redactText(error.message, 1000) };
  if (error instanceof Error) return { code: 'INTERNAL', message: redactText(error.message, 1000) };
  return { code: 'INTERNAL', message: redactText(String(error), 1000) };
}

/**
 * What a failed HTTP call means for a connector: the egress policy's refusal is permanent (never retried, never
 * sent anywhere), a timeout or a network error transient. Anything else is rethrown as it is.
 */
export function networkFailure(error: unknown, url: string, timeoutMs: number): SourceError {
  const refusal = egressRefusal(error);
  if (refusal) return new PermanentSourceError('EGRESS_REFUSED', refusal.message);
  const e = error as { code?: string; message?: string; isAxiosError?: boolean };
  if (!e || !e.isAxiosError) throw error;
  if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT') return new TransientSourceError('TIMEOUT', `no answer from ${url} within ${timeoutMs} ms`);
  return new TransientSourceError('NETWORK', `network error calling ${url}: ${e.code ?? e.message}`);
}

function egressRefusal(error: unknown, depth = 0): EgressRefusedError | null {
  if (error instanceof EgressRefusedError) return error;
  if (!error || typeof error !== 'object' || depth > 3) return null;
  return egressRefusal((error as { cause?: unknown }).cause, depth + 1);
}
