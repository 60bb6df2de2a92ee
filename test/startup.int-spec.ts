import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createApp } from '../src/bootstrap';
import { MIGRATIONS } from '../src/platform/database/data-source-options';
import { runMigrations } from '../src/platform/database/migrate';
import { clearQueues, testConfig, testQueuePrefix } from './support/test-app';
import { admin, databaseUrl } from './support/test-database';

async function migrationRows(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM schema_migration')).rows[0].n);
  } finally {
    await c.end();
  }
}

/** Several replicas starting at once against a missing database or an empty schema. */
describe('start-up of several replicas at once', () => {
  const created: string[] = [];
  const fresh = () => {
    const name = `peh_startup_${randomBytes(4).toString('hex')}`;
    created.push(name);
    return name;
  };
  afterAll(async () => {
    for (const name of created) await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });

  it('against a missing database: one creates and migrates it, the others wait and find nothing to do', async () => {
    const url = databaseUrl(fresh());
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => runMigrations(url)));
    expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const applied = results.map((r) => (r as PromiseFulfilledResult<string[]>).value.length).sort((a, b) => b - a);
    expect(applied).toEqual([MIGRATIONS.length, 0, 0, 0, 0]);
    expect(await migrationRows(url)).toBe(MIGRATIONS.length);
  });

  it('against an existing database with no schema, the same', async () => {
    const name = fresh();
    await admin((c) => c.query(`CREATE DATABASE "${name}"`));
    const url = databaseUrl(name);
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => runMigrations(url)));
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(results.map((r) => (r as PromiseFulfilledResult<string[]>).value.length).reduce((a, b) => a + b, 0)).toBe(MIGRATIONS.length);
    expect(await migrationRows(url)).toBe(MIGRATIONS.length);
  });

  it('three services started together (MIGRATIONS_RUN) all come up on a database that did not exist', async () => {
    const url = databaseUrl(fresh());
    const prefix = testQueuePrefix();
    const apps: INestApplication[] = [];
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 3 }, async () => {
          const app = await createApp(testConfig(url, prefix, { MIGRATIONS_RUN: 'true', APP_ROLE: 'api' }), { listen: false });
          apps.push(app);
          return app;
        }),
      );
      expect(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
      expect(await migrationRows(url)).toBe(MIGRATIONS.length);
    } finally {
      for (const app of apps) await app.close();
      await clearQueues(prefix);
    }
  });
});
