import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { Principal } from '../platform/auth/access-policy';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { InjectPool } from '../platform/database/database.module';
import { decoyHash, verifyPassword } from './password-hash';
import { API_KEY_PREFIX, MAX_SECRET_LENGTH, TOKEN_PREFIX, newSecret, secretHash } from './secret-tokens';

export interface IssuedToken {
  token: string;
  tokenType: 'Bearer';
  expiresAt: Date;
  principal: Principal;
}

/** Sign-in with a password, bearer tokens with expiry, and recognising a caller from a token or an API key. */
@Injectable()
export class AuthService {
  private decoy: Promise<string> | null = null;

  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A token for the right password of an active user; null otherwise (same work either way). */
  async login(username: string, password: string): Promise<IssuedToken | null> {
    const { rows } = await this.pool.query(
      `SELECT id, username, role, province_code, password_hash FROM app_user WHERE username = $1 AND NOT disabled`,
      [username],
    );
    const user = rows[0];
    const stored = user?.password_hash ?? (await (this.decoy ??= decoyHash(this.config.PASSWORD_HASH_COST)));
    const ok = await verifyPassword(password, stored);
    if (!user || !ok) return null;
    const token = newSecret(TOKEN_PREFIX);
    const expiresAt = new Date(Date.now() + this.config.AUTH_TOKEN_TTL_SECONDS * 1000);
    await this.pool.query(`INSERT INTO auth_token (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`, [secretHash(token), user.id, expiresAt]);
    return {
      token,
      tokenType: 'Bearer',
      expiresAt,
      principal: { kind: 'user', id: user.id, name: user.username, role: user.role, provinceCode: user.province_code },
    };
  }

  async logout(token: string): Promise<void> {
    await this.pool.query(`UPDATE auth_token SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL`, [secretHash(token)]);
  }

  /** The caller behind a bearer token or an API key, or null when it is unknown, expired, revoked or disabled. */
  async authenticate(secret: string): Promise<Principal | null> {
    // our secrets are under 100 characters: anything much longer is not worth hashing
    if (secret.length > MAX_SECRET_LENGTH) return null;
    if (secret.startsWith(API_KEY_PREFIX)) return this.byApiKey(secret);
    if (!secret.startsWith(TOKEN_PREFIX)) return null;
    const { rows } = await this.pool.query(
      `SELECT u.id, u.username, u.role, u.province_code FROM auth_token t JOIN app_user u ON u.id = t.user_id
       WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND NOT u.disabled`,
      [secretHash(secret)],
    );
    const u = rows[0];
    return u ? { kind: 'user', id: u.id, name: u.username, role: u.role, provinceCode: u.province_code } : null;
  }

  private async byApiKey(key: string): Promise<Principal | null> {
    const { rows } = await this.pool.query(
      `SELECT id, name, role, province_code, (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS stale
       FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [secretHash(key)],
    );
    const k = rows[0];
    if (!k) return null;
    // last use is kept to the minute, so a busy client does not write on every request
    if (k.stale) void this.pool.query(`UPDATE api_key SET last_used_at = now() WHERE id = $1`, [k.id]).catch(() => undefined);
    return { kind: 'api-key', id: k.id, name: k.name, role: k.role, provinceCode: k.province_code };
  }
}
