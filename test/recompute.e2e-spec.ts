import { Client } from 'pg';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { BcciSimulator, createBcciSimulator } from './simulators/vnpost-bcci/bcci.simulator';
import { ingestOneStopShop, runNow, waitForRun, waitForSettled } from './support/pipeline';
import { Api, TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { createTestDatabase } from './support/test-database';

const OWN = '79';

describe('deterministic recompute from the archived raw bytes', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: OneStopShopSimulator;
  let postal: BcciSimulator;
  let auditor: Api;
  let dba: Client;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createOneStopShopSimulator({ seed: 21, provinces: [OWN], dossiersPerProvince: 200, year: 2025, malformedRate: 0.02 });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    auditor = await app.as('auditor');
    await ingestOneStopShop(app.api, OWN, sim.url);
    // postal report files of three months (XLSX or CSV as the simulator makes them, some bad rows)
    postal = await createBcciSimulator({ seed: 4, provinces: [OWN], months: ['2025-01', '2025-02', '2025-03'], waybillsPerProvinceMonth: 120, badRowRate: 0.03 });
    const bcci = await app.api.post('/connectors').send({
      name: `bcci-${OWN}`, kind: 'vnpost-bcci', baseUrl: postal.url, provinceCode: OWN, credentials: { apiKey: 'demo-bcci-key' },
      options: { initialSyncFrom: '2025-01-01', lagSeconds: 0, lookbackMonths: 0, batchRows: 100 },
    }).expect(201);
    expect((await waitForRun(app.api, (await runNow(app.api, bcci.body.id)).id)).status).toBe('succeeded');
    await waitForSettled(app.pool);
    dba = new Client({ connectionString: db.url });
    await dba.connect();
  }, 180_000);

  afterAll(async () => {
    await dba?.end();
    await app?.close();
    await sim?.close();
    await postal?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  /** everything a recompute must leave alone */
  const footprint = async () =>
    (
      await app.pool.query(`SELECT (SELECT count(*) FROM dossier)::int AS dossiers, (SELECT max(ingested_at) FROM dossier) AS ingested,
        (SELECT count(*) FROM quarantine_record)::int AS quarantined, (SELECT count(*) FROM evidence_record)::int AS evidence,
        (SELECT count(*) FROM score)::int AS scores, (SELECT count(*) FROM evidence_outbox)::int AS outbox,
        (SELECT count(*) FROM ledger_outbox)::int + (SELECT count(*) FROM ledger_leaf)::int AS ledger,
        (SELECT last_value FROM quarantine_record_id_seq) AS quarantine_seq`)
    ).rows[0];

  it('recomputes the whole province-year identically, without touching stored results', async () => {
    const before = await footprint();
    const report = (await auditor.get(`/provinces/${OWN}/years/2025/recompute`).expect(200)).body;
    expect(report.replay.payloads).toBeGreaterThan(0);
    expect(report.replay.quarantined).toBeGreaterThan(0);
    expect(report.sources).toContainEqual(expect.objectContaining({ sourceKind: 'one-stop-shop', from: 'raw' }));
    expect(report.sources).toContainEqual(expect.objectContaining({ sourceKind: 'vnpost-bcci', from: 'raw' }));
    expect(report.replay.pages).toBeGreaterThanOrEqual(5);
    expect((await app.pool.query(`SELECT count(*)::int AS n FROM evidence_record WHERE metric LIKE 'postal.%'`)).rows[0].n).toBeGreaterThan(0);
    expect(report.evidence.compared).toBeGreaterThan(20);
    expect(report.scores.compared).toBeGreaterThan(20);
    expect(report.evidence.differences).toEqual([]);
    expect(report.scores.differences).toEqual([]);
    expect(report.identical).toBe(true);
    expect(await footprint()).toEqual(before);
  });

  it('rebuilds from the raw bytes, not from the normalised rows (edited dossiers and waybills change nothing)', async () => {
    await dba.query(`UPDATE dossier SET status = 7 WHERE province_code = $1`, [OWN]);
    await dba.query(`UPDATE waybill SET status = 'returned' WHERE province_code = $1`, [OWN]);
    const report = (await auditor.get(`/provinces/${OWN}/years/2025/recompute`).expect(200)).body;
    expect(report.identical).toBe(true);
  });

  it('names the evidence record and the score that no longer match what the raw bytes give', async () => {
    const score = (
      await app.pool.query(
        `SELECT s.id, e.id AS evidence_id, e.metric, e.period_key FROM score s JOIN evidence_record e ON e.id = s.evidence_ids[1]
          WHERE s.province_code = $1 AND s.period_key = '2025' AND s.points IS NOT NULL AND e.denominator > 0 ORDER BY s.id LIMIT 1`,
        [OWN],
      )
    ).rows[0];
    await dba.query(`UPDATE evidence_record SET numerator = numerator + 1 WHERE id = $1`, [score.evidence_id]);
    await dba.query(`UPDATE score SET points = points + 0.5 WHERE id = $1`, [score.id]);
    const report = (await auditor.get(`/scores/${score.id}/recompute`).expect(200)).body;
    expect(report.identical).toBe(false);
    expect(report.evidence.differences).toEqual([
      expect.objectContaining({ periodKey: score.period_key, metric: score.metric, difference: 'changed', fields: ['numerator'], stored: expect.objectContaining({ id: Number(score.evidence_id) }) }),
    ]);
    expect(report.scores.differences).toEqual([expect.objectContaining({ scoreId: Number(score.id), difference: 'changed', fields: ['points'] })]);
    expect(report.scores.compared).toBe(1);
    const other = await app.as('officer', '01');
    await other.get(`/scores/${score.id}/recompute`).expect(404);
  });
});
