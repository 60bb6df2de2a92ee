import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabase, MIGRATION_LOCK, withAdvisoryLock } from './ensure-database';

/**
 * Creates the database if it does not exist and applies pending migrations; returns their names.
 * Safe for several replicas starting at once: migrations run under an advisory lock, so one replica applies
 * them and the others wait, then find nothing pending.
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl }, { requireSecrets: false });
  const lock = new Client({ connectionString: databaseUrl, application_name: 'par-evidence-hub migrations' });
  await lock.connect();
  try {
    return await withAdvisoryLock(lock, MIGRATION_LOCK, async () => {
      const ds = new DataSource(dataSourceOptions(config));
      await ds.initialize();
      try {
        const applied = await ds.runMigrations({ transaction: 'each' });
        return applied.map((m) => m.name);
      } finally {
        await ds.destroy();
      }
    });
  } finally {
    await lock.end();
  }
}

/** `npm run migration:run` */
if (require.main === module) {
  const config = loadConfig(process.env, { requireSecrets: false });
  runMigrations(config.DATABASE_URL)
    .then((applied) => process.stdout.write(JSON.stringify({ msg: 'migrations applied', applied }) + '\n'))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
