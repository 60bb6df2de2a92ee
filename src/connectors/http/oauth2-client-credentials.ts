import { EgressPolicy, egressAxios } from '../../platform/http/egress-policy';
import { PermanentSourceError, TransientSourceError, networkFailure } from '../connector-errors';
import { SourceAuth } from './source-http';

/**
 * OAuth2 client credentials for sources that use it: the token is fetched on first use, renewed shortly before
 * its announced expiry, and forgotten on a 401. The token response is never archived or logged (it is a secret).
 */
export class OAuth2ClientCredentials implements SourceAuth {
  private token: { value: string; expiresAt: number } | null = null;

  constructor(
    private readonly options: { baseUrl: string; tokenPath: string; clientId: string; clientSecret: string; scope?: string; timeoutMs: number; egress: EgressPolicy },
  ) {}

  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.accessToken()}` };
  }

  invalidate(): void {
    this.token = null;
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const url = new URL(this.options.tokenPath, this.options.baseUrl.replace(/\/?$/, '/')).toString();
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: this.options.clientId, client_secret: this.options.clientSecret });
    if (this.options.scope) form.set('scope', this.options.scope);
    let response;
    try {
      // redirects are followed (a few), each one checked by the egress policy like the first request
      response = await egressAxios(this.options.egress, { maxRedirects: 3 }).post(url, form.toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        timeout: this.options.timeoutMs,
        validateStatus: () => true,
      });
    } catch (error) {
      throw networkFailure(error, url, this.options.timeoutMs);
    }
    if (response.status === 400 || response.status === 401 || response.status === 403) {
      throw new PermanentSourceError('AUTH_FAILED', `token request rejected with HTTP ${response.status}: check the client id and secret`);
    }
    if (response.status !== 200 || typeof response.data?.access_token !== 'string') {
      throw new TransientSourceError('SERVER_ERROR', `token request to ${url} answered HTTP ${response.status}`);
    }
    const ttl = Number(response.data.expires_in) > 0 ? Number(response.data.expires_in) * 1000 : 300_000;
    this.token = { value: response.data.access_token, expiresAt: Date.now() + Math.max(ttl - 30_000, ttl / 2) };
    return this.token.value;
  }
}
