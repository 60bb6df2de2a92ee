import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabase } from './ensure-database';

/** Creates the database if it does not exist and applies pending migrations; returns their names. */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  await ensureDatabase(databaseUrl);
  const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl }, { requireSecrets: false });
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
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
