import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { admin, databaseUrl } from './support/test-database';
import { testQueuePrefix, waitFor } from './support/test-app';
import { exited, startServiceProcess } from './support/worker-process';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

describe('start-up of the real process', () => {
  const name = `peh_startup_${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });

  it('refuses to start on bad configuration, naming every bad variable', async () => {
    const child = startServiceProcess({ PORT: 'eighty', REDIS_URL: 'http://nope', APP_ROLE: 'api,cook' });
    const ended = await exited(child, 60_000);
    expect(ended.code).toBe(78);
    const output = child.output();
    expect(output).toContain('PORT');
    expect(output).toContain('REDIS_URL');
    expect(output).toContain('APP_ROLE');
  });

  it('creates a missing database, applies the migrations at start and answers readiness', async () => {
    const port = await freePort();
    const child = startServiceProcess({ APP_ROLE: 'api', PORT: String(port), DATABASE_URL: databaseUrl(name), MIGRATIONS_RUN: 'true', QUEUE_PREFIX: testQueuePrefix() });
    try {
      const ready = await waitFor(async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
        return res?.status === 200 ? res.json() : undefined;
      }, 90_000, 'readiness');
      expect(ready).toMatchObject({ status: 'ok' });
      const applied = await admin(async () => {
        const { Client } = await import('pg');
        const c = new Client({ connectionString: databaseUrl(name) });
        await c.connect();
        try {
          return (await c.query('SELECT name FROM schema_migration')).rows.map((r) => r.name);
        } finally {
          await c.end();
        }
      });
      expect(applied).toContain('InitialSchema1764000000000');
    } finally {
      child.kill('SIGTERM');
      await exited(child);
    }
  });
});
