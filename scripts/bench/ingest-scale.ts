/**
 * Scale-out ingest benchmark: `npm run bench -- --scale` (one province by default) or `npm run bench -- --national`
 * (34 provinces, ≥ 2,000,000 dossiers).
 *
 * One simulator serves the dossiers over HTTP. For each scenario a fresh database, one API+scheduler process and
 * W worker processes (APP_ROLE=worker) are started; every province's year is asked for as a backfill, split into
 * window runs of `--chunk-days` (each a BullMQ job), which the workers share. The clock runs from the backfill
 * request until every run succeeded and the evidence and scoring outboxes are empty (records, archive, cursor,
 * quarantine, evidence and scores committed). Scenarios: 1 worker on about a quarter of the year (memory at a
 * second size), then 1, 2 and 4 workers on the whole year. After the 1-worker run, archived answers are
 * re-processed without HTTP (parse + upsert from raw_payload) and timed. Finally the same normalised rows are
 * COPYed (the baseline, same run). Printed: rows/s per scenario, ratio to COPY, peak RSS of the workers, and the
 * time extrapolated to 20 million dossiers.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Client, Pool } from 'pg';
import { clearRedisPrefix, startSimulatorChild } from './bench-children';
import { build } from './build';
import { CopyResult, copyRows, renderRows } from './copy-baseline';
import { Child, freePort, hwmBytes, rssBytes, startNode } from './procs';
import { replayArchivedAnswers } from './replay-archive';

const MB = 1024 * 1024;
const YEAR = 2025;
const MALFORMED_RATE = 0.001;

export interface ScaleOptions {
  root: string;
  buildDir: string;
  simBuildDir: string;
  adminUrl: string;
  redisUrl: string;
  say: (message: string) => void;
  national: boolean;
  dossiers: number;
  provinces: string[];
  workerCounts: number[];
  concurrency: number;
  chunkDays: number;
  pageSize: number;
  seed: number | string;
  timeoutMs: number;
}

interface Scenario {
  label: string;
  workers: number;
  to: string;
}

interface ScenarioResult {
  label: string;
  workers: number;
  seconds: number;
  rows: number;
  runs: number;
  rowsPerSecond: number;
  quarantined: number;
  workerPeakRssMB: number;
  apiPeakRssMB: number;
  evidenceRecords: number;
  scores: number;
  rawPayloads: number;
  replay?: { rows: number; seconds: number; rowsPerSecond: number; payloads: number };
}

/** Province codes of the 34 units in force (the national bench). */
export function nationalProvinces(root: string): string[] {
  const lines = readFileSync(join(root, 'config/units/provinces-2025.csv'), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()!.split(',');
  const column = header.indexOf('code');
  return lines.map((l) => l.split(',')[column].trim()).filter((c) => /^\d{2}$/.test(c));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function admin<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url, application_name: 'bench-admin' });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

function dbUrl(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function call(base: string, token: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  try {
    return { status: res.status, body: text === '' ? null : JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

export async function runIngestScale(o: ScaleOptions): Promise<Record<string, unknown>> {
  const perProvince = Math.max(1, Math.ceil(o.dossiers / o.provinces.length));
  const built = build(o.root, o.buildDir, o.simBuildDir, o.say);
  const entry = built ? [built.entry] : ['-r', 'ts-node/register/transpile-only', 'src/main.ts'];
  const simEntry = built ? [built.sim] : ['-r', 'ts-node/register/transpile-only', 'test/simulators/main.ts'];
  o.say(`scale bench: ${o.provinces.length} provinces × ${perProvince.toLocaleString('en')} dossiers, windows of ${o.chunkDays} days, workers ${o.workerCounts.join('/')} × concurrency ${o.concurrency}, ${built?.mode ?? 'ts-node'}`);

  const children: Child[] = [];
  const { child: sim, url: simUrl } = await startSimulatorChild({
    args: simEntry,
    root: o.root,
    seed: o.seed,
    provinces: o.provinces,
    perProvince,
    malformedRate: MALFORMED_RATE,
    year: YEAR,
    timeoutMs: 300_000,
  });
  children.push(sim);
  try {
    o.say(`simulator ready at ${simUrl}`);

    const full = new Date().toISOString();
    const quarter = `${YEAR}-04-01T00:00:00+07:00`;
    const scenarios: Scenario[] = [
      { label: '1 worker, first quarter (memory at a second size)', workers: 1, to: quarter },
      ...o.workerCounts.map((w) => ({ label: `${w} worker${w > 1 ? 's' : ''}, whole year`, workers: w, to: full })),
    ];
    const results: ScenarioResult[] = [];
    const baseline: { copy?: CopyResult } = {};
    for (const [i, scenario] of scenarios.entries()) {
      const after = async (pool: Pool, result: ScenarioResult) => {
        if (i === 1) {
          o.say('  re-processing the archived answers (no HTTP): parse + upsert from raw_payload');
          result.replay = await replayArchivedAnswers(pool);
        }
        if (i === scenarios.length - 1) {
          // the COPY baseline: the same normalised rows, same run, every service process stopped
          await sim.stop();
          const rendered = renderRows({ seed: o.seed, provinces: o.provinces, perProvince, year: YEAR, malformedRate: MALFORMED_RATE });
          baseline.copy = await copyRows(pool.options.connectionString!, rendered);
          rendered.chunks.length = 0;
        }
      };
      results.push(await runScenario(o, scenario, simUrl, entry, after));
      const r = results[results.length - 1];
      o.say(`  ${r.label}: ${r.rows.toLocaleString('en')} rows in ${r.seconds.toFixed(1)} s = ${Math.round(r.rowsPerSecond).toLocaleString('en')} rows/s over ${r.runs} window runs; worker peak RSS ${r.workerPeakRssMB} MB`);
    }
    const copy = baseline.copy;
    if (!copy) throw new Error('no COPY baseline');
    o.say(`COPY ${copy.rows.toLocaleString('en')} rows in ${copy.seconds.toFixed(2)} s = ${Math.round(copy.rowsPerSecond).toLocaleString('en')} rows/s`);

    const wholeYear = results.slice(1);
    const best = wholeYear.reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a));
    const report = {
      mode: o.national ? 'national' : 'scale',
      provinces: o.provinces.length,
      dossiers: perProvince * o.provinces.length,
      chunkDays: o.chunkDays,
      workerConcurrency: o.concurrency,
      pageSize: o.pageSize,
      scenarios: results.map((r) => ({ ...r, ratioToCopy: round(r.rowsPerSecond / copy.rowsPerSecond, 3) })),
      copy: { rows: copy.rows, seconds: round(copy.seconds, 2), rowsPerSecond: Math.round(copy.rowsPerSecond) },
      best: { label: best.label, rowsPerSecond: Math.round(best.rowsPerSecond), ratioToCopy: round(best.rowsPerSecond / copy.rowsPerSecond, 3), ratioTarget: 0.5 },
      extrapolated20MillionMinutes: round(20_000_000 / best.rowsPerSecond / 60, 1),
      extrapolatedTargetMinutes: 10,
      memory: {
        workerPeakRssMBSmall: results[0].workerPeakRssMB,
        workerPeakRssMBLarge: results[1].workerPeakRssMB,
        rowsSmall: results[0].rows,
        rowsLarge: results[1].rows,
        targetMB: 300,
      },
    };
    printScale(report);
    return report;
  } finally {
    for (const c of children) await c.stop().catch(() => undefined);
  }
}

function serviceEnv(o: ScaleOptions, url: string, role: string, extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    APP_ROLE: role,
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: url,
    REDIS_URL: o.redisUrl,
    MIGRATIONS_RUN: 'false',
    LOG_LEVEL: 'warn',
    WORKER_CONCURRENCY: String(o.concurrency),
    EVIDENCE_DEBOUNCE_MS: '1000',
    SCORING_DEBOUNCE_MS: '1000',
    CREDENTIALS_KEYS: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
    // the simulator listens on the loopback address, which the egress policy refuses unless allowed
    EGRESS_ALLOW: '127.0.0.1',
    ...extra,
  };
}

async function runScenario(o: ScaleOptions, scenario: Scenario, simUrl: string, entry: string[], after: (pool: Pool, result: ScenarioResult) => Promise<void>): Promise<ScenarioResult> {
  const name = `peh_scale_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const url = dbUrl(o.adminUrl, name);
  const prefix = `scale${randomBytes(4).toString('hex')}`;
  const procs: Child[] = [];
  await admin(o.adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const monitor = new Pool({ connectionString: url, max: 2, application_name: 'bench-monitor' });
  try {
    const port = await freePort();
    const password = randomBytes(18).toString('base64url');
    const base = `http://127.0.0.1:${port}`;
    const api = startNode({
      name: 'api',
      args: entry,
      cwd: o.root,
      env: serviceEnv(o, url, 'api,scheduler', { PORT: String(port), QUEUE_PREFIX: prefix, MIGRATIONS_RUN: 'true', BOOTSTRAP_ADMIN_USERNAME: 'bench.admin', BOOTSTRAP_ADMIN_PASSWORD: password }),
    });
    procs.push(api);
    for (const deadline = Date.now() + 180_000; ; await sleep(250)) {
      if (api.exited() || Date.now() > deadline) throw new Error(`service did not start:\n${api.tail()}`);
      if ((await call(base, null, 'GET', '/health/ready').catch(() => ({ status: 0 }))).status === 200) break;
    }
    const token = (await call(base, null, 'POST', '/auth/login', { username: 'bench.admin', password })).body.token as string;
    const connectors: string[] = [];
    for (const p of o.provinces) {
      const res = await call(base, token, 'POST', '/connectors', {
        name: `scale-${p}`,
        kind: 'one-stop-shop',
        baseUrl: simUrl,
        provinceCode: p,
        credentials: { clientId: 'demo-client', clientSecret: 'demo-secret' },
        schedule: null,
        options: { initialSyncFrom: `${YEAR}-01-01`, lagSeconds: 0, pageSize: o.pageSize, backfillChunkDays: o.chunkDays, fetchProcedures: false },
      });
      if (res.status !== 201) throw new Error(`connector ${p}: ${res.status} ${JSON.stringify(res.body)}`);
      connectors.push(res.body.id);
    }
    const workers: Child[] = [];
    for (let i = 0; i < scenario.workers; i++) {
      workers.push(startNode({ name: `worker-${i}`, args: entry, cwd: o.root, env: serviceEnv(o, url, 'worker', { QUEUE_PREFIX: prefix }) }));
    }
    procs.push(...workers);
    await waitForWorkers(o.redisUrl, prefix, scenario.workers);
    // start-up work (catalogue scoring at first start) settles before the clock starts
    await waitForQuiet(monitor, Date.now() + o.timeoutMs, () => undefined);
    let peakWorker = 0;
    const sampler = setInterval(() => {
      for (const w of workers) peakWorker = Math.max(peakWorker, rssBytes(w.pid) ?? 0);
    }, 200);

    const started = process.hrtime.bigint();
    for (const id of connectors) {
      const res = await call(base, token, 'POST', `/connectors/${id}/backfill`, { from: `${YEAR}-01-01T00:00:00+07:00`, to: scenario.to });
      if (res.status !== 201 && res.status !== 200) throw new Error(`backfill: ${res.status} ${JSON.stringify(res.body)}`);
    }
    const quietSince = await waitForQuiet(monitor, Date.now() + o.timeoutMs, () => {
      const dead = workers.find((w) => w.exited());
      if (dead) throw new Error(`${dead.name} exited:\n${dead.tail()}`);
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 - (Date.now() - quietSince) / 1000;
    clearInterval(sampler);
    for (const w of workers) peakWorker = Math.max(peakWorker, hwmBytes(w.pid) ?? 0);
    const apiPeak = hwmBytes(api.pid) ?? 0;
    const q = async (sql: string) => (await monitor.query(sql)).rows[0];
    const runs = await q(`SELECT count(*)::int AS runs, coalesce(sum(normalised), 0)::int AS rows, coalesce(sum(quarantined), 0)::int AS quarantined FROM connector_run`);
    const result: ScenarioResult = {
      label: scenario.label,
      workers: scenario.workers,
      seconds: round(seconds, 2),
      rows: runs.rows,
      runs: runs.runs,
      rowsPerSecond: round(runs.rows / seconds, 0),
      quarantined: runs.quarantined,
      workerPeakRssMB: round(peakWorker / MB, 1),
      apiPeakRssMB: round(apiPeak / MB, 1),
      evidenceRecords: (await q(`SELECT count(*)::int AS n FROM evidence_record`)).n,
      scores: (await q(`SELECT count(*)::int AS n FROM score`)).n,
      rawPayloads: (await q(`SELECT count(*)::int AS n FROM raw_payload`)).n,
    };
    for (const p of procs) await p.stop();
    await after(monitor, result);
    return result;
  } finally {
    for (const p of procs) await p.stop().catch(() => undefined);
    await monitor.end().catch(() => undefined);
    await clearRedisPrefix(o.redisUrl, prefix);
    await admin(o.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

/**
 * Waits until no run is queued or running and the evidence and scoring outboxes stayed empty for a second;
 * returns when they became empty (the clock stops there, not after the quiet second). A failed run throws.
 */
async function waitForQuiet(monitor: Pool, deadline: number, check: () => void): Promise<number> {
  let quietSince = 0;
  for (;;) {
    if (Date.now() > deadline) throw new Error('the pipeline did not settle in time');
    check();
    const { rows } = await monitor.query(
      `SELECT (SELECT count(*) FROM connector_run WHERE status = 'failed')::int AS failed,
              (SELECT count(*) FROM evidence_outbox)::int + (SELECT count(*) FROM scoring_outbox)::int
            + (SELECT count(*) FROM connector_run WHERE status IN ('queued', 'running'))::int AS pending`,
    );
    if (rows[0].failed > 0) throw new Error(`${rows[0].failed} window run(s) failed`);
    if (rows[0].pending > 0) quietSince = 0;
    else if (quietSince === 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 1000) return quietSince;
    await sleep(100);
  }
}

/** Waits until `count` worker processes listen on the fetch queue (so start-up does not count as ingest time). */
async function waitForWorkers(redisUrl: string, prefix: string, count: number): Promise<void> {
  const queue = new Queue('fetch', { connection: { url: redisUrl } as never, prefix });
  try {
    for (const deadline = Date.now() + 180_000; ; await sleep(250)) {
      if ((await queue.getWorkersCount()) >= count) return;
      if (Date.now() > deadline) throw new Error(`${count} workers did not connect in time`);
    }
  } finally {
    await queue.close();
  }
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function printScale(r: any): void {
  const n = (x: number) => Math.round(x).toLocaleString('en');
  const lines = [
    '',
    `================ ${r.mode === 'national' ? 'national' : 'scale-out'} ingest benchmark ================`,
    `dossiers           ${n(r.dossiers)} across ${r.provinces} provinces; backfill windows of ${r.chunkDays} days; concurrency ${r.workerConcurrency} per worker; page ${r.pageSize}`,
    ...r.scenarios.map(
      (s: any) =>
        `${s.label.padEnd(52)} ${n(s.rows)} rows in ${s.seconds} s = ${n(s.rowsPerSecond)} rows/s (× COPY ${s.ratioToCopy}); worker peak RSS ${s.workerPeakRssMB} MB` +
        (s.replay ? `\n${''.padEnd(52)} re-processing archived answers (no HTTP): ${n(s.replay.rowsPerSecond)} rows/s (${n(s.replay.rows)} rows, ${s.replay.payloads} payloads)` : ''),
    ),
    `COPY baseline      ${n(r.copy.rows)} rows in ${r.copy.seconds} s = ${n(r.copy.rowsPerSecond)} rows/s`,
    `best               ${r.best.label}: ${n(r.best.rowsPerSecond)} rows/s, ratio ${r.best.ratioToCopy} (target ≥ 0.5: ${r.best.ratioToCopy >= 0.5 ? 'met' : 'NOT met'})`,
    `20 million         extrapolated ${r.extrapolated20MillionMinutes} min at the best rate (target < 10 min: ${r.extrapolated20MillionMinutes < 10 ? 'met' : 'NOT met'})`,
    `worker memory      peak RSS ${r.memory.workerPeakRssMBSmall} MB for ${n(r.memory.rowsSmall)} rows, ${r.memory.workerPeakRssMBLarge} MB for ${n(r.memory.rowsLarge)} rows (target < 300 MB at both: ${Math.max(r.memory.workerPeakRssMBSmall, r.memory.workerPeakRssMBLarge) < 300 ? 'met' : 'NOT met'})`,
    '==========================================================',
    `SCALE_RESULT ${JSON.stringify(r)}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
