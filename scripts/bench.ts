/**
 * Ingest benchmark: `npm run bench` (or `BENCH_DOSSIERS=20000 npm run bench`).
 *
 * Pushes N dossiers from the one-stop-shop simulator (a child process) over HTTP through the real service
 * (a child process: fetch → raw archive → parse → upsert → evidence outbox → evidence → scores) into a
 * throwaway database, then COPYs the same normalised rows into a scratch table in the same database, and prints
 * rows/s of both, their ratio (pipeline / COPY) and the service's peak resident memory.
 *
 * Options (flag or environment):
 *   --dossiers=N          BENCH_DOSSIERS           dossiers in total, split evenly over the provinces (1,000,000)
 *   --provinces=79,01     BENCH_PROVINCES          province codes (79)
 *   --concurrency=N       BENCH_WORKER_CONCURRENCY the service's WORKER_CONCURRENCY (2)
 *   --page-size=N         BENCH_PAGE_SIZE          connector pageSize (1000)
 *   --seed=S              BENCH_SEED               simulator seed (1)
 *   --timeout-minutes=M   BENCH_TIMEOUT_MINUTES    give up after this long (30)
 *   --keep                BENCH_KEEP=1             keep the database (it is dropped otherwise, also on failure)
 *   --ts-node             BENCH_TS_NODE=1          run the service from the TypeScript sources (no build)
 *   --evidence-debounce-ms=N  BENCH_EVIDENCE_DEBOUNCE_MS  the service's EVIDENCE_DEBOUNCE_MS (5000)
 *   --scoring-dossiers=N  BENCH_SCORING_DOSSIERS   dossiers per province of the 34-province scoring benchmark (3,000; 0 skips)
 *   --postal-rows=N,M     BENCH_POSTAL_ROWS        sizes of the BCCI postal report memory benchmark run afterwards (50000,300000; 0 skips)
 *   --dvcqg-provinces=N   BENCH_DVCQG_PROVINCES    provinces of the Decision 766 unit scoring benchmark (34; 0 skips), see
 *                                                  scripts/bench/dvcqg-bench.ts (BENCH_DVCQG_UNITS units each, 200)
 *   --only=dvcqg          BENCH_ONLY=dvcqg         run only the Decision 766 unit scoring benchmark
 *
 * Targets (reported, not asserted): ratio ≥ 0.5, service peak RSS < 512 MB.
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { COPY_TABLE, copyRows, renderRows } from './bench/copy-baseline';
import { PostalBenchResult, postalBenchLines, postalMemoryBench } from './bench/postal-bench';
import { clearRedisPrefix, startSimulatorChild } from './bench/bench-children';
import { build } from './bench/build';
import { nationalProvinces, runIngestScale } from './bench/ingest-scale';
import { Child, Sampler, cpuSeconds, freePort, hwmBytes, startNode } from './bench/procs';

const ROOT = resolve(__dirname, '..');
const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'par-bench-dist');
const SIM_BUILD_DIR = join(ROOT, 'node_modules', '.cache', 'par-bench-simulators');
const RESULTS_DIR = join(ROOT, 'bench-results');
const YEAR = 2025;
const MALFORMED_RATE = 0.001;
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// options

function flag(name: string): string | undefined {
  const prefix = `--${name}=`;
  const hit = process.argv.slice(2).find((a) => a === `--${name}` || a.startsWith(prefix));
  if (hit === undefined) return undefined;
  return hit === `--${name}` ? 'true' : hit.slice(prefix.length);
}

function intOption(name: string, env: string, fallback: number, min = 1): number {
  const raw = flag(name) ?? process.env[env];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} / ${env} must be a whole number ≥ ${min} (got ${raw})`);
  return n;
}

function boolOption(name: string, env: string): boolean {
  const raw = flag(name) ?? process.env[env];
  return raw !== undefined && ['1', 'true', 'yes'].includes(raw.trim().toLowerCase());
}

const dossiersAsked = intOption('dossiers', 'BENCH_DOSSIERS', 1_000_000);
const provinces = (flag('provinces') ?? process.env.BENCH_PROVINCES ?? '79')
  .split(',')
  .map((p) => p.trim())
  .filter((p) => p !== '');
if (provinces.length === 0 || provinces.some((p) => !/^\d{2}$/.test(p)) || new Set(provinces).size !== provinces.length) {
  throw new Error('--provinces / BENCH_PROVINCES must be distinct two-digit codes, e.g. 79,01');
}
const perProvince = Math.max(1, Math.round(dossiersAsked / provinces.length));
const concurrency = intOption('concurrency', 'BENCH_WORKER_CONCURRENCY', 2);
const pageSize = intOption('page-size', 'BENCH_PAGE_SIZE', 1000);
const seedText = flag('seed') ?? process.env.BENCH_SEED ?? '1';
const seed: number | string = /^-?\d+$/.test(seedText) ? Number(seedText) : seedText;
const timeoutMs = intOption('timeout-minutes', 'BENCH_TIMEOUT_MINUTES', 30) * 60_000;
const keep = boolOption('keep', 'BENCH_KEEP');
const forceTsNode = boolOption('ts-node', 'BENCH_TS_NODE');
/** dossiers per province of the scoring benchmark (34 provinces; 0 skips it) */
const scoringDossiers = intOption('scoring-dossiers', 'BENCH_SCORING_DOSSIERS', 3000, 0);
/** sizes (rows) of the BCCI postal reports parsed after the pipeline (0 skips it) */
const postalSizes = (flag('postal-rows') ?? process.env.BENCH_POSTAL_ROWS ?? '50000,300000')
  .split(',')
  .map((x) => Number(x.replace(/_/g, '').trim()))
  .filter((x) => x > 0);
if (postalSizes.some((x) => !Number.isInteger(x))) throw new Error('--postal-rows / BENCH_POSTAL_ROWS must be whole numbers, e.g. 50000,300000');
const evidenceDebounceMs = intOption('evidence-debounce-ms', 'BENCH_EVIDENCE_DEBOUNCE_MS', 5000, 0);

const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14); // yyyyMMddHHmmss (UTC)
const dbName = `peh_bench_${stamp}_${randomBytes(2).toString('hex')}`;
const queuePrefix = `bench${stamp}${randomBytes(3).toString('hex')}`;
const databaseUrl = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  return u.toString();
})();

// ---------------------------------------------------------------------------------------------------------
// helpers

const t0 = Date.now();
function say(message: string): void {
  process.stdout.write(`[bench +${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}\n`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL, application_name: 'bench-admin' });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** the bench's bearer token, from signing in as the administrator the service creates at start */
let bearer: string | null = null;

async function http<T = any>(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed as T };
}

const clearRedis = (prefix: string) => clearRedisPrefix(REDIS_URL, prefix);

/** Tallies what the bench database's active backends are doing, sampled while the pipeline runs. */
class ActivitySampler {
  readonly tally = new Map<string, number>();
  samples = 0;
  private running = false;
  private loop: Promise<void> | null = null;

  constructor(private readonly db: Client) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        try {
          const { rows } = await this.db.query(
            `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS q
               FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND pid <> pg_backend_pid()`,
            [dbName],
          );
          this.samples++;
          for (const r of rows) {
            const key = `${describeQuery(r.q)} [${r.wait}]`;
            this.tally.set(key, (this.tally.get(key) ?? 0) + 1);
          }
        } catch {
          // the database may be going away
        }
        await sleep(500);
      }
    })();
  }

  async stop(): Promise<Array<{ what: string; share: number }>> {
    this.running = false;
    await this.loop;
    return [...this.tally.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .map(([what, n]) => ({ what, share: Number((n / Math.max(1, this.samples)).toFixed(2)) }));
  }
}

function describeQuery(q: string): string {
  const s = q.trim();
  if (/^WITH input AS/i.test(s)) return 'dossier upsert';
  if (/INSERT INTO raw_payload/i.test(s) || /^WITH stored AS/i.test(s)) return 'raw archive insert';
  if (/^INSERT INTO quarantine_record/i.test(s)) return 'quarantine insert';
  if (/^UPDATE connector_run/i.test(s)) return 'run checkpoint';
  if (/^COMMIT/i.test(s)) return 'COMMIT';
  if (/^BEGIN/i.test(s)) return 'BEGIN';
  return s.slice(0, 50);
}

// ---------------------------------------------------------------------------------------------------------
// the run

interface Report {
  [key: string]: unknown;
}

/** The Decision 766 unit scoring benchmark, in its own process (its own database). */
function dvcqgBenchInChild(provinces: number): Promise<Record<string, unknown>> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'scripts/bench/dvcqg-bench.ts'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, BENCH_DVCQG_PROVINCES: String(provinces) } },
      (err, out, stderr) => {
        const line = out.split('\n').find((l) => l.startsWith('DVCQG_RESULT '));
        if (err || !line) reject(new Error(`Decision 766 benchmark failed: ${stderr || err?.message}`));
        else resolvePromise(JSON.parse(line.slice('DVCQG_RESULT '.length)));
      },
    );
  });
}

function dvcqgLine(r: Record<string, any>): string {
  return `decision 766       ${r.provinces} provinces × ${r.unitsPerProvince} units × ${r.periods} periods (year, quarters, months): ${r.unitPeriodScores.toLocaleString('en')} unit scores ` +
    `(${r.itemScores.toLocaleString('en')} item scores, ${r.findings} findings) in ${r.seconds} s = ${r.itemScoresPerSecond.toLocaleString('en')} scores/s ` +
    `(${r.unitPeriodScoresPerSecond.toLocaleString('en')} unit-periods/s; rules ${r.rulesSeconds} s of it; target < ${r.targetSeconds} s for 34 × 200: ${r.targetMet === null ? 'not judged (smaller run)' : r.targetMet ? 'met' : 'NOT met'}; data seeded in ${r.seedSeconds} s, not timed)`;
}

const dvcqgProvinces = intOption('dvcqg-provinces', 'BENCH_DVCQG_PROVINCES', 34, 0);
const only = flag('only') ?? process.env.BENCH_ONLY;

async function main(): Promise<void> {
  if (only === 'dvcqg') {
    say(`Decision 766 unit scoring benchmark: ${dvcqgProvinces} provinces`);
    const r = await dvcqgBenchInChild(dvcqgProvinces);
    process.stdout.write(`${dvcqgLine(r)}\nBENCH_RESULT ${JSON.stringify({ dvcqg: r })}\n`);
    return;
  }
  if (only !== undefined) throw new Error(`--only / BENCH_ONLY: unknown benchmark "${only}" (known: dvcqg)`);
  const cleanups: Array<[string, () => Promise<unknown>]> = [];
  let children: Child[] = [];
  let failed = false;
  const onSignal = () => {
    say('interrupted: cleaning up');
    failed = true;
    void runCleanups().finally(() => process.exit(130));
  };
  let cleaning: Promise<void> | null = null;
  const runCleanups = () =>
    (cleaning ??= (async () => {
      for (const c of children) await c.stop().catch(() => undefined);
      for (const [what, fn] of cleanups.reverse()) {
        try {
          await fn();
        } catch (error) {
          say(`cleanup "${what}" failed: ${(error as Error).message}`);
        }
      }
    })());
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const serviceLog = join(RESULTS_DIR, `bench-${stamp}.service.log`);
  const simLog = join(RESULTS_DIR, `bench-${stamp}.simulator.log`);
  let service: Child | null = null;
  let monitor: Client | null = null;

  try {
    say(`N=${(perProvince * provinces.length).toLocaleString('en')} dossiers (${provinces.join(',')} × ${perProvince.toLocaleString('en')}), database ${dbName}, queue prefix ${queuePrefix}`);

    // 1. build
    const built = forceTsNode ? null : build(ROOT, BUILD_DIR, SIM_BUILD_DIR, say);
    const runMode = built?.mode ?? 'ts-node (transpile-only)';
    const serviceArgs = built ? [built.entry] : ['-r', 'ts-node/register/transpile-only', 'src/main.ts'];
    const simArgs = built ? [built.sim] : ['-r', 'ts-node/register/transpile-only', 'test/simulators/main.ts'];
    say(`service runs ${runMode}`);

    // 2. database and queue prefix
    await admin((c) => c.query(`CREATE DATABASE "${dbName}"`));
    cleanups.push(['redis keys', async () => say(`deleted ${await clearRedis(queuePrefix)} Redis keys of ${queuePrefix}`)]);
    cleanups.push([
      'database',
      async () => {
        if (keep && !failed) return say(`kept database ${dbName} (${databaseUrl})`);
        if (keep) say(`--keep: keeping database ${dbName} for inspection`);
        else {
          await admin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
          say(`dropped database ${dbName}`);
        }
      },
    ]);

    // 3. simulator
    const { child: simChild, url: simUrl } = await startSimulatorChild({
      args: simArgs,
      root: ROOT,
      logFile: simLog,
      seed,
      provinces,
      perProvince,
      malformedRate: MALFORMED_RATE,
      year: YEAR,
    });
    children.push(simChild);
    say(`simulator ready at ${simUrl} (pid ${simChild.pid})`);

    // 4. service
    const port = await freePort();
    const benchPassword = randomBytes(18).toString('base64url');
    const apiUrl = `http://127.0.0.1:${port}`;
    service = startNode({
      name: 'service',
      args: serviceArgs,
      cwd: ROOT,
      logFile: serviceLog,
      env: {
        NODE_ENV: 'production',
        APP_ROLE: 'all',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        QUEUE_PREFIX: queuePrefix,
        MIGRATIONS_RUN: 'true',
        LOG_LEVEL: 'warn',
        // the simulator listens on the loopback address, which the egress policy refuses unless allowed
        EGRESS_ALLOW: '127.0.0.1',
        WORKER_CONCURRENCY: String(concurrency),
        EVIDENCE_DEBOUNCE_MS: String(evidenceDebounceMs),
        // a throwaway key ring and first administrator for this run's throwaway database
        CREDENTIALS_KEYS: `bench:${randomBytes(32).toString('base64')}`,
        BOOTSTRAP_ADMIN_USERNAME: 'bench.admin',
        BOOTSTRAP_ADMIN_PASSWORD: benchPassword,
      },
    });
    children.push(service);
    {
      const deadline = Date.now() + 180_000;
      for (;;) {
        if (service.exited()) throw new Error(`service exited during start-up:\n${service.tail()}`);
        if (Date.now() > deadline) throw new Error(`service not ready in 180 s:\n${service.tail()}`);
        const ok = await http(apiUrl, 'GET', '/health/ready').then((r) => r.status === 200, () => false);
        if (ok) break;
        await sleep(250);
      }
    }
    const signIn = await http<{ token: string }>(apiUrl, 'POST', '/auth/login', { username: 'bench.admin', password: benchPassword });
    if (signIn.status !== 200) throw new Error(`bench sign-in failed: HTTP ${signIn.status} ${JSON.stringify(signIn.body)}`);
    bearer = signIn.body.token;
    const rssAtStart = hwmBytes(service.pid) ?? 0;
    say(`service ready at ${apiUrl} (pid ${service.pid}, RSS ${(rssAtStart / MB).toFixed(0)} MB)`);

    monitor = new Client({ connectionString: databaseUrl, application_name: 'bench-monitor' });
    await monitor.connect();

    // 5. connectors
    const connectorIds: string[] = [];
    for (const p of provinces) {
      const res = await http(apiUrl, 'POST', '/connectors', {
        name: `bench-oss-${p}`,
        kind: 'one-stop-shop',
        baseUrl: simUrl,
        provinceCode: p,
        credentials: { clientId: 'demo-client', clientSecret: 'demo-secret' },
        schedule: null,
        options: { initialSyncFrom: `${YEAR}-01-01`, lagSeconds: 0, pageSize },
      });
      if (res.status !== 201) throw new Error(`connector for ${p} not created: ${res.status} ${JSON.stringify(res.body)}`);
      connectorIds.push(res.body.id);
    }

    // 6. the timed pipeline
    const sampler = new Sampler(service.pid, 200);
    const activity = new ActivitySampler(monitor);
    const cpu0 = { service: cpuSeconds(service.pid) ?? 0, sim: cpuSeconds(simChild.pid) ?? 0 };
    sampler.start();
    activity.start();
    const clock = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - clock) / 1e9;
    const runIds: string[] = [];
    for (const id of connectorIds) {
      const res = await http(apiUrl, 'POST', `/connectors/${id}/runs`);
      if (res.status !== 201) throw new Error(`run not started: ${res.status} ${JSON.stringify(res.body)}`);
      runIds.push(res.body.id);
    }
    say(`runs requested: ${runIds.join(', ')}`);

    const deadline = Date.now() + timeoutMs;
    const runs = new Map<string, any>();
    let lastProgress = 0;
    while (runs.size < runIds.length || [...runs.values()].some((r) => r.status !== 'succeeded')) {
      if (Date.now() > deadline) throw new Error(`runs not finished after ${timeoutMs / 60000} min`);
      if (service.exited()) throw new Error(`service exited during the run:\n${service.tail()}`);
      for (const id of runIds) {
        if (runs.get(id)?.status === 'succeeded') continue;
        const res = await http(apiUrl, 'GET', `/runs/${id}`);
        if (res.status !== 200) throw new Error(`GET /runs/${id}: ${res.status} ${JSON.stringify(res.body)}`);
        runs.set(id, res.body);
        if (res.body.status === 'failed') throw new Error(`run ${id} failed: ${JSON.stringify(res.body.error)}\n${service.tail()}`);
      }
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        const fetched = [...runs.values()].reduce((s, r) => s + (r.counts?.fetched ?? 0), 0);
        const rss = sampler.peakRss / MB;
        say(`  ${elapsed().toFixed(0)} s: fetched ${fetched.toLocaleString('en')} records, ${(fetched / Math.max(elapsed(), 0.001)).toFixed(0)}/s, peak RSS ${rss.toFixed(0)} MB`);
      }
      await sleep(250);
    }
    const fetchSeconds = elapsed();
    say(`runs succeeded after ${fetchSeconds.toFixed(1)} s; waiting for evidence and scores to settle`);

    let quietSince = 0;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`pipeline did not settle after ${timeoutMs / 60000} min`);
      if (service.exited()) throw new Error(`service exited while settling:\n${service.tail()}`);
      const { rows } = await monitor.query(
        `SELECT (SELECT count(*) FROM evidence_outbox)::int + (SELECT count(*) FROM scoring_outbox)::int
              + (SELECT count(*) FROM connector_run WHERE status IN ('queued', 'running'))::int AS pending`,
      );
      if (rows[0].pending > 0) quietSince = 0;
      else if (quietSince === 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= 1000) break;
      await sleep(100);
    }
    // the clock stops when the outboxes became (and stayed) empty, not after the quiet second
    const totalSeconds = elapsed() - (Date.now() - quietSince) / 1000;
    const { postgresCpuSeconds } = sampler.stop();
    const topActivity = await activity.stop();
    const cpu = {
      service: (cpuSeconds(service.pid) ?? 0) - cpu0.service,
      simulator: (cpuSeconds(simChild.pid) ?? 0) - cpu0.sim,
      postgres: postgresCpuSeconds,
    };
    const serviceHwm = hwmBytes(service.pid) ?? 0;
    const simHwm = hwmBytes(simChild.pid) ?? 0;
    say(`settled after ${totalSeconds.toFixed(1)} s; service VmHWM ${(serviceHwm / MB).toFixed(0)} MB`);

    // 7. what the pipeline produced
    const q = async (sql: string) => (await monitor!.query(sql)).rows[0];
    const runRows = (
      await monitor.query(
        `SELECT r.id, c.province_code, r.pages, r.fetched, r.normalised, r.unchanged, r.quarantined, r.attempts,
                extract(epoch FROM r.finished_at - r.started_at) AS run_seconds,
                extract(epoch FROM r.started_at - r.requested_at) AS queued_seconds
           FROM connector_run r JOIN connector c ON c.id = r.connector_id ORDER BY c.province_code`,
      )
    ).rows;
    const normalised = runRows.reduce((s, r) => s + r.normalised, 0);
    const fetched = runRows.reduce((s, r) => s + r.fetched, 0);
    const dossierRows = (await q(`SELECT count(*)::int AS n FROM dossier`)).n;
    const quarantined = (await q(`SELECT count(*)::int AS n FROM quarantine_record`)).n;
    const evidence = await q(`SELECT count(*)::int AS records, (SELECT count(*)::int FROM evidence_computation) AS computations FROM evidence_record`);
    const scores = (await q(`SELECT count(*)::int AS n FROM score`)).n;
    const raw = await q(`SELECT count(*)::int AS payloads, coalesce(sum(size), 0)::bigint AS bytes, pg_total_relation_size('raw_payload')::bigint AS stored FROM raw_payload`);
    const fetches = await q(`SELECT count(*)::int AS n, coalesce(avg(duration_ms), 0)::float AS avg_ms, coalesce(sum(duration_ms), 0)::bigint AS sum_ms FROM raw_fetch`);
    const sizes = await q(`SELECT pg_database_size(current_database())::bigint AS db, pg_total_relation_size('dossier')::bigint AS dossier`);

    // 8. stop the children before the baseline, so it has the machine to itself
    for (const c of children) await c.stop();
    children = [];

    // 9. the COPY baseline
    say('rendering the baseline rows (same dataset, parseDossier, COPY text in memory)');
    const rendered = renderRows({ seed, provinces, perProvince, year: YEAR, malformedRate: MALFORMED_RATE });
    say(`rendered ${rendered.rows.toLocaleString('en')} rows, ${(rendered.bytes / MB).toFixed(0)} MB in ${rendered.chunks.length} chunks (${rendered.renderSeconds.toFixed(1)} s, not timed)`);
    const copy = await copyRows(databaseUrl, rendered);
    rendered.chunks.length = 0;
    say(`COPY ${copy.rows.toLocaleString('en')} rows in ${copy.seconds.toFixed(2)} s`);

    // 10. report
    const pipelineRate = normalised / totalSeconds;
    const ratio = pipelineRate / copy.rowsPerSecond;
    const pgVersion = (await admin((c) => c.query('SHOW server_version'))).rows[0].server_version;
    const report: Report = {
      timestamp: new Date().toISOString(),
      dossiers: perProvince * provinces.length,
      provinces,
      dossiersPerProvince: perProvince,
      seed,
      workerConcurrency: concurrency,
      pageSize,
      evidenceDebounceMs,
      serviceRunMode: runMode,
      pipeline: {
        fetchSeconds: round(fetchSeconds, 2),
        totalSeconds: round(totalSeconds, 2),
        evidenceTailSeconds: round(totalSeconds - fetchSeconds, 2),
        recordsFetched: fetched,
        rowsNormalised: normalised,
        distinctDossierRows: dossierRows,
        quarantined,
        rowsPerSecond: round(pipelineRate, 0),
        rowsPerSecondFetchPhase: round(normalised / fetchSeconds, 0),
        runs: runRows.map((r) => ({
          province: r.province_code,
          pages: r.pages,
          fetched: r.fetched,
          normalised: r.normalised,
          unchanged: r.unchanged,
          quarantined: r.quarantined,
          attempts: r.attempts,
          runSeconds: round(Number(r.run_seconds), 2),
          queuedSeconds: round(Number(r.queued_seconds), 2),
        })),
        evidenceRecords: evidence.records,
        evidenceComputations: evidence.computations,
        scores,
        rawPayloads: raw.payloads,
        rawPayloadBytes: Number(raw.bytes),
        rawPayloadStoredBytes: Number(raw.stored),
        sourceFetches: fetches.n,
        sourceFetchAvgMs: round(fetches.avg_ms, 1),
        sourceFetchTotalSeconds: round(Number(fetches.sum_ms) / 1000, 1),
        databaseBytes: Number(sizes.db),
        dossierTableBytes: Number(sizes.dossier),
      },
      copy: {
        mode: 'COPY text pre-rendered into memory chunks before the clock; only the COPY stream is timed',
        table: `${COPY_TABLE} (LIKE dossier INCLUDING DEFAULTS) + PRIMARY KEY (province_code, dossier_id)`,
        rows: copy.rows,
        tableRows: copy.tableRows,
        bytes: copy.bytes,
        seconds: round(copy.seconds, 2),
        rowsPerSecond: round(copy.rowsPerSecond, 0),
        renderSecondsUntimed: round(rendered.renderSeconds, 2),
      },
      ratio: round(ratio, 3),
      ratioTarget: 0.5,
      ratioMet: ratio >= 0.5,
      memory: {
        servicePeakRssMB: round(serviceHwm / MB, 1),
        servicePeakRssSampledMB: round(sampler.peakRss / MB, 1),
        serviceRssAtReadyMB: round(rssAtStart / MB, 1),
        rssSamples: sampler.samples,
        simulatorPeakRssMB: round(simHwm / MB, 1),
        targetMB: 512,
        targetMet: serviceHwm < 512 * MB,
      },
      cpuSecondsDuringPipeline: {
        service: round(cpu.service, 1),
        simulator: round(cpu.simulator, 1),
        postgres: round(cpu.postgres, 1),
        wallSeconds: round(totalSeconds, 1),
        availableCpuSeconds: round(totalSeconds * cpus().length, 1),
      },
      postgresActivity: topActivity,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? '?',
        memoryMB: Math.round(totalmem() / MB),
        node: process.version,
        postgres: pgVersion,
      },
      database: keep ? dbName : `${dbName} (dropped)`,
    };
    if (postalSizes.length > 0) {
      say(`postal report memory: ${postalSizes.map((x) => x.toLocaleString('en')).join(' and ')} rows, CSV and XLSX, one process each`);
      (report as Record<string, unknown>).postalParse = await postalMemoryBench(ROOT, postalSizes);
    }
    if (scoringDossiers > 0) {
      say(`scoring benchmark: 34 provinces × ${scoringDossiers.toLocaleString('en')} dossiers, national evidence build and recompute`);
      (report as Record<string, unknown>).scoring = await scoringBenchInChild(scoringDossiers);
    }
    if (dvcqgProvinces > 0) {
      say(`Decision 766 unit scoring benchmark: ${dvcqgProvinces} provinces`);
      (report as Record<string, unknown>).dvcqg = await dvcqgBenchInChild(dvcqgProvinces);
    }
    printReport(report);
    const file = join(RESULTS_DIR, `bench-${stamp}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    say(`saved ${file} (service log ${serviceLog})`);
  } catch (error) {
    failed = true;
    process.stderr.write(`\nBENCH FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
    if (service) process.stderr.write(`service log: ${serviceLog}\n`);
    process.exitCode = 1;
  } finally {
    await monitor?.end().catch(() => undefined);
    await runCleanups();
  }
}

/** The scoring benchmark runs in its own process (its own database and queue prefix). */
function scoringBenchInChild(dossiers: number): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', 'scripts/bench/scoring-bench.ts'],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, BENCH_SCORING_DOSSIERS: String(dossiers) } },
      (err, out, stderr) => {
        const line = out.split('\n').find((l) => l.startsWith('SCORING_RESULT '));
        if (err || !line) reject(new Error(`scoring benchmark failed: ${stderr || err?.message}`));
        else resolvePromise(JSON.parse(line.slice('SCORING_RESULT '.length)));
      },
    );
  });
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function printReport(r: Report): void {
  const p = r.pipeline as any;
  const c = r.copy as any;
  const m = r.memory as any;
  const cpu = r.cpuSecondsDuringPipeline as any;
  const mc = r.machine as any;
  const n = (x: number) => x.toLocaleString('en');
  const lines = [
    '',
    '================ ingest benchmark ================',
    `dossiers           ${n(r.dossiers as number)} (${(r.provinces as string[]).join(',')}; ${n(r.dossiersPerProvince as number)} each), seed ${r.seed}, page ${r.pageSize}, workers ${r.workerConcurrency}, evidence debounce ${r.evidenceDebounceMs} ms, ${r.serviceRunMode}`,
    `pipeline           fetch phase ${p.fetchSeconds} s, total incl. evidence ${p.totalSeconds} s (evidence tail ${p.evidenceTailSeconds} s)`,
    `                   ${n(p.recordsFetched)} records fetched, ${n(p.rowsNormalised)} normalised, ${n(p.distinctDossierRows)} dossier rows, ${n(p.quarantined)} quarantined`,
    `                   ${n(p.rowsPerSecond)} rows/s (fetch phase alone ${n(p.rowsPerSecondFetchPhase)} rows/s)`,
    `COPY baseline      ${n(c.rows)} rows in ${c.seconds} s = ${n(c.rowsPerSecond)} rows/s (${c.mode})`,
    `ratio              ${r.ratio} (pipeline / COPY; target ≥ 0.5: ${r.ratioMet ? 'met' : 'NOT met'})`,
    `service peak RSS   ${m.servicePeakRssMB} MB VmHWM (sampled max ${m.servicePeakRssSampledMB} MB, ${m.rssSamples} samples; at ready ${m.serviceRssAtReadyMB} MB; target < 512 MB: ${m.targetMet ? 'met' : 'NOT met'})`,
    `evidence           ${n(p.evidenceRecords)} evidence records in ${n(p.evidenceComputations)} computations, ${n(p.scores)} scores`,
    `raw archive        ${n(p.rawPayloads)} payloads, ${(p.rawPayloadBytes / MB).toFixed(1)} MB raw (${(p.rawPayloadStoredBytes / MB).toFixed(1)} MB on disk); ${n(p.sourceFetches)} fetches, avg ${p.sourceFetchAvgMs} ms`,
    `CPU during run     service ${cpu.service} s, simulator ${cpu.simulator} s, postgres ${cpu.postgres} s of ${cpu.availableCpuSeconds} s available (${mc.cpus} cpus × ${cpu.wallSeconds} s)`,
    `postgres activity  ${(r.postgresActivity as Array<{ what: string; share: number }>).slice(0, 5).map((a) => `${a.what} ${a.share}`).join('; ') || '-'}`,
    ...postalBenchLines((r.postalParse as PostalBenchResult[] | undefined) ?? []),
    ...(r.scoring
      ? [
          (() => {
            const sc = r.scoring as { provinces: number; dossiers: number; evidence: { seconds: number; records: number; periods: number }; recompute: { seconds: number; provinceYears: number; scores: number }; newEvidenceToScorecardMs: number[] };
            return `scoring            ${sc.provinces} provinces, ${n(sc.dossiers)} dossiers: evidence for ${sc.evidence.periods} periods (${n(sc.evidence.records)} records) in ${sc.evidence.seconds} s; national recompute of ${sc.recompute.provinceYears} province-years (${n(sc.recompute.scores)} scores) in ${sc.recompute.seconds} s; new evidence → scorecard ${sc.newEvidenceToScorecardMs.join(' / ')} ms (+ debounces)`;
          })(),
        ]
      : []),
    ...(r.dvcqg ? [dvcqgLine(r.dvcqg as Record<string, any>)] : []),
    `machine            ${mc.cpus} × ${mc.cpuModel}, ${n(mc.memoryMB)} MB, node ${mc.node}, PostgreSQL ${mc.postgres}`,
    '==================================================',
    `BENCH_RESULT ${JSON.stringify(r)}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

/** `--scale` / `--national`: the scale-out ingest benchmark (scripts/bench/ingest-scale.ts) instead of the above. */
async function scaleMain(): Promise<void> {
  const national = boolOption('national', 'BENCH_NATIONAL');
  const asked = flag('dossiers') ?? process.env.BENCH_DOSSIERS;
  const dossiers = national ? Math.max(2_000_000, asked ? dossiersAsked : 0) : asked ? dossiersAsked : 200_000;
  const workerCounts = (flag('workers') ?? process.env.BENCH_WORKERS ?? '1,2,4').split(',').map((w) => Number(w.trim()));
  if (workerCounts.some((w) => !Number.isInteger(w) || w < 1 || w > 16)) throw new Error('--workers / BENCH_WORKERS must be a list of counts 1..16, e.g. 1,2,4');
  try {
    const report = await runIngestScale({
      root: ROOT,
      buildDir: BUILD_DIR,
      simBuildDir: SIM_BUILD_DIR,
      adminUrl: ADMIN_URL,
      redisUrl: REDIS_URL,
      say,
      national,
      dossiers,
      provinces: national ? nationalProvinces(ROOT) : provinces,
      workerCounts,
      concurrency,
      chunkDays: intOption('chunk-days', 'BENCH_CHUNK_DAYS', 15),
      pageSize,
      seed,
      timeoutMs,
    });
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `bench-${national ? 'national' : 'scale'}-${stamp}.json`);
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    say(`saved ${file}`);
  } catch (error) {
    process.stderr.write(`\nBENCH FAILED: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

if (boolOption('national', 'BENCH_NATIONAL') || boolOption('scale', 'BENCH_SCALE')) void scaleMain();
else void main();
