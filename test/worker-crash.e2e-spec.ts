import { QueueService } from '../src/platform/queue/queue.module';
import { QUEUES } from '../src/platform/queue/queue-catalogue';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix, waitFor } from './support/test-app';
import { registerConnector, runNow, waitForRun } from './support/pipeline';
import { exited, startServiceProcess } from './support/worker-process';

/**
 * Workers in their own processes: one is killed with SIGKILL in the middle of a sync, another is stopped with
 * SIGTERM; a fresh worker finishes each run from its last checkpoint, with exact final counts.
 */
describe('worker crash and graceful shutdown mid-sync', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let api: TestApp;
  let sim: OneStopShopSimulator;
  const prefix = testQueuePrefix();
  const children: ReturnType<typeof startServiceProcess>[] = [];

  const workerEnv = () => ({ APP_ROLE: 'worker', DATABASE_URL: db.url, QUEUE_PREFIX: prefix, JOB_LOCK_MS: '2000', WORKER_CONCURRENCY: '1', LOG_LEVEL: 'warn' });

  beforeAll(async () => {
    db = await createTestDatabase();
    // slow pages so that the sync is still going when the worker dies
    sim = await createOneStopShopSimulator({ seed: 5, provinces: ['01', '79'], dossiersPerProvince: 6000, year: 2025, malformedRate: 0.01, faults: { rates: { rateSlow: 1, slowMs: 60 } } });
    api = await startTestApp(db.url, prefix, { APP_ROLE: 'api' });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await api?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  async function progress(runId: string): Promise<{ pages: number; status: string }> {
    const res = await api.api.get(`/runs/${runId}`).expect(200);
    return { pages: res.body.counts.pages, status: res.body.status };
  }

  async function verifyExact(province: string, runId: string) {
    const run = await waitForRun(api.api, runId, 120_000);
    expect(run.status).toBe('succeeded');
    expect(run.counts.fetched).toBe(sim.dataset.timelineLength(province));
    expect(run.counts.normalised + run.counts.quarantined).toBe(run.counts.fetched);
    const { rows } = await api.pool.query('SELECT count(*)::int AS n FROM dossier WHERE province_code = $1', [province]);
    expect(rows[0].n).toBe(sim.dataset.count(province));
    const q = await api.pool.query(`SELECT count(*)::int AS n FROM quarantine_record WHERE run_id = $1 AND entity = 'dossier'`, [runId]);
    expect(q.rows[0].n).toBe(run.counts.quarantined);
    return run;
  }

  it('a worker killed with SIGKILL mid-sync: another resumes from the checkpoint; nothing lost, nothing doubled', async () => {
    const id = await registerConnector(api.api, { name: 'crash-01', provinceCode: '01', baseUrl: sim.url, options: { pageSize: 100 } });
    const run = await runNow(api.api, id);
    const first = startServiceProcess(workerEnv());
    children.push(first);
    const reached = await waitFor(async () => {
      const p = await progress(run.id);
      return p.pages >= 15 ? p : undefined;
    }, 90_000, 'the first worker to commit some pages');
    first.kill('SIGKILL');
    await exited(first);
    const atKill = await progress(run.id);
    expect(atKill.status).toBe('running');
    expect(atKill.pages).toBeGreaterThanOrEqual(reached.pages);

    const second = startServiceProcess(workerEnv());
    children.push(second);
    const done = await verifyExact('01', run.id);
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    // the second worker did not start over: it fetched fewer pages than the whole window
    const { rows } = await api.pool.query(`SELECT count(DISTINCT url)::int AS urls, count(*)::int AS fetches FROM raw_fetch WHERE run_id = $1 AND url LIKE '%/hoso%'`, [run.id]);
    expect(rows[0].fetches - rows[0].urls).toBeLessThanOrEqual(3);
    second.kill('SIGTERM');
    await exited(second);
  });

  it('a worker stopped with SIGTERM releases its job at a checkpoint, without spending an attempt; the next one finishes it', async () => {
    const id = await registerConnector(api.api, { name: 'term-79', provinceCode: '79', baseUrl: sim.url, options: { pageSize: 100 } });
    const run = await runNow(api.api, id);
    const first = startServiceProcess({ ...workerEnv(), LOG_LEVEL: 'info' });
    children.push(first);
    await waitFor(async () => ((await progress(run.id)).pages >= 10 ? true : undefined), 90_000, 'some pages');
    first.kill('SIGTERM');
    // Nest closes everything, then re-raises the signal: a clean exit is "ended by SIGTERM", within the grace time
    const ended = await exited(first, 20_000);
    expect(ended.code === 0 || ended.signal === 'SIGTERM').toBe(true);
    expect(first.output()).toContain('released at a checkpoint');
    const paused = await progress(run.id);
    expect(paused.status).toBe('running');
    // handed back to the queue, not failed, no attempt spent
    const job = await api.app.get(QueueService).queue(QUEUES.fetch).getJob(run.id ? `manual_${id}_${new Date(run.windowTo).toISOString().replace(/[-:.]/g, '')}` : '');
    expect(['delayed', 'waiting']).toContain(await job?.getState());
    expect(job?.attemptsMade).toBe(0);

    const second = startServiceProcess(workerEnv());
    children.push(second);
    const done = await verifyExact('79', run.id);
    expect(done.attempts).toBe(2);
    second.kill('SIGTERM');
    await exited(second);
  });
});
