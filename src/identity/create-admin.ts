import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN, USERNAME_RULE } from '../platform/auth/account-rules';
import 'reflect-metadata';
import { Pool } from 'pg';
import { parseArgs } from 'node:util';
import { ConfigValidationError, loadConfig } from '../platform/config/app-config';
import { runMigrations } from '../platform/database/migrate';
import { hashPassword } from './password-hash';
import { insertAuditEvent } from '../audit/audit-store';
import { systemActor } from '../audit/audit.types';

/**
 * `npm run admin:create -- --username <name> [--reset]`: creates an administrator (or, with --reset, sets a new
 * password on an existing user and makes it an active administrator). The password is read from the
 * ADMIN_PASSWORD environment variable or, when that is unset, from the first line of standard input; it is never
 * a command-line argument (those show up in process lists and shell history) and there is no default.
 */
export async function createAdmin(databaseUrl: string, username: string, password: string, options: { reset: boolean; hashCost: number }): Promise<'created' | 'reset'> {
  if (!USERNAME_PATTERN.test(username)) throw new Error(`the user name must be ${USERNAME_RULE}`);
  if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  await runMigrations(databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const hash = await hashPassword(password, options.hashCost);
    const inserted = await pool.query(
      `INSERT INTO app_user (username, password_hash, role) VALUES ($1, $2, 'admin') ON CONFLICT (username) DO NOTHING RETURNING id`,
      [username, hash],
    );
    let outcome: 'created' | 'reset' = 'created';
    let id: string = inserted.rows[0]?.id;
    if (!id) {
      if (!options.reset) throw new Error(`user ${username} exists: add --reset to set a new password and make it an administrator`);
      const updated = await pool.query(
        `UPDATE app_user SET password_hash = $2, role = 'admin', province_code = NULL, disabled = false, updated_at = now() WHERE username = $1 RETURNING id`,
        [username, hash],
      );
      id = updated.rows[0].id;
      await pool.query(`UPDATE auth_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [id]);
      outcome = 'reset';
    }
    await insertAuditEvent(pool, { ...systemActor('admin-create'), action: outcome === 'created' ? 'admin.create' : 'admin.reset', target: id, outcome: 'succeeded' });
    return outcome;
  } finally {
    await pool.end();
  }
}

async function readFirstLine(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('password for the administrator (input is shown; prefer ADMIN_PASSWORD): ');
  let data = '';
  for await (const chunk of process.stdin) {
    data += chunk;
    if (data.includes('\n')) break;
  }
  return data.split(/\r?\n/)[0];
}

if (require.main === module) {
  void (async () => {
    try {
      const { values } = parseArgs({ options: { username: { type: 'string' }, reset: { type: 'boolean', default: false } } });
      if (!values.username) throw new Error('usage: npm run admin:create -- --username <name> [--reset]   (password from ADMIN_PASSWORD or stdin)');
      const config = loadConfig(process.env, { requireSecrets: false });
      const password = process.env.ADMIN_PASSWORD ?? (await readFirstLine());
      const outcome = await createAdmin(config.DATABASE_URL, values.username, password, { reset: values.reset ?? false, hashCost: config.PASSWORD_HASH_COST });
      process.stdout.write(`administrator ${values.username} ${outcome === 'created' ? 'created' : 'reset'}\n`);
    } catch (error) {
      process.stderr.write(`${error instanceof ConfigValidationError || error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
  })();
}
