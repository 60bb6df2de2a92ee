import { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { createApp } from '../src/bootstrap';
import { checkHealth } from '../src/platform/health/healthcheck';
import { clearQueues, FAST_ENV, testConfig, testQueuePrefix, waitFor } from './support/test-app';
import { createTestDatabase } from './support/test-database';

const ROOT = resolve(__dirname, '..');

/** Each role's container health check: HTTP for the api, a heartbeat file for worker and scheduler. */
describe('health checks that fit each role', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const prefix = testQueuePrefix();
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await clearQueues(prefix);
    await db.drop();
  });

  it.each([['worker'], ['scheduler']])('a %s writes a heartbeat while it runs; the check passes, and fails once it stops', async (role) => {
    const file = join(tmpdir(), `peh-heartbeat-${randomBytes(4).toString('hex')}`);
    const env = { ...FAST_ENV, APP_ROLE: role, HEARTBEAT_FILE: file, HEARTBEAT_INTERVAL_MS: '200', DATABASE_URL: db.url, QUEUE_PREFIX: prefix };
    expect(await checkHealth(env)).toEqual({ healthy: false, reason: 'no heartbeat yet' });
    const app: INestApplication = await createApp(testConfig(db.url, prefix, env), { listen: false });
    try {
      await waitFor(async () => (existsSync(file) ? true : undefined), 10_000, 'heartbeat file');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: process.pid, roles: [role] });
      expect((await checkHealth(env)).healthy).toBe(true);
      // a heartbeat older than three intervals is unhealthy (the process hangs or lost its stores)
      expect((await checkHealth(env, Date.now() + 60_000)).healthy).toBe(false);
    } finally {
      await app.close();
    }
    expect((await checkHealth(env)).healthy).toBe(false);
  });

  it('the api is probed on its HTTP port', async () => {
    const app = await createApp(testConfig(db.url, prefix, { APP_ROLE: 'api' }), { listen: false });
    await app.listen(0, '127.0.0.1');
    const port = new URL((await app.getUrl()).replace('[::1]', '127.0.0.1')).port;
    try {
      expect(await checkHealth({ ...FAST_ENV, APP_ROLE: 'api', PORT: port })).toMatchObject({ healthy: true });
    } finally {
      await app.close();
    }
    expect((await checkHealth({ ...FAST_ENV, APP_ROLE: 'api', PORT: port })).healthy).toBe(false);
  });

  it('docker: the image and every service role use the role-aware check; worker and scheduler do not probe HTTP', () => {
    const dockerfile = readFileSync(join(ROOT, 'docker/Dockerfile'), 'utf8');
    const serviceStage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(serviceStage).toMatch(/HEALTHCHECK .*"node", "dist\/platform\/health\/healthcheck\.js"/);
    const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { healthcheck?: { test: string[] } }> };
    for (const role of ['api', 'worker', 'scheduler']) {
      const test = compose.services[role].healthcheck?.test.join(' ') ?? '';
      expect({ role, test }).toEqual({ role, test: expect.stringContaining('dist/platform/health/healthcheck.js') });
      if (role !== 'api') expect(test).not.toMatch(/http|health\/live|PORT/);
    }
  });
});
