import { runMigrations } from '../../src/platform/database/migrate';
import { TEMPLATE_ENV, admin, databaseUrl } from './test-database';

/** Creates this run's template database, migrated once; each spec file clones it. */
export default async function globalSetup(): Promise<void> {
  const name = `peh_test_${process.pid}_${Date.now().toString(36)}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  await runMigrations(databaseUrl(name));
  process.env[TEMPLATE_ENV] = name;
}
