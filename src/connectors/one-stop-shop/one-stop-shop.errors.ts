import { PermanentSourceError, SourceError, TransientSourceError } from '../connector-errors';
import { OSS_ERROR_CODES } from './one-stop-shop.types';

/** Maps an HTTP status of a data call (not 200, not 401) to the error taxonomy. */
export function errorForStatus(status: number, url: string, retryAfterMs: number | null): SourceError {
  if (status === 429) return new TransientSourceError('RATE_LIMITED', `HTTP 429 from ${url}`, retryAfterMs);
  if (status === 400) return new PermanentSourceError('BAD_REQUEST', `HTTP 400 from ${url}: the request is wrong`);
  if (status === 403) return new PermanentSourceError('IP_DISALLOWED', `HTTP 403 from ${url}`);
  if (status === 404) return new PermanentSourceError('NOT_FOUND', `HTTP 404 from ${url}: check the base URL`);
  if (status === 408 || status >= 500) return new TransientSourceError('SERVER_ERROR', `HTTP ${status} from ${url}`, retryAfterMs);
  return new PermanentSourceError('UNEXPECTED_RESPONSE', `HTTP ${status} from ${url}`);
}

/** Maps an `error_code` inside an HTTP 200 envelope. Returns null for success ("00"). */
export function errorForEnvelope(errorCode: unknown, message: unknown, url: string): SourceError | null {
  const code = typeof errorCode === 'number' ? String(errorCode).padStart(2, '0') : errorCode;
  const text = typeof message === 'string' && message ? `: ${message}` : '';
  switch (code) {
    case OSS_ERROR_CODES.OK:
      return null;
    case OSS_ERROR_CODES.SYSTEM_BUSY:
      return new TransientSourceError('SYSTEM_BUSY', `error_code 503 (SYSTEM_BUSY) from ${url}${text}`);
    case OSS_ERROR_CODES.AUTHEN_ERROR:
      return new PermanentSourceError('AUTH_FAILED', `error_code 100 (AUTHEN_ERROR) from ${url}${text}`);
    case OSS_ERROR_CODES.IP_DISALLOWED:
      return new PermanentSourceError('IP_DISALLOWED', `error_code 101 (IP_DISALLOWED) from ${url}${text}`);
    case OSS_ERROR_CODES.AGENCY_ID_INCORRECT:
      return new PermanentSourceError('AGENCY_ID_INCORRECT', `error_code 106 (AGENCY_ID_INCORRECT) from ${url}${text}`);
    case OSS_ERROR_CODES.DATA_INCORRECT:
      return new PermanentSourceError('DATA_INCORRECT', `error_code 500 (DATA_INCORRECT) from ${url}${text}`);
    default:
      return new PermanentSourceError('UNEXPECTED_RESPONSE', `unknown error_code ${JSON.stringify(code)} from ${url}${text}`);
  }
}
