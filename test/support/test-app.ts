import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/platform/config/app-config';
import { PG_POOL } from '../../src/platform/database/database.module';
import { ApiKeysService } from '../../src/identity/api-keys.service';
import { Role } from '../../src/platform/auth/access-policy';

/** An HTTP client of the API that sends a credential with every request. */
export type Api = TestAgent;

/** Settings that make tests quick: short debounces and locks, fast retries. Overridable per spec. */
export const FAST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PORT: '0',
  MIGRATIONS_RUN: 'false',
  EVIDENCE_DEBOUNCE_MS: '200',
  SCORING_DEBOUNCE_MS: '200',
  SCHEDULER_TICK_MS: '60000',
  JOB_LOCK_MS: '5000',
  HTTP_TIMEOUT_MS: '5000',
  HTTP_BACKOFF_BASE_MS: '20',
  HTTP_BACKOFF_MAX_MS: '200',
  HTTP_MAX_ATTEMPTS: '5',
  WORKER_CONCURRENCY: '4',
  SHUTDOWN_GRACE_MS: '2000',
  // a fixed test key ring (never used outside tests); the cheapest password hash cost the config allows
  CREDENTIALS_KEYS: `test-1:${Buffer.alloc(32, 1).toString('base64')}`,
  PASSWORD_HASH_COST: '10',
  // the source simulators of the tests listen on this machine: the egress policy refuses loopback unless named
  EGRESS_ALLOW: '127.0.0.1,localhost',
};

export function testQueuePrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}

export function testConfig(databaseUrl: string, queuePrefix: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...FAST_ENV, DATABASE_URL: databaseUrl, QUEUE_PREFIX: queuePrefix, ...env });
}

export interface TestApp {
  app: INestApplication;
  url: string;
  pool: Pool;
  /** the API as an administrator (an API key made at start) */
  api: Api;
  /** the API as a new API key of the given role (and province, for officers) */
  as: (role: Role, provinceCode?: string) => Promise<Api>;
  close: () => Promise<void>;
}

/** A client that presents `secret` as a bearer credential on every request. */
export function apiWith(url: string, secret: string): Api {
  return request.agent(url).set('Authorization', `Bearer ${secret}`);
}

/** Starts the real service (chosen roles) on an ephemeral port against the given database and queue prefix. */
export async function startTestApp(databaseUrl: string, queuePrefix: string, env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(databaseUrl, queuePrefix, env);
  const app = await createApp(config, { listen: false });
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const keys = app.get(ApiKeysService);
  const as = async (role: Role, provinceCode?: string) =>
    apiWith(url, (await keys.create({ name: `test-${role}-${provinceCode ?? 'all'}`, role, provinceCode: provinceCode ?? null }, null)).key);
  return { app, url, pool: app.get<Pool>(PG_POOL), api: await as('admin'), as, close: () => app.close() };
}

/** Deletes every Redis key of a queue prefix (each spec file uses its own). */
export async function clearQueues(prefix: string): Promise<void> {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls `check` until it returns a value that is not undefined, or fails with the last state after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
