import { Pool } from 'pg';
import { parseSourceDate } from '../src/platform/time/vietnam-time';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { RecordingProxy, ServedAnswer, startRecordingProxy } from './support/recording-proxy';
import { TcpProxy, startTcpProxy } from './support/tcp-proxy';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix, waitFor } from './support/test-app';
import { registerConnector, runNow, waitForRun } from './support/pipeline';
import { exited, startServiceProcess } from './support/worker-process';

/**
 * Every received byte is archived, through crashes too. The source sits behind a recording proxy (what it
 * served), workers run in their own processes; one is killed with SIGKILL again and again mid-page, another loses
 * PostgreSQL (a TCP proxy between it and the server is cut) mid-run. Afterwards: every stored dossier version
 * points at archived bytes that hold exactly that version; every version the source served is in the archive;
 * and where no process died, every answer served is archived exactly once.
 */
/** several service processes start (ts-node) one after another: minutes on a busy 2-core machine */
const CRASH_TEST_TIMEOUT_MS = 600_000;

describe('raw archive through crashes and database outages', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: TestApp;
  let sim: OneStopShopSimulator;
  let source: RecordingProxy;
  let pgProxy: TcpProxy;
  const prefix = testQueuePrefix();
  const children: ReturnType<typeof startServiceProcess>[] = [];

  const workerEnv = (databaseUrl: string) => ({
    APP_ROLE: 'worker',
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX: prefix,
    JOB_LOCK_MS: '2000',
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'warn',
  });
  const startWorker = (databaseUrl: string) => {
    const child = startServiceProcess(workerEnv(databaseUrl));
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    // slow pages so that a sync is still going when the worker dies or the database goes away
    sim = await createOneStopShopSimulator({ seed: 12, provinces: ['01', '79'], dossiersPerProvince: 5000, year: 2025, malformedRate: 0.01, faults: { rates: { rateSlow: 1, slowMs: 50 } } });
    source = await startRecordingProxy(sim.url);
    const target = new URL(db.url);
    pgProxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    api = await startTestApp(db.url, prefix, { APP_ROLE: 'api' });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await api?.close();
    await source?.close();
    await pgProxy?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  async function pages(runId: string): Promise<number> {
    const res = await api.api.get(`/runs/${runId}`).expect(200);
    return res.body.counts.pages as number;
  }

  const servedDossierAnswers = (province: string): ServedAnswer[] =>
    source.served().filter((a) => a.target.includes('/motcua/v1/hoso') && a.target.includes(`maTinh=${province}`));

  async function verifyArchive(pool: Pool, connectorId: string, province: string): Promise<void> {
    // every stored version points at archived bytes holding exactly that version at the recorded position
    const { rows: stored } = await pool.query(
      `SELECT dossier_id, source_updated_at, raw_digest, raw_position FROM dossier WHERE connector_id = $1`,
      [connectorId],
    );
    expect(stored.length).toBe(sim.dataset.count(province));
    const { rows: payloads } = await pool.query(
      `SELECT p.digest, p.body FROM raw_payload p
        WHERE p.digest IN (SELECT raw_digest FROM dossier WHERE connector_id = $1
                           UNION SELECT digest FROM raw_fetch WHERE connector_id = $1 AND url LIKE '%/hoso%')`,
      [connectorId],
    );
    const pageOf = new Map<string, Array<Record<string, unknown>>>();
    for (const p of payloads) {
      const parsed = safeJson(p.body);
      pageOf.set(p.digest, Array.isArray(parsed?.data?.danhSach) ? parsed.data.danhSach : []);
    }
    const unarchived = stored.filter((d) => {
      const record = pageOf.get(d.raw_digest)?.[d.raw_position];
      if (!record || String(record.MaHoSo).trim() !== d.dossier_id) return true;
      const version = parseSourceDate(record.NgayCapNhat);
      return version.kind !== 'ok' || version.date.getTime() !== d.source_updated_at.getTime();
    });
    expect(unarchived.map((d) => d.dossier_id)).toEqual([]);

    // every version the source served is in the archive (answers lost with a killed worker were fetched again)
    const archived = new Set<string>();
    for (const list of pageOf.values()) for (const r of list) archived.add(JSON.stringify(r));
    const served = new Set<string>();
    for (const a of servedDossierAnswers(province)) {
      const list = safeJson(a.body)?.data?.danhSach;
      if (a.status === 200 && Array.isArray(list)) for (const r of list) served.add(JSON.stringify(r));
    }
    expect(served.size).toBeGreaterThanOrEqual(sim.dataset.timelineLength(province));
    expect([...served].filter((r) => !archived.has(r))).toEqual([]);
  }

  async function verifyRun(runId: string, province: string) {
    const run = await waitForRun(api.api, runId, 180_000);
    expect(run.status).toBe('succeeded');
    expect(run.counts.fetched).toBe(sim.dataset.timelineLength(province));
    expect(run.counts.normalised + run.counts.quarantined).toBe(run.counts.fetched);
    return run;
  }

  it('workers killed with SIGKILL mid-page, again and again: every stored and every served version is archived', async () => {
    const id = await registerConnector(api.api, { name: 'kill-01', provinceCode: '01', baseUrl: source.url, options: { pageSize: 100 } });
    const run = await runNow(api.api, id);
    let reached = 0;
    for (let kill = 0; kill < 3; kill++) {
      const worker = startWorker(db.url);
      const from = reached;
      reached = await waitFor(async () => {
        const n = await pages(run.id);
        return n >= from + 4 ? n : undefined;
      }, 120_000, `worker ${kill + 1} to commit pages`);
      // somewhere inside the next page: fetched, being parsed, or being written
      await new Promise((r) => setTimeout(r, 20 + kill * 35));
      worker.kill('SIGKILL');
      await exited(worker);
    }
    const last = startWorker(db.url);
    const done = await verifyRun(run.id, '01');
    expect(done.attempts).toBeGreaterThanOrEqual(4);
    await verifyArchive(api.pool, id, '01');
    last.kill('SIGTERM');
    await exited(last);
  }, CRASH_TEST_TIMEOUT_MS);

  it('PostgreSQL unreachable mid-run (twice): the worker holds what it received, retries, and archives every answer exactly once', async () => {
    const id = await registerConnector(api.api, { name: 'outage-79', provinceCode: '79', baseUrl: source.url, options: { pageSize: 100 } });
    const servedBefore = source.served().length;
    const run = await runNow(api.api, id);
    const worker = startWorker(pgProxy.rewrite(db.url));
    let reached = 0;
    for (let outage = 0; outage < 2; outage++) {
      const from = reached;
      reached = await waitFor(async () => {
        const n = await pages(run.id);
        return n >= from + 8 ? n : undefined;
      }, 120_000, 'pages before the outage');
      pgProxy.cut();
      await new Promise((r) => setTimeout(r, 2500));
      pgProxy.restore();
    }
    const done = await verifyRun(run.id, '79');
    // no attempt was spent on the outage, and the worker never died
    expect(done.attempts).toBe(1);
    expect(worker.exitCode).toBeNull();
    expect(worker.signalCode).toBeNull();
    expect(pgProxy.refused()).toBeGreaterThan(0);
    expect(worker.output()).toContain('database unreachable');

    // exactly once: the answers served for this run (token answers are never archived) are the fetches archived
    const served = source.served().slice(servedBefore).filter((a) => !a.target.startsWith('/oauth2/token'));
    const { rows } = await api.pool.query(`SELECT digest FROM raw_fetch WHERE run_id = $1`, [run.id]);
    expect(rows.map((r) => r.digest).sort()).toEqual(served.map((a) => a.sha256).sort());
    await verifyArchive(api.pool, id, '79');
    worker.kill('SIGTERM');
    await exited(worker);
  }, CRASH_TEST_TIMEOUT_MS);
});

function safeJson(body: Buffer): any {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
