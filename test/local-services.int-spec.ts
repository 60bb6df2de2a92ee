import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ensurePostgres, ensureRedis, LocalServiceError } from '../scripts/local-services';
import { MIGRATIONS } from '../src/platform/database/data-source-options';

const ROOT = resolve(__dirname, '..');

/** A port nothing listens on (taken from the OS, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Runs a TypeScript entry point with ts-node and the given environment; its exit status and output. */
function runTs(args: string[], env: Record<string, string>): { status: number | null; output: string } {
  const res = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 90_000,
  });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/** The fresh-machine path of `npm run demo` and `npm test`: an embedded PostgreSQL, and a clear stop without Redis. */
describe('local services for the demo and the tests', () => {
  it('`npm test` global setup starts an embedded PostgreSQL when none answers, migrates its template on it, and teardown stops it', async () => {
    const dataDir = join(ROOT, '.local', `test-embedded-${randomBytes(4).toString('hex')}`);
    const port = await closedPort();
    // the real global setup and teardown, in a plain Node process as jest runs them (not in a spec's sandbox)
    const script = `
      const { Client } = require('pg');
      (async () => {
        await require('./test/support/global-setup').default();
        const admin = process.env.TEST_DATABASE_ADMIN_URL, template = process.env.PEH_TEST_TEMPLATE_DB;
        const url = new URL(admin); url.pathname = '/' + template;
        const c = new Client({ connectionString: url.toString() }); await c.connect();
        const migrations = Number((await c.query('SELECT count(*) AS n FROM schema_migration')).rows[0].n); await c.end();
        const second = await require('./scripts/local-services').ensurePostgres(process.env.TEST_DATABASE_ADMIN_URL);
        await require('./test/support/global-teardown').default();
        const after = await require('./scripts/local-services').postgresAnswers(admin, 1000);
        console.log('RESULT ' + JSON.stringify({ admin, migrations, secondEmbedded: second.embedded, after }));
      })().catch((e) => { console.error(e); process.exit(2); });`;
    try {
      const run = runTs(['-e', script], {
        TEST_DATABASE_ADMIN_URL: `postgres://postgres@127.0.0.1:${await closedPort()}/postgres`,
        EMBEDDED_PG_PORT: String(port),
        EMBEDDED_PG_DIR: dataDir,
      });
      const line = run.output.split('\n').find((l) => l.startsWith('RESULT '));
      if (!line) throw new Error(`no result (exit ${run.status}): ${run.output.slice(-2000)}`);
      const result = JSON.parse(line.slice('RESULT '.length));
      expect(new URL(result.admin).port).toBe(String(port)); // the embedded server, not the closed port
      expect(result.migrations).toBe(MIGRATIONS.length); // the template was migrated on it
      expect(result.secondEmbedded).toBe(false); // a second caller reuses the running server
      expect(result.after).toBe(false); // teardown stopped it
      expect(run.output).toContain('starting an embedded one');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('uses the configured PostgreSQL when it answers (no embedded server)', async () => {
    const server = await ensurePostgres(process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
    expect(server.embedded).toBe(false);
  });

  it('without Redis, stops at once naming how to get one', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const error = await ensureRedis(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LocalServiceError);
    expect((error as Error).message).toContain('redis-server');
    expect((error as Error).message).toContain('docker compose up -d redis');
  });

  it('`npm test` (global setup) and `npm run demo` exit with that message when Redis is missing', async () => {
    const env = { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` };
    const setup = runTs(['-e', "require('./test/support/global-setup').default()"], env);
    expect(setup.status).toBe(1);
    expect(setup.output).toMatch(/No Redis answers .*redis-server/s);
    const demo = runTs(['scripts/demo.ts'], env);
    expect(demo.status).toBe(1);
    expect(demo.output).toMatch(/No Redis answers .*redis-server/s);
    expect(demo.output).not.toContain('simulator on'); // stopped before starting anything
  });
});
