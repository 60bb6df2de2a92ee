import { BcciSimulator, createBcciSimulator } from './simulators/vnpost-bcci/bcci.simulator';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { registerConnector, runNow, waitForRun, waitForSettled } from './support/pipeline';

const MONTHS = ['2025-03', '2025-04'];

/** Postal waybills reconciled with one-stop-shop dossiers sent or returned by post, against the simulators' truth. */
describe('reconciliation of postal reports with one-stop-shop dossiers', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let oss: OneStopShopSimulator;
  let bcci: BcciSimulator;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    oss = await createOneStopShopSimulator({ seed: 3, provinces: ['44'], dossiersPerProvince: 3000, year: 2025, malformedRate: 0 });
    bcci = await createBcciSimulator({ seed: 4, provinces: ['44'], months: MONTHS, badRowRate: 0, oneStopShop: oss.dataset });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    const ossId = await registerConnector(app.api, { name: 'oss-44', provinceCode: '44', baseUrl: oss.url });
    const bcciRes = await app.api
      .post('/connectors')
      .send({ name: 'bcci-44', kind: 'vnpost-bcci', baseUrl: bcci.url, provinceCode: '44', credentials: { apiKey: 'demo-bcci-key' }, options: { initialSyncFrom: '2025-01-01', lagSeconds: 0 } })
      .expect(201);
    for (const id of [ossId, bcciRes.body.id]) expect((await waitForRun(app.api, (await runNow(app.api, id)).id)).status).toBe('succeeded');
    await waitForSettled(app.pool);
  });
  afterAll(async () => {
    await app?.close();
    await oss?.close();
    await bcci?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  it('records matched and unmatched counts per month and direction that agree with the sources', async () => {
    const res = await app.api.get('/provinces/44/years/2025/findings?lists=true').expect(200);
    const findings = res.body.findings as Array<{ monthKey: string; direction: 'submission' | 'result'; matched: number; matchedByFallback: number; unmatchedWaybills: number; unmatchedDossiers: number; unmatchedDossierIds: string[]; rawDigests: string[] }>;
    expect(findings).toHaveLength(MONTHS.length * 2);
    for (const month of MONTHS) {
      const truth = bcci.truth('44', month);
      for (const direction of ['submission', 'result'] as const) {
        const f = findings.find((x) => x.monthKey === month && x.direction === direction)!;
        const without = truth.postalDossiersWithoutWaybill.filter((d) => d.direction === direction);
        const unmatchedWaybills = truth.unmatchedWaybills.filter((w) => w.direction === direction);
        // a waybill without a usable MaHoSo may still pair with a dossier of the same procedure and day
        expect(f.unmatchedDossiers + f.matchedByFallback).toBe(without.length);
        expect(f.unmatchedWaybills + f.matchedByFallback).toBe(unmatchedWaybills.length);
        const good = truth.rows.filter((r) => r.direction === direction).length;
        expect(f.matched + f.unmatchedWaybills).toBe(good);
        for (const id of f.unmatchedDossierIds) expect(without.map((d) => d.dossierId)).toContain(id);
        expect(f.rawDigests.length).toBeGreaterThan(1); // the postal file and the dossiers' payloads
      }
    }
    expect(findings.some((f) => f.unmatchedDossiers > 0 || f.unmatchedWaybills > 0)).toBe(true);
  });

  it('serves each finding\'s lists paged, with both sides\' ids, dates and the reason', async () => {
    const res = await app.api.get('/provinces/44/years/2025/findings').expect(200);
    const findings = res.body.findings as Array<{ id: number; monthKey: string; direction: string; matchedByFallback: number; unmatchedWaybills: number; unmatchedDossiers: number; items: number }>;
    const f = findings.find((x) => x.unmatchedDossiers > 0 && x.unmatchedWaybills > 0) ?? findings.find((x) => x.unmatchedDossiers + x.unmatchedWaybills > 1)!;
    expect(f.items).toBe(f.unmatchedWaybills + f.unmatchedDossiers + f.matchedByFallback);
    const all: Array<Record<string, string | null>> = [];
    for (let offset = 0; offset < f.items; offset += 2) {
      const page = await app.api.get(`/provinces/44/years/2025/findings/${f.id}/items?limit=2&offset=${offset}`).expect(200);
      expect(page.body).toMatchObject({ findingId: f.id, monthKey: f.monthKey, direction: f.direction, total: f.items, limit: 2, offset });
      all.push(...page.body.items);
    }
    expect(all).toHaveLength(f.items);
    const noWaybill = all.filter((i) => i.reason === 'NO_WAYBILL');
    expect(noWaybill).toHaveLength(f.unmatchedDossiers);
    for (const i of noWaybill) {
      expect(i.waybillId).toBeNull();
      expect(i.dossierId).toBeTruthy();
      expect(Date.parse(i.dossierDate!)).not.toBeNaN();
    }
    const waybillSide = all.filter((i) => i.reason !== 'NO_WAYBILL');
    for (const i of waybillSide) expect(i.waybillId).toBeTruthy();
    const truth = bcci.truth('44', f.monthKey).unmatchedWaybills.filter((w) => w.direction === f.direction).map((w) => w.waybillId).sort();
    expect(waybillSide.map((i) => i.waybillId).sort()).toEqual(truth);
    const only = await app.api.get(`/provinces/44/years/2025/findings/${f.id}/items?reason=NO_WAYBILL`).expect(200);
    expect(only.body.total).toBe(f.unmatchedDossiers);
    await app.api.get(`/provinces/44/years/2024/findings/${f.id}/items`).expect(404);
  });

  it('never changes either source’s evidence', async () => {
    const { rows } = await app.pool.query(`SELECT DISTINCT c.source_kind FROM evidence_computation c`);
    expect(rows.map((r) => r.source_kind).sort()).toEqual(['one-stop-shop', 'vnpost-bcci']);
    const { rows: versions } = await app.pool.query(`SELECT max(version)::int AS v FROM evidence_record WHERE province_code = '44' AND period_key = '2025-03'`);
    expect(versions[0].v).toBe(1);
  });
});
