import { AxiosInstance, AxiosResponse } from 'axios';
import { EgressPolicy, egressAxios } from '../../platform/http/egress-policy';
import { parseRetryAfter } from '../../platform/queue/backoff';
import { sourceRetryPolicy } from '../http/source-http';
import { PermanentSourceError, TransientSourceError, networkFailure } from '../connector-errors';
import { errorForEnvelope, errorForStatus } from './one-stop-shop.errors';
import { OssEnvelope, OssPage, OssTokenResponse } from './one-stop-shop.types';

export interface OneStopShopClientOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** where outbound calls may go */
  egress: EgressPolicy;
  /** every data response body is handed here (the raw archive) before it is interpreted; returns its digest */
  onResponse: (response: { body: Buffer; url: string; status: number; durationMs: number; contentType: string | null }) => Promise<string>;
  /** injected in tests */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** told of each retry (the run's step log) */
  onRetry?: (retry: { attempt: number; delayMs: number; reason: string }) => void;
}

export interface FetchedPage<T> {
  digest: string;
  body: Buffer;
  page: OssPage<T>;
}

interface Token {
  value: string;
  expiresAt: number;
}

/** Seconds of margin before a token's announced expiry at which it is renewed ahead of time. */
const TOKEN_RENEW_MARGIN_MS = 30_000;

/**
 * Client of the one-stop-shop dossier API: OAuth2 client credentials with refresh, envelopes with errors inside
 * HTTP 200, per-request timeout, and retries with exponential backoff and full jitter for transient failures
 * (honouring Retry-After). Permanent failures surface at once. Secrets never go into error messages or URLs.
 */
export class OneStopShopClient {
  private readonly http: AxiosInstance;
  private token: Token | null = null;
  private readonly policy;

  constructor(private readonly options: OneStopShopClientOptions) {
    this.http = egressAxios(options.egress, {
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      responseType: 'arraybuffer',
      validateStatus: () => true,
      // the body is archived byte for byte; never let axios transform it
      transformResponse: [(data: unknown) => data],
      maxRedirects: 0,
    });
    this.policy = sourceRetryPolicy(options);
  }

  /** Fetches one page of a paged endpoint (`thutuc` or `hoso`). */
  async getPage<T>(path: string, params: Record<string, string | number>): Promise<FetchedPage<T>> {
    return this.policy.execute(() => this.getPageOnce<T>(path, params));
  }

  private async getPageOnce<T>(path: string, params: Record<string, string | number>, refreshed = false): Promise<FetchedPage<T>> {
    const token = await this.ensureToken();
    const url = this.describe(path, params);
    const started = Date.now();
    const response = await this.send(() =>
      this.http.get<Buffer>(path, { params, headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } }),
      url,
    );
    const body = Buffer.from(response.data ?? []);
    const digest = await this.options.onResponse({
      body,
      url,
      status: response.status,
      durationMs: Date.now() - started,
      contentType: headerValue(response.headers['content-type']),
    });

    if (response.status === 401) {
      // expired or revoked token: fetch a new one and repeat the call once
      this.token = null;
      if (!refreshed) return this.getPageOnce<T>(path, params, true);
      throw new PermanentSourceError('AUTH_FAILED', `HTTP 401 from ${url} even with a fresh token`);
    }
    if (response.status !== 200) {
      throw errorForStatus(response.status, url, parseRetryAfter(headerValue(response.headers['retry-after']) ?? undefined, new Date()));
    }
    const envelope = parseJson<OssEnvelope<OssPage<T>>>(body, url);
    const error = errorForEnvelope(envelope.error_code, envelope.message, url);
    if (error) throw error;
    const page = envelope.data;
    if (!page || typeof page !== 'object' || !Array.isArray(page.danhSach)) {
      throw new TransientSourceError('UNEXPECTED_RESPONSE', `response from ${url} has no data.danhSach list`);
    }
    return { digest, body, page };
  }

  private async ensureToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const url = `${this.http.defaults.baseURL}/oauth2/token`;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
    });
    const response = await this.send(
      () => this.http.post<Buffer>('/oauth2/token', form.toString(), { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }),
      url,
    );
    // The token response holds a secret (the access token): it is deliberately not archived.
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      throw new PermanentSourceError('AUTH_FAILED', `token request rejected with HTTP ${response.status}: check the client id and secret`);
    }
    if (response.status !== 200) {
      throw errorForStatus(response.status, url, parseRetryAfter(headerValue(response.headers['retry-after']) ?? undefined, new Date()));
    }
    const parsed = parseJson<OssTokenResponse>(Buffer.from(response.data ?? []), url);
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      throw new PermanentSourceError('AUTH_FAILED', 'token response has no access_token');
    }
    const ttlMs = (Number(parsed.expires_in) > 0 ? Number(parsed.expires_in) : 300) * 1000;
    this.token = { value: parsed.access_token, expiresAt: Date.now() + Math.max(ttlMs - TOKEN_RENEW_MARGIN_MS, ttlMs / 2) };
    return this.token.value;
  }

  private async send(call: () => Promise<AxiosResponse<Buffer>>, url: string): Promise<AxiosResponse<Buffer>> {
    try {
      return await call();
    } catch (error) {
      throw networkFailure(error, url, this.options.timeoutMs);
    }
  }

  private describe(path: string, params: Record<string, string | number>): string {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
    return `${this.http.defaults.baseURL}${path}${query ? `?${query}` : ''}`;
  }
}

function headerValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return null;
}

function parseJson<T>(body: Buffer, url: string): T {
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    // a truncated body under load is worth another try; a systematically broken one runs out of attempts
    throw new TransientSourceError('UNEXPECTED_RESPONSE', `response from ${url} is not valid JSON (${body.length} bytes)`);
  }
}
