import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { openLineageValidator } from './support/openlineage-schema';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix, waitFor } from './support/test-app';
import { registerConnector, runNow, waitForRun } from './support/pipeline';

/** A stand-in for Marquez: records every POSTed event; answers 500 to the first `failFirst` requests. */
async function lineageReceiver(failFirst: number): Promise<{ url: string; events: Array<Record<string, any>>; requests: () => number; auth: string[]; close: () => Promise<void> }> {
  const events: Array<Record<string, any>> = [];
  const auth: string[] = [];
  let requests = 0;
  const body = (req: IncomingMessage) => new Promise<string>((resolve) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => resolve(text));
  });
  const server: Server = createServer(async (req, res) => {
    const text = await body(req);
    requests++;
    if (requests <= failFirst) {
      res.writeHead(500).end('down');
      return;
    }
    events.push(JSON.parse(text));
    auth.push(String(req.headers.authorization ?? ''));
    res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/api/v1/lineage`, events, requests: () => requests, auth, close: () => new Promise((r) => server.close(() => r())) };
}

describe('OpenLineage: run events of every connector run, kept in an outbox and sent to the configured endpoint', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: OneStopShopSimulator;
  let receiver: Awaited<ReturnType<typeof lineageReceiver>>;
  const prefix = testQueuePrefix();
  const validate = openLineageValidator();

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createOneStopShopSimulator({ seed: 3, provinces: ['79'], dossiersPerProvince: 60, year: 2025, malformedRate: 0 });
    // the endpoint is down for the first three requests: runs must not notice, and nothing may be lost
    receiver = await lineageReceiver(3);
    app = await startTestApp(db.url, prefix, {
      APP_ROLE: 'api,worker',
      OPENLINEAGE_URL: receiver.url,
      OPENLINEAGE_API_KEY: 'marquez-key',
      OPENLINEAGE_SEND_INTERVAL_MS: '200',
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await receiver?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  it('emits START and COMPLETE for a successful run and START and FAIL for a failed one, valid under OpenLineage 2-0-2, despite the endpoint failing at first', async () => {
    const good = await waitForRun(app.api, (await runNow(app.api, await registerConnector(app.api, { name: 'oss-79', provinceCode: '79', baseUrl: sim.url }))).id);
    const bad = await waitForRun(app.api, (await runNow(app.api, await registerConnector(app.api, { name: 'oss-01-bad', provinceCode: '01', baseUrl: sim.url, clientSecret: 'wrong' }))).id);
    expect(good.status).toBe('succeeded');
    expect(bad.status).toBe('failed');

    const received = await waitFor(async () => (receiver.events.length >= 4 ? receiver.events : undefined), 60_000, 'four events at the receiver');
    expect(receiver.requests()).toBeGreaterThan(4);
    for (const e of received) {
      const ok = validate(e);
      expect({ ok, errors: validate.errors ?? null }).toEqual({ ok: true, errors: null });
    }
    const of = (runId: string) => received.filter((e) => e.run.runId === runId).map((e) => e.eventType);
    expect(of(good.id)).toEqual(['START', 'COMPLETE']);
    expect(of(bad.id)).toEqual(['START', 'FAIL']);
    expect(receiver.auth.every((a) => a === 'Bearer marquez-key')).toBe(true);

    const complete = received.find((e) => e.run.runId === good.id && e.eventType === 'COMPLETE')!;
    expect(complete.job).toMatchObject({ namespace: 'par-evidence-hub', name: 'connector.oss-79' });
    expect(complete.inputs).toEqual([{ namespace: new URL(sim.url).origin, name: new URL(sim.url).pathname }]);
    const dossier = complete.outputs.find((o: { name: string }) => o.name.endsWith('.public.dossier'));
    expect(good.counts.normalised).toBeGreaterThan(0);
    expect(dossier.outputFacets.outputStatistics.rowCount).toBe(good.counts.normalised);
    const fail = received.find((e) => e.run.runId === bad.id && e.eventType === 'FAIL')!;
    expect(fail.run.facets.errorMessage.message).toMatch(/^[A-Z_]+: /);
    // no credential of the source in any event
    expect(JSON.stringify(received)).not.toMatch(/wrong|demo-secret|marquez-key/);
  }, 120_000);

  it('keeps every event in the outbox with its delivery state, for operators', async () => {
    const runs = (await app.api.get('/runs').expect(200)).body as Array<{ id: string; status: string }>;
    const operator = await app.as('operator');
    for (const run of runs) {
      const events = (await operator.get(`/runs/${run.id}/openlineage`).expect(200)).body as Array<Record<string, any>>;
      expect(events.map((e) => e.eventType)).toEqual(run.status === 'succeeded' ? ['START', 'COMPLETE'] : ['START', 'FAIL']);
      expect(events.every((e) => e.sentAt !== null && e.lastError === null)).toBe(true);
    }
    const retried = (await app.pool.query(`SELECT count(*)::int AS n FROM openlineage_event WHERE attempts > 1`)).rows[0].n;
    expect(retried).toBeGreaterThan(0);
    await (await app.as('officer', '79')).get(`/runs/${runs[0].id}/openlineage`).expect(403);
    await operator.get('/runs/00000000-0000-4000-8000-000000000000/openlineage').expect(404);
    await operator.get('/runs/not-a-uuid/openlineage').expect(400);
  });

  it('records the events of a run closed behind its back (the sweep catches up), exactly once', async () => {
    const connector = (await app.pool.query(`SELECT id FROM connector WHERE name = 'oss-79'`)).rows[0].id;
    const { rows } = await app.pool.query(
      `INSERT INTO connector_run (connector_id, config_version, trigger, window_from, window_to, status, job_id, finished_at, error_code, error_message)
       VALUES ($1, 1, 'manual', now() - interval '1 day', now(), 'failed', 'lost-job-1', now(), 'JOB_ENDED', 'the job ended without closing its run') RETURNING id`,
      [connector],
    );
    const events = await waitFor(async () => {
      const r = (await app.api.get(`/runs/${rows[0].id}/openlineage`).expect(200)).body as Array<{ eventType: string; sentAt: string | null }>;
      return r.length === 2 && r.every((e) => e.sentAt) ? r : undefined;
    }, 30_000, 'the sweep to record and send the events');
    expect(events.map((e) => e.eventType)).toEqual(['START', 'FAIL']);
    await new Promise((r) => setTimeout(r, 600));
    expect(receiver.events.filter((e) => e.run.runId === rows[0].id).map((e) => e.eventType)).toEqual(['START', 'FAIL']);
  });
});
