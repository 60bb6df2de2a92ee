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
  | 'NETWORK';

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

/** Error message safe to store and show: never the request's secrets (callers build messages without them). */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof SourceError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}
