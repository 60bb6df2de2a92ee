import { CatalogueWatcherService } from '../src/scoring/catalogue-watcher.service';
import { ScoringCatalogue } from '../src/scoring/catalogue';
import { SCORING_CATALOGUES } from '../src/scoring/scoring-catalogues.provider';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { registerConnector, runNow, waitForRun, waitForSettled } from './support/pipeline';

const PAR_INDEX = 'par-index-2026@2026.0-draft';
const PROVINCES = ['01', '44', '79'];

describe('scorecards: tree totals, coverage, national ranks, imported values, catalogue versions', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: OneStopShopSimulator;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createOneStopShopSimulator({ seed: 21, provinces: PROVINCES, dossiersPerProvince: 800, year: 2025, malformedRate: 0 });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    for (const p of PROVINCES) {
      const id = await registerConnector(app.api, { name: `oss-${p}`, provinceCode: p, baseUrl: sim.url });
      expect((await waitForRun(app.api, (await runNow(app.api, id)).id)).status).toBe('succeeded');
    }
    await waitForSettled(app.pool);
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  async function card(province: string, catalogue = PAR_INDEX) {
    const res = await app.api.get(`/provinces/${province}/years/2025/scorecard?catalogue=${encodeURIComponent(catalogue)}`).expect(200);
    expect(res.body.catalogues).toHaveLength(1);
    return res.body.catalogues[0];
  }

  it('shows every sub-criterion with its status, the field totals and the coverage from data', async () => {
    const c = await card('44');
    expect(c.fields).toHaveLength(8);
    const statuses = new Set(c.items.map((i: { status: string }) => i.status));
    expect(statuses).toContain('auto_filled');
    expect(statuses).toContain('manual_needed');
    for (const f of c.fields) {
      const own = c.items.filter((i: { field: string }) => i.field === f.code);
      expect(f.points).toBeCloseTo(own.reduce((a: number, i: { points: number | null }) => a + (i.points ?? 0), 0), 6);
      expect(own.reduce((a: number, i: { maxPoints: number }) => a + i.maxPoints, 0)).toBeCloseTo(f.maxPoints, 9);
    }
    const filled = c.items.filter((i: { status: string }) => i.status === 'auto_filled');
    expect(c.coverage.filledFromData).toBe(filled.length);
    expect(c.coverage.pointsFromData).toBeCloseTo(filled.reduce((a: number, i: { maxPoints: number }) => a + i.maxPoints, 0), 6);
    expect(c.coverage.points).toBe(100);
    for (const i of filled) expect(i.evidenceCount).toBeGreaterThan(0);
  });

  it('scores quarters and months of the year too', async () => {
    for (const period of ['2025-Q1', '2025-07']) {
      const res = await app.api.get(`/provinces/44/years/2025/scorecard?catalogue=${encodeURIComponent(PAR_INDEX)}&period=${period}`).expect(200);
      expect(res.body.period).toBe(period);
      const items = res.body.catalogues[0].items as Array<{ status: string; scoreId: number | null }>;
      expect(items.some((i) => i.status === 'auto_filled')).toBe(true);
      const { rows } = await app.pool.query(`SELECT DISTINCT period_kind FROM score WHERE id = ANY($1::bigint[])`, [items.filter((i) => i.scoreId !== null).map((i) => i.scoreId)]);
      expect(rows.map((r) => r.period_kind)).toEqual([period.includes('Q') ? 'quarter' : 'month']);
    }
    await app.api.get('/provinces/44/years/2025/scorecard?period=2024-Q1').expect(400);
    await app.api.get('/provinces/44/years/2025/scorecard?period=2025-13').expect(400);
  });

  it('ranks provinces in a national table', async () => {
    const res = await app.api.get(`/scoreboard?year=2025&catalogue=${encodeURIComponent(PAR_INDEX)}`).expect(200);
    expect(res.body.map((r: { provinceCode: string }) => r.provinceCode).sort()).toEqual(PROVINCES);
    for (let i = 1; i < res.body.length; i++) {
      expect(res.body[i].points).toBeLessThanOrEqual(res.body[i - 1].points);
      expect(res.body[i].rank).toBeGreaterThanOrEqual(res.body[i - 1].rank);
    }
    expect(res.body[0].rank).toBe(1);
    expect(res.body[0].coverage).toBeGreaterThan(0);
    const regions = await app.api.get(`/scoreboard/regions?year=2025&catalogue=${encodeURIComponent(PAR_INDEX)}`).expect(200);
    expect(regions.body).toHaveLength(6);
    const central = regions.body.find((r: { region: string }) => r.region === 'north_central_coast');
    expect(central).toMatchObject({ scoredProvinces: 1, best: { provinceCode: '44' } });
    expect(central.meanPoints).toBeCloseTo(res.body.find((r: { provinceCode: string }) => r.provinceCode === '44').points, 6);
  });

  it('imports survey values (JSON and CSV file), rejects bad uploads whole, and scores the imported items with lineage to the upload', async () => {
    const bad = await app.api.post('/imports').send({ source: 'SIPAS 2025', values: [{ provinceCode: '99', year: 2025, key: 'sipas', value: 120, max: 100 }] }).expect(400);
    expect((bad.body.message as string[]).join('\n')).toMatch(/row 1: provinceCode "99"[\s\S]*row 1: value 120 is above max 100/);
    const before = (await app.pool.query('SELECT count(*)::int AS n FROM imported_value')).rows[0].n;
    expect(before).toBe(0);

    await app.api.post('/imports').send({ source: 'SIPAS 2025', values: [{ provinceCode: '44', year: 2025, key: 'sipas.satisfaction', value: 80, max: 100 }] }).expect(201);
    const file = await app.api
      .post('/imports/file')
      .field('source', 'SIPAS 2025 (file)')
      .attach('file', Buffer.from('provinceCode,year,key,value,max\n79,2025,sipas.satisfaction,90,100\n'), { filename: 'sipas-2025.csv', contentType: 'text/csv' })
      .expect(201);
    expect(file.body.rawDigest).toMatch(/^[0-9a-f]{64}$/);
    await waitForSettled(app.pool);

    const imported = (await card('44')).items.find((i: { kind: string; status: string }) => i.kind === 'imported' && i.status === 'auto_filled');
    expect(imported).toBeDefined();
    expect(imported.value).toBeCloseTo(0.8, 9);
    const lineage = await app.api.get(`/scores/${imported.scoreId}/lineage`).expect(200);
    expect(lineage.body.imported).toEqual([expect.objectContaining({ key: 'sipas.satisfaction', value: 80, max: 100, upload: expect.objectContaining({ source: 'SIPAS 2025' }) })]);
    const list = await app.api.get('/provinces/79/years/2025/imports').expect(200);
    expect(list.body[0]).toMatchObject({ key: 'sipas.satisfaction', value: 90, upload: { fileName: 'sipas-2025.csv' } });
  });

  it('runs a what-if scenario with weights beside the official scores, without storing anything', async () => {
    const scoresBefore = (await app.pool.query('SELECT count(*)::int AS n FROM score')).rows[0].n;
    const board = (await app.api.get(`/scoreboard?year=2025&catalogue=${encodeURIComponent(PAR_INDEX)}`).expect(200)).body;
    const last = board[board.length - 1];
    const c = await card(last.provinceCode);
    const boosted = c.items.filter((i: { status: string; points: number; maxPoints: number }) => i.status === 'auto_filled' && i.points < i.maxPoints);
    const multipliers = Object.fromEntries(boosted.map((i: { subCriterion: string }) => [i.subCriterion, 10]));
    const res = await app.api
      .post('/scenarios/evaluate')
      .send({ year: 2025, baselineCatalogue: PAR_INDEX, weights: [{ label: 'test', provinces: [last.provinceCode], multipliers }] })
      .expect(200);
    const row = res.body.rows.find((r: { provinceCode: string }) => r.provinceCode === last.provinceCode);
    const expected = c.items.reduce(
      (a: number, i: { status: string; points: number | null; maxPoints: number; subCriterion: string }) =>
        a + (i.status === 'auto_filled' || i.status === 'stale' ? Math.min(i.maxPoints, (i.points ?? 0) * (multipliers[i.subCriterion] ?? 1)) : 0),
      0,
    );
    expect(row.scenarioPoints).toBeCloseTo(expected, 3);
    expect(row.officialPoints).toBeCloseTo(last.points, 6);
    expect(row.deltaPoints).toBeCloseTo(expected - last.points, 3);
    expect(row.scenarioRank).toBeLessThanOrEqual(row.officialRank);
    expect(row.deltaRank).toBe(row.officialRank - row.scenarioRank);
    for (const other of res.body.rows.filter((r: { provinceCode: string }) => r.provinceCode !== last.provinceCode)) {
      expect(other.deltaPoints).toBeCloseTo(0, 3); // only the weighted province moves
    }
    expect((await app.pool.query('SELECT count(*)::int AS n FROM score')).rows[0].n).toBe(scoresBefore);
    const bad = await app.api
      .post('/scenarios/evaluate')
      .send({ year: 2025, baselineCatalogue: 'nope@1', weights: [{ provinces: ['99'], multipliers: { x: -1 } }] })
      .expect(400);
    expect((bad.body.message as string[]).join()).toMatch(/baselineCatalogue: no catalogue nope@1/);
    // a scenario kept as versioned configuration
    const listed = await app.api.get('/scenarios').expect(200);
    expect(listed.body.map((x: { key: string }) => x.key)).toContain('disadvantaged-provinces-2019@1');
    const named = await app.api.post('/scenarios/evaluate').send({ year: 2025, scenario: 'disadvantaged-provinces-2019@1' }).expect(200);
    expect(named.body).toMatchObject({ scenario: 'disadvantaged-provinces-2019@1', baselineCatalogue: PAR_INDEX });
    expect(named.body.rows.map((r: { provinceCode: string }) => r.provinceCode).sort()).toEqual(PROVINCES);
  });

  it('scores a new catalogue version when it appears, and keeps the old version’s scores queryable', async () => {
    const watcher = app.app.get(CatalogueWatcherService);
    const first = await watcher.rescoreChanged();
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(await watcher.rescoreChanged()).toEqual([]);

    const catalogues = app.app.get<ScoringCatalogue[]>(SCORING_CATALOGUES);
    const demo = catalogues.find((c) => c.id === 'par-index-2026-demo')!;
    const next: ScoringCatalogue = { ...demo, version: '2026.1-demo', subCriteria: demo.subCriteria.map((s) => ({ ...s })) };
    catalogues.push(next);
    expect(await watcher.rescoreChanged()).toEqual(['par-index-2026-demo@2026.1-demo']);
    await waitForSettled(app.pool);
    const newer = await card('01', 'par-index-2026-demo@2026.1-demo');
    const older = await card('01', 'par-index-2026-demo@2026.0-demo');
    expect(newer.items.filter((i: { scoreId: number | null }) => i.scoreId !== null)).toHaveLength(newer.items.length);
    expect(newer.totals.points).toBeCloseTo(older.totals.points, 9);
    expect(newer.items[0].scoreId).not.toBe(older.items[0].scoreId);
  });
});
