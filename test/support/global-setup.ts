import { ensurePostgres, ensureRedis, LocalPostgres, LocalServiceError } from '../../scripts/local-services';
import { runMigrations } from '../../src/platform/database/migrate';
import { ADMIN_ENV, TEMPLATE_ENV, admin, adminUrl, databaseUrl } from './test-database';

/** the embedded PostgreSQL this run started, stopped by global teardown (same process) */
export const EMBEDDED_KEY = Symbol.for('par-evidence-hub.test.embedded-postgres');

/**
 * Checks Redis (stops at once with how to get one), finds PostgreSQL (an embedded one when none answers), and
 * creates this run's template database, migrated once; each spec file clones it.
 */
export default async function globalSetup(): Promise<void> {
  try {
    await ensureRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const server = await ensurePostgres(adminUrl(), { log: (line) => process.stdout.write(`\n${line}\n`) });
    process.env[ADMIN_ENV] = server.adminUrl;
    (globalThis as Record<symbol, LocalPostgres>)[EMBEDDED_KEY] = server;
  } catch (error) {
    if (error instanceof LocalServiceError) {
      process.stderr.write(`\n${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const name = `peh_test_${process.pid}_${Date.now().toString(36)}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  await runMigrations(databaseUrl(name));
  process.env[TEMPLATE_ENV] = name;
}
