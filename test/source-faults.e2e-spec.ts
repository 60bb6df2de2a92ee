import { QueueService } from '../src/platform/queue/queue.module';
import { QUEUES } from '../src/platform/queue/queue-catalogue';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { registerConnector, runNow, waitForRun } from './support/pipeline';

/** Source failures, one scenario per province of one simulator; scenarios run one after another. */
describe('one-stop-shop source faults', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: OneStopShopSimulator;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createOneStopShopSimulator({ seed: 99, provinces: ['01', '79', '48', '46', '31', '92'], dossiersPerProvince: 600, year: 2025 });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker', HTTP_TIMEOUT_MS: '1000' });
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });
  beforeEach(() => sim.faults.reset());

  async function dossierCount(province: string): Promise<number> {
    const { rows } = await app.pool.query('SELECT count(*)::int AS n FROM dossier WHERE province_code = $1', [province]);
    return rows[0].n;
  }

  it('refreshes an expired token and repeats the call', async () => {
    const id = await registerConnector(app.api, { name: 'tok', provinceCode: '01', baseUrl: sim.url, options: { pageSize: 100 } });
    const before = sim.stats();
    sim.faults.push({ kind: 'token-expiry', path: '/hoso' });
    const run = await waitForRun(app.api, (await runNow(app.api, id)).id);
    const after = sim.stats();
    expect(run.status).toBe('succeeded');
    expect(after.unauthorized - before.unauthorized).toBe(1);
    // one token at the start, one after the expiry
    expect(after.tokensIssued - before.tokensIssued).toBe(2);
    expect(run.counts.fetched).toBe(sim.dataset.timelineLength('01'));
    expect(await dossierCount('01')).toBe(sim.dataset.count('01'));
  });

  it('backs off and retries transient failures (429 with Retry-After, HTTP 503, error_code 503, timeouts) with exact counts', async () => {
    const id = await registerConnector(app.api, { name: 'flaky', provinceCode: '79', baseUrl: sim.url, options: { pageSize: 100 } });
    sim.faults.push(
      { kind: '429', retryAfterSeconds: 1, path: '/hoso' },
      { kind: '503-http', path: '/hoso', times: 2 },
      { kind: '503-envelope', path: '/hoso', times: 2 },
      { kind: 'slow', ms: 1500, path: '/hoso' },
    );
    const started = Date.now();
    const run = await waitForRun(app.api, (await runNow(app.api, id)).id);
    expect(run.status).toBe('succeeded');
    expect(sim.stats().byKind).toMatchObject({ '429': 1, '503-http': 2, '503-envelope': 2, slow: 1 });
    // the 429 asked for one second: the client waited at least that long
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(run.counts.fetched).toBe(sim.dataset.timelineLength('79'));
    expect(run.counts.normalised + run.counts.quarantined).toBe(run.counts.fetched);
    expect(await dossierCount('79')).toBe(sim.dataset.count('79'));
  });

  it.each([
    ['DATA_INCORRECT inside HTTP 200', '48', { kind: '500-envelope-data-incorrect', path: '/hoso' } as const, 'DATA_INCORRECT'],
    ['HTTP 400', '46', { kind: '400', path: '/hoso' } as const, 'BAD_REQUEST'],
  ])('fails the run at once on a permanent error (%s), without retries', async (_label, province, fault, code) => {
    const id = await registerConnector(app.api, { name: `perm-${province}`, provinceCode: province, baseUrl: sim.url, options: { pageSize: 100 } });
    sim.faults.push(fault);
    const requestsBefore = sim.stats().requests;
    const run = await waitForRun(app.api, (await runNow(app.api, id)).id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe(code);
    expect(run.attempts).toBe(1);
    // procedures pages + the one failing dossier page (+ nothing more: no retry storm)
    expect(sim.stats().requests - requestsBefore).toBeLessThanOrEqual(4);
    const job = await app.app.get(QueueService).queue(QUEUES.fetch).getJob(`manual_${id}_${compactOf(run.windowTo)}`);
    expect(job?.attemptsMade).toBe(1);
    expect(await job?.getState()).toBe('failed');
  });

  it('fails the run with AUTH_FAILED on bad credentials, at once', async () => {
    const id = await registerConnector(app.api, { name: 'badcreds', provinceCode: '31', baseUrl: sim.url, clientSecret: 'wrong' });
    const before = sim.stats();
    const run = await waitForRun(app.api, (await runNow(app.api, id)).id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('AUTH_FAILED');
    expect(run.error?.message).not.toContain('wrong');
    expect(run.attempts).toBe(1);
    expect(sim.stats().rejectedTokenRequests - before.rejectedTokenRequests).toBe(1);
  });

  it('loses no dossier when pages shift during the sync (new dossiers appear mid-window)', async () => {
    const id = await registerConnector(app.api, { name: 'shift', provinceCode: '92', baseUrl: sim.url, options: { pageSize: 50 } });
    const countBefore = sim.dataset.count('92');
    sim.faults.push({ kind: 'page-shift', count: 7, path: '/hoso', times: 6 });
    const run = await waitForRun(app.api, (await runNow(app.api, id)).id);
    expect(run.status).toBe('succeeded');
    expect(sim.dataset.insertedCount('92')).toBe(42);
    expect(sim.dataset.count('92')).toBe(countBefore + 42);
    expect(await dossierCount('92')).toBe(sim.dataset.count('92'));
    expect(run.counts.fetched).toBe(sim.dataset.timelineLength('92'));
  });
});

function compactOf(iso: string | Date): string {
  return new Date(iso).toISOString().replace(/[-:.]/g, '');
}
