import { Client } from 'pg';

/** Session advisory-lock keys (one bigint namespace per purpose), shared by every replica. */
export const CREATE_DATABASE_LOCK = 7_310_466_001n;
export const MIGRATION_LOCK = 7_310_466_002n;

/** Runs `work` while holding a session advisory lock on `client`; other replicas wait for it. */
export async function withAdvisoryLock<T>(client: Client, key: bigint, work: () => Promise<T>): Promise<T> {
  await client.query('SELECT pg_advisory_lock($1)', [key.toString()]);
  try {
    return await work();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [key.toString()]).catch(() => undefined);
  }
}

/**
 * Creates the database named in the URL when it is missing (developer machines, demo, tests, first start).
 * Replicas starting together take turns under an advisory lock on the maintenance database: one creates it,
 * the others then find it.
 */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return;
  if (!/^[a-zA-Z0-9_]+$/.test(name)) throw new Error(`DATABASE_URL: database name "${name}" may hold only letters, digits and _`);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await withAdvisoryLock(client, CREATE_DATABASE_LOCK, async () => {
      const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount !== 0) return;
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (error) {
        // created meanwhile by a process that does not take the lock (42P04 duplicate database, 23505 catalogue race)
        const code = (error as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw error;
      }
    });
  } finally {
    await client.end();
  }
}
