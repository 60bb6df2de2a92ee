import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix, waitFor } from './support/test-app';
import { registerConnector, runNow, waitForRun } from './support/pipeline';
import { nextSlot } from '../src/connectors/scheduling/schedule-slots';

interface Step {
  id: number;
  kind: string;
  message: string;
  detail: Record<string, number> | null;
}

/** Operating runs: cancel (queued or running), the step log, and the connector list's last and next run. */
describe('run operations', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: OneStopShopSimulator;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createOneStopShopSimulator({ seed: 5, provinces: ['01', '79', '48', '46'], dossiersPerProvince: 1500, year: 2025 });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker', WORKER_CONCURRENCY: '1' });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  it('cancels a running run at its next checkpoint; what it committed stays consistent', async () => {
    const id = await registerConnector(app.api, { name: 'slow-01', provinceCode: '01', baseUrl: sim.url, options: { pageSize: 50, fetchProcedures: false } });
    sim.faults.setRates({ rateSlow: 1, slowMs: 250 });
    const started = await runNow(app.api, id);
    await waitFor(async () => ((await app.api.get(`/runs/${started.id}`)).body.counts.pages >= 2 ? true : undefined), 60_000, 'two pages');
    const asked = await app.api.post(`/runs/${started.id}/cancel`).expect(200);
    expect(asked.body.cancelRequestedAt).toBeTruthy();
    const run = await waitForRun(app.api, started.id);
    sim.faults.setRates({ rateSlow: 0 });
    expect(run.status).toBe('cancelled');
    expect(run.counts.pages).toBeLessThan(1500 / 50);
    // every committed page is whole: the dossiers stored came from this run's archived pages, no more than it counted
    const { rows } = await app.pool.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE run_id <> $1 OR NOT EXISTS (SELECT 1 FROM raw_payload p WHERE p.digest = d.raw_digest))::int AS stray
         FROM dossier d WHERE province_code = '01'`,
      [run.id],
    );
    expect(rows[0].n).toBeGreaterThan(0);
    expect(rows[0].n).toBeLessThanOrEqual(run.counts.normalised);
    expect(rows[0].stray).toBe(0);
    const steps = (await app.api.get(`/runs/${run.id}/steps`).expect(200)).body as Step[];
    expect(steps[0].kind).toBe('start');
    const checkpoints = steps.filter((s) => s.kind === 'checkpoint');
    expect(checkpoints.reduce((a, s) => a + (s.detail?.pages ?? 0), 0)).toBe(run.counts.pages);
    expect(steps[steps.length - 1]).toMatchObject({ kind: 'cancel' });
    await app.api.post(`/runs/${run.id}/cancel`).expect(409);
    // the next run starts again from the last successful one: what the cancelled run stored comes back unchanged,
    // nothing is doubled
    const next = await waitForRun(app.api, (await runNow(app.api, id)).id);
    expect(next.status).toBe('succeeded');
    const { rows: after } = await app.pool.query(`SELECT count(*)::int AS n FROM dossier WHERE province_code = '01'`);
    expect(after[0].n).toBeGreaterThan(rows[0].n);
    expect(next.counts.unchanged).toBeGreaterThanOrEqual(rows[0].n); // the pages the cancelled run committed came again, unchanged
  });

  it('cancels queued runs at once; they never start', async () => {
    const id = await registerConnector(app.api, { name: 'queued-79', provinceCode: '79', baseUrl: sim.url, options: { pageSize: 200, fetchProcedures: false, backfillChunkDays: 30 } });
    sim.faults.setRates({ rateSlow: 1, slowMs: 200 });
    const runs = (await app.api.post(`/connectors/${id}/backfill`).send({ from: '2025-01-01', to: '2025-07-01' }).expect(201)).body as Array<{ id: string }>;
    expect(runs.length).toBeGreaterThan(3);
    const last = runs[runs.length - 1];
    const cancelled = await app.api.post(`/runs/${last.id}/cancel`).expect(200);
    expect(cancelled.body.status).toBe('cancelled');
    for (const r of runs.slice(0, -1)) await app.api.post(`/runs/${r.id}/cancel`).expect((res) => expect([200, 409]).toContain(res.status));
    sim.faults.setRates({ rateSlow: 0 });
    for (const r of runs) expect((await waitForRun(app.api, r.id)).status).toMatch(/cancelled|succeeded/);
    const final = await waitForRun(app.api, last.id);
    expect(final).toMatchObject({ status: 'cancelled', attempts: 0, startedAt: null });
    const steps = (await app.api.get(`/runs/${last.id}/steps`).expect(200)).body as Step[];
    expect(steps.map((s) => s.kind)).toEqual(['cancel']);
  });

  it('logs retries in the step log', async () => {
    const id = await registerConnector(app.api, { name: 'retry-48', provinceCode: '48', baseUrl: sim.url, options: { pageSize: 500, fetchProcedures: false } });
    sim.faults.push({ kind: '503-http', path: '/hoso' });
    const run = await waitForRun(app.api, (await runNow(app.api, id)).id);
    expect(run.status).toBe('succeeded');
    const steps = (await app.api.get(`/runs/${run.id}/steps?limit=1000`).expect(200)).body as Step[];
    const retries = steps.filter((s) => s.kind === 'retry');
    expect(retries).toHaveLength(1);
    expect(retries[0].message).toMatch(/503/);
    const page = (await app.api.get(`/runs/${run.id}/steps?afterId=${steps[0].id}&limit=2`).expect(200)).body as Step[];
    expect(page.map((s) => s.id)).toEqual(steps.slice(1, 3).map((s) => s.id));
  });

  it('lists connectors with their last run, its outcome and the next scheduled run', async () => {
    const id = await registerConnector(app.api, { name: 'scheduled-46', provinceCode: '46', baseUrl: sim.url, schedule: '0 2 * * *', options: { pageSize: 500, fetchProcedures: false } });
    const before = (await app.api.get(`/connectors/${id}`).expect(200)).body;
    expect(before.lastRun).toBeNull();
    const nextRunAt = new Date(before.nextRunAt);
    expect(nextRunAt).toEqual(nextSlot('0 2 * * *', new Date(nextRunAt.getTime() - 86_400_000 + 1)));
    expect(nextRunAt.getUTCHours()).toBe(19); // 02:00 Vietnam time
    const run = await waitForRun(app.api, (await runNow(app.api, id)).id);
    const list = (await app.api.get('/connectors').expect(200)).body as Array<{ id: string; lastRun: { id: string; status: string; outcome: string } | null; nextRunAt: string | null }>;
    expect(list.find((c) => c.id === id)).toMatchObject({ lastRun: { id: run.id, status: 'succeeded', outcome: 'succeeded' } });
    const slow = list.find((c) => c.lastRun?.status === 'cancelled');
    expect(slow?.nextRunAt).toBeNull(); // no schedule
    await app.api.post(`/connectors/${id}/disable`).expect(200);
    expect((await app.api.get(`/connectors/${id}`).expect(200)).body.nextRunAt).toBeNull();
  });
});
