import { ConnectorsService } from '../src/connectors/connectors.service';
import { ConnectorSchedulerService } from '../src/connectors/scheduling/connector-scheduler.service';
import { QueueService } from '../src/platform/queue/queue.module';
import { QUEUES } from '../src/platform/queue/queue-catalogue';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';

const connectorInput = (name: string, provinceCode: string) => ({
  name,
  kind: 'one-stop-shop',
  baseUrl: 'http://127.0.0.1:9',
  provinceCode,
  credentials: { clientId: 'a', clientSecret: 'b' },
  schedule: '*/5 * * * *',
  options: { lagSeconds: 0 },
});

// the timer tick is pushed out of the test's reach: only the explicit ticks below may create runs
const SCHEDULER_ENV = { APP_ROLE: 'scheduler', SCHEDULER_TICK_MS: '3600000' };
// ticks of one process are chained, so an empty tick returns once the start-up tick has finished
const settle = (apps: TestApp[]) => Promise.all(apps.map((r) => r.app.get(ConnectorSchedulerService).tick()));

describe('scheduling with several scheduler replicas', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const prefix = testQueuePrefix();
  const replicas: TestApp[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const r of replicas) await r.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  it('three replicas ticking at once create one run and one job per due slot, catching up missed slots', async () => {
    for (let i = 0; i < 3; i++) replicas.push(await startTestApp(db.url, prefix, SCHEDULER_ENV));
    // let each replica's start-up tick finish first: only the ticks below may see the connector
    await settle(replicas);
    const connectors = replicas[0].app.get(ConnectorsService);
    const c = await connectors.create(connectorInput('binh-duong', '79'));
    // everything was "down" for the last hour: 12 five-minute slots are due
    const now = new Date(Math.floor(Date.now() / 300_000) * 300_000 + 1000);
    await replicas[0].pool.query(`UPDATE connector SET schedule_anchor = $2 WHERE id = $1`, [c.id, new Date(now.getTime() - 3600_000 + 500)]);

    const created = await Promise.all(replicas.flatMap((r) => [1, 2].map(() => r.app.get(ConnectorSchedulerService).tick(now))));
    const { rows } = await replicas[0].pool.query(
      `SELECT slot_at, window_from, window_to, status, job_id FROM connector_run WHERE connector_id = $1 ORDER BY slot_at`,
      [c.id],
    );
    expect(rows).toHaveLength(12);
    expect(created.reduce((a, b) => a + b, 0)).toBe(12);
    expect(new Set(rows.map((r) => r.slot_at.getTime())).size).toBe(12);
    expect(rows.every((r) => r.status === 'queued')).toBe(true);
    // windows tile time: each starts where the previous one ended
    for (let i = 1; i < rows.length; i++) expect(rows[i].window_from.getTime()).toBe(rows[i - 1].window_to.getTime());

    const queue = replicas[0].app.get(QueueService).queue(QUEUES.fetch);
    const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized', 'active']);
    expect(jobs).toHaveLength(12);
    expect(new Set(jobs.map((j) => j.id))).toEqual(new Set(rows.map((r) => r.job_id)));

    // the next tick at the same instant finds nothing new
    expect(await replicas[1].app.get(ConnectorSchedulerService).tick(now)).toBe(0);
  });

  it('reports missed slots instead of running them when SCHEDULE_CATCH_UP=report', async () => {
    const reporter = await startTestApp(db.url, prefix, { ...SCHEDULER_ENV, SCHEDULE_CATCH_UP: 'report' });
    replicas.push(reporter);
    await settle(replicas);
    const c = await reporter.app.get(ConnectorsService).create(connectorInput('da-nang', '48'));
    const now = new Date(Math.floor(Date.now() / 300_000) * 300_000 + 1000);
    await reporter.pool.query(`UPDATE connector SET schedule_anchor = $2 WHERE id = $1`, [c.id, new Date(now.getTime() - 1800_000 + 500)]);
    await reporter.app.get(ConnectorSchedulerService).tick(now);
    const { rows } = await reporter.pool.query(`SELECT status, count(*)::int AS n FROM connector_run WHERE connector_id = $1 GROUP BY status`, [c.id]);
    expect(Object.fromEntries(rows.map((r) => [r.status, r.n]))).toEqual({ missed: 5, queued: 1 });
  });
});
