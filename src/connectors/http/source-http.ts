import { AxiosInstance, AxiosResponse } from 'axios';
import { DelegateBackoff, handleWhen, retry } from 'cockatiel';
import { exponentialBackoffMs, parseRetryAfter } from '../../platform/queue/backoff';
import { PermanentSourceError, SourceError, TransientSourceError, networkFailure } from '../connector-errors';
import { EgressPolicy, egressAxios } from '../../platform/http/egress-policy';
import { upstreamMessage } from './upstream-message';

/** Credentials that are not a fixed header: a token fetched (and refreshed) on demand. */
export interface SourceAuth {
  headers(): Promise<Record<string, string>>;
  /** the source answered 401: forget the token so the next call fetches a new one */
  invalidate(): void;
}

export interface SourceHttpOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  auth?: SourceAuth;
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** where outbound calls may go (checked on every request, redirect and resolved address) */
  egress: EgressPolicy;
  /** every response body is handed here (the raw archive) before it is interpreted; returns its digest */
  onResponse: (response: { body: Buffer; url: string; status: number; durationMs: number; contentType: string | null }) => Promise<string>;
  random?: () => number;
  /** told of each retry (the run's step log) */
  onRetry?: (retry: { attempt: number; delayMs: number; reason: string }) => void;
}

export interface SourceResponse {
  body: Buffer;
  digest: string;
  status: number;
  contentType: string | null;
}

/**
 * HTTP for sources that speak plain status codes: GET with a per-request timeout; 429 (honouring Retry-After),
 * 502/503/504, timeouts and network errors are retried with exponential backoff and full jitter; 400, 401, 403
 * and 404 are permanent. Every body received is archived before it is looked at. Secrets live in headers only,
 * never in URLs or messages.
 */
export class SourceHttp {
  private readonly http: AxiosInstance;
  private readonly policy;

  constructor(private readonly options: SourceHttpOptions) {
    this.http = egressAxios(options.egress, {
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      responseType: 'arraybuffer',
      validateStatus: () => true,
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
      headers: options.headers,
    });
    this.policy = sourceRetryPolicy(options);
  }

  /** GET a path (or an absolute URL on the same source) and return the archived body of a 2xx answer. */
  get(pathOrUrl: string, params: Record<string, string | number> = {}, headers: Record<string, string> = {}): Promise<SourceResponse> {
    return this.policy.execute(() => this.getOnce(pathOrUrl, params, headers));
  }

  /**
   * GET and interpret in one retried step: `read` may throw a TransientSourceError (e.g. an error envelope
   * saying "busy" inside HTTP 200), which is retried like an HTTP failure.
   */
  getAndRead<T>(pathOrUrl: string, params: Record<string, string | number>, headers: Record<string, string>, read: (response: SourceResponse) => T): Promise<T> {
    return this.policy.execute(async () => read(await this.getOnce(pathOrUrl, params, headers)));
  }

  /**
   * POST a JSON body to a path (or an absolute URL on the same source) and return the archived body of a 2xx
   * answer; errors, retries and archiving as for `get`.
   */
  post(pathOrUrl: string, jsonBody: unknown, headers: Record<string, string> = {}): Promise<SourceResponse> {
    return this.policy.execute(() => this.postOnce(pathOrUrl, jsonBody, headers));
  }

  private getOnce(pathOrUrl: string, params: Record<string, string | number>, extraHeaders: Record<string, string> = {}): Promise<SourceResponse> {
    return this.once({ method: 'GET', pathOrUrl, params, headers: extraHeaders });
  }

  private postOnce(pathOrUrl: string, jsonBody: unknown, extraHeaders: Record<string, string>): Promise<SourceResponse> {
    return this.once({ method: 'POST', pathOrUrl, params: {}, headers: { 'Content-Type': 'application/json', ...extraHeaders }, body: JSON.stringify(jsonBody ?? null) });
  }

  /** One request: archive the body, map the status to a result or to a permanent / transient error. */
  private async once(req: { method: 'GET' | 'POST'; pathOrUrl: string; params: Record<string, string | number>; headers: Record<string, string>; body?: string }, refreshed = false): Promise<SourceResponse> {
    const url = describe(this.http.defaults.baseURL ?? '', req.pathOrUrl, req.params);
    const started = Date.now();
    let response: AxiosResponse<Buffer>;
    let headers: Record<string, string> = req.headers;
    try {
      headers = { ...req.headers, ...(this.options.auth ? await this.options.auth.headers() : {}) };
      response = await this.http.request<Buffer>({ method: req.method, url: req.pathOrUrl, params: req.params, headers, data: req.body });
    } catch (error) {
      throw networkFailure(error, url, this.options.timeoutMs);
    }
    const body = Buffer.from(response.data ?? []);
    const contentType = header(response.headers['content-type']);
    const digest = await this.options.onResponse({ body, url, status: response.status, durationMs: Date.now() - started, contentType });
    const status = response.status;
    if (status >= 200 && status < 300) return { body, digest, status, contentType };
    if (status === 401 && this.options.auth && !refreshed) {
      // an expired token: fetch a new one and repeat the call once
      this.options.auth.invalidate();
      return this.once(req, true);
    }
    // what the source said, with every credential value this request carried masked
    const secrets = [...Object.values(headers), ...Object.values(this.options.headers ?? {})];
    const saidText = upstreamMessage(body, contentType, secrets.flatMap((v) => [v, v.replace(/^(Bearer|Basic)\s+/i, '')]));
    const said = saidText ? ` (the source says: ${saidText})` : '';
    if (status === 401 || status === 403) throw new PermanentSourceError('AUTH_FAILED', `HTTP ${status} from ${url}: check the credentials${said}`);
    if (status === 404) throw new PermanentSourceError('NOT_FOUND', `HTTP 404 from ${url}${said}`);
    if (status === 400) throw new PermanentSourceError('BAD_REQUEST', `HTTP 400 from ${url}${said}`);
    const retryAfter = parseRetryAfter(header(response.headers['retry-after']), new Date());
    if (status === 429) throw new TransientSourceError('RATE_LIMITED', `HTTP 429 from ${url}${said}`, retryAfter);
    if (status >= 500) throw new TransientSourceError('SERVER_ERROR', `HTTP ${status} from ${url}${said}`, retryAfter);
    throw new PermanentSourceError('UNEXPECTED_RESPONSE', `HTTP ${status} from ${url}${said}`);
  }

}

/**
 * The retry policy of every source client: transient errors only, exponential backoff with full jitter, never
 * shorter than what the source asked for in Retry-After (up to the maximum backoff).
 */
export function sourceRetryPolicy(options: {
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  random?: () => number;
  onRetry?: SourceHttpOptions['onRetry'];
}) {
  const random = options.random ?? Math.random;
  const policy = retry(handleWhen((e) => e instanceof TransientSourceError), {
    maxAttempts: Math.max(0, options.maxAttempts - 1),
    backoff: new DelegateBackoff((context: { attempt: number; result: unknown }) => {
      const error = (context.result as { error?: unknown }).error;
      const backoff = exponentialBackoffMs(context.attempt, { baseMs: options.backoffBaseMs, maxMs: options.backoffMaxMs, jitter: 'full' }, random);
      const asked = error instanceof SourceError && error.retryAfterMs !== null ? error.retryAfterMs : 0;
      return Math.max(backoff, Math.min(asked, options.backoffMaxMs));
    }),
  });
  const onRetry = options.onRetry;
  if (onRetry) {
    // each retry is told (the run's step log)
    policy.onRetry((event) => {
      const error = 'error' in event ? event.error : null;
      onRetry({ attempt: event.attempt, delayMs: Math.round(event.delay), reason: error instanceof Error ? error.message : 'retried' });
    });
  }
  return policy;
}

function header(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

function describe(base: string, pathOrUrl: string, params: Record<string, string | number>): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const full = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${base}${pathOrUrl}`;
  return query ? `${full}${full.includes('?') ? '&' : '?'}${query}` : full;
}

/** Parses a JSON body; an unreadable one is transient (truncated under load), up to the attempts. */
export function parseJsonBody<T>(body: Buffer, url: string): T {
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new TransientSourceError('UNEXPECTED_RESPONSE', `response from ${url} is not valid JSON (${body.length} bytes)`);
  }
}
