import type { LocalPostgres } from '../../scripts/local-services';
import { EMBEDDED_KEY } from './global-setup';
import { TEMPLATE_ENV, admin } from './test-database';

/** Drops this run's template and any database a crashed spec left behind; stops an embedded PostgreSQL it started. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (template) {
    await admin(async (c) => {
      const { rows } = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${template}%`]);
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    });
  }
  await (globalThis as Record<symbol, LocalPostgres | undefined>)[EMBEDDED_KEY]?.stop();
}
