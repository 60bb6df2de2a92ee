import { DvcqgSimulator, createDvcqgSimulator } from './simulators/dvcqg/dvcqg.simulator';
import { toVietnamWallClock, vietnamWallClockToDate } from '../src/platform/time/vietnam-time';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { waitForRun, waitForSettled } from './support/pipeline';

/**
 * Decision 766 per unit and period over HTTP: the connector fetches the closed and the running months from the
 * simulator (real shapes), every unit is scored with the catalogue, and the board, units, unit detail, findings
 * and raw answers are served; a revised closed month is a new version and a finding.
 */
describe('Decision 766 board, units, findings and lineage (dvcqg-evaluation → unit scores → API)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: DvcqgSimulator;
  const prefix = testQueuePrefix();
  const now = new Date();
  const w = toVietnamWallClock(now);
  const pad = (m: number) => String(m).padStart(2, '0');
  const prev = w.month === 1 ? { year: w.year - 1, month: 12 } : { year: w.year, month: w.month - 1 };
  const closed = `${prev.year}-${pad(prev.month)}`;
  const running = `${w.year}-${pad(w.month)}`;
  const closedStart = vietnamWallClockToDate(prev.year, prev.month, 1)!;
  const runningStart = vietnamWallClockToDate(w.year, w.month, 1)!;
  let connectorId = '';

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createDvcqgSimulator({ seed: 3, provinces: ['44'] });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    const ids = sim.mapping()['44'];
    const created = await app.api
      .post('/connectors')
      .send({ name: 'dvcqg-44-units', kind: 'dvcqg-evaluation', baseUrl: sim.url, provinceCode: '44', credentials: {}, options: { periods: ['month'], backfillChunkDays: 62, ...ids } })
      .expect(201);
    connectorId = created.body.id;
    await backfill(closedStart.toISOString(), new Date(now.getTime() - 1000).toISOString());
  });
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  async function backfill(from: string, to: string) {
    const res = await app.api.post(`/connectors/${connectorId}/backfill`).send({ from, to }).expect(201);
    for (const run of res.body) {
      const done = await waitForRun(app.api, run.id);
      expect({ status: done.status, error: done.error }).toMatchObject({ status: 'succeeded' });
    }
    await waitForSettled(app.pool);
  }

  it('scores the province and every unit of the closed month, official beside recomputed within 0.015, ranked like the portal', async () => {
    const board = (await app.api.get(`/provinces/44/qd766/board?period=${closed}`).expect(200)).body;
    const truth = sim.truth('transparency', { timeType: 'month', year: prev.year, month: prev.month, rootDepartmentId: sim.mapping()['44'].rootDepartmentId, pageSize: 500 });
    expect(board).toMatchObject({ provinceCode: '44', period: closed, catalogue: 'qd766-2022@2022.2', scope: 'all', nationalRank: 1 });
    expect(board.units.department + board.units.commune).toBe(truth.pagination.total);
    expect(board.province.groups.map((g: { code: string }) => g.code)).toEqual(['1', '2', '3', '4', '5']);
    for (const g of board.province.groups) expect(Math.abs(g.official - g.recomputed)).toBeLessThanOrEqual(0.015);
    expect(Math.abs(board.province.officialTotal - board.province.recomputedTotal)).toBeLessThanOrEqual(0.015);
    expect(board.items.find((i: { code: string }) => i.code === '3.1')).toMatchObject({ source: 'dvcqg-published', compared: false });
    expect(board.items.find((i: { code: string }) => i.code === '2.1')).toMatchObject({ source: 'dvcqg', compared: true });
    expect(board.findings.difference ?? 0).toBe(0);

    // every unit: its groups reproduced; ranks by official total
    const units = (await app.api.get(`/provinces/44/qd766/units?period=${closed}&pageSize=500`).expect(200)).body;
    expect(units.total).toBe(truth.pagination.total);
    for (const u of units.units) {
      for (const g of u.groups) if (g.official !== null) expect({ unit: u.departmentId, g: g.code, ok: Math.abs(g.official - g.recomputed) <= 0.015 }).toEqual({ unit: u.departmentId, g: g.code, ok: true });
    }
    const totals = units.units.map((u: { officialTotal: number }) => u.officialTotal);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(units.units[0].rank).toBe(1);
    const findings = (await app.api.get(`/provinces/44/qd766/findings?period=${closed}&pageSize=500`).expect(200)).body;
    expect(findings.findings.filter((f: { kind: string }) => f.kind !== 'closed_period_revised')).toEqual([]);

    // the province scorecard says which source each item used
    const card = (await app.api.get(`/provinces/44/years/${prev.year}/scorecard?catalogue=${encodeURIComponent('qd766-2022@2022.2')}&period=${closed}`).expect(200)).body;
    const items = card.catalogues[0].items as Array<{ subCriterion: string; source: string; points: number | null }>;
    expect(items.find((i) => i.subCriterion === '3.1')).toMatchObject({ source: 'dvcqg-published' });
    expect(items.find((i) => i.subCriterion === '2.1')).toMatchObject({ source: 'dvcqg' });
    expect(items.find((i) => i.subCriterion === '2.1')!.points).toBeCloseTo(board.items.find((i: { code: string }) => i.code === '2.1').points, 4);
  });

  it('pages, sorts and filters units by level, type and name', async () => {
    const communes = (await app.api.get(`/provinces/44/qd766/units?period=${closed}&level=commune&sort=name&pageSize=5&page=2`).expect(200)).body;
    expect(communes.units).toHaveLength(5);
    expect(communes.units.every((u: { level: string }) => u.level === 'commune')).toBe(true);
    const names = communes.units.map((u: { departmentName: string }) => u.departmentName);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const typed = (await app.api.get(`/provinces/44/qd766/units?period=${closed}&type=PROVINCIAL_DEPARTMENT&pageSize=500`).expect(200)).body;
    expect(typed.total).toBeGreaterThan(0);
    expect(typed.units.every((u: { level: string; departmentCode: string }) => u.level === 'department' && /^H44\.\d{2}$/.test(u.departmentCode))).toBe(true);
    const named = (await app.api.get(`/provinces/44/qd766/units?period=${closed}&name=${encodeURIComponent('xã 1 ')}`).expect(200)).body;
    expect(named.units.every((u: { departmentName: string }) => u.departmentName.includes('xã 1 '))).toBe(true);
    // malformed queries: 400 naming the field, never 5xx
    for (const q of ['sort=bogus', 'page=0', 'pageSize=9999', 'pageSize=abc', 'level=region', 'type=commune', 'type=TRUE', 'scope=a%20b', 'catalogue=nope', 'catalogue=par-index-2026%402026.0-draft', 'surprise=1', 'name=%00x']) {
      const res = await app.api.get(`/provinces/44/qd766/units?period=${closed}&${q}`);
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
    }
    for (const path of ['units?period=2026-13', 'board?period=2026-Q5', 'board?period=1999', 'findings?kind=bad', 'raw-answers?endpoint=nope', 'units/x?period=20261']) {
      const res = await app.api.get(`/provinces/44/qd766/${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    await app.api.get('/provinces/4x/qd766/board').expect(400);
  });

  it('one unit: every item with inputs and flags, the source answers with their raw payloads, the lineage', async () => {
    const units = (await app.api.get(`/provinces/44/qd766/units?period=${closed}&level=commune&sort=official&order=asc&pageSize=1`).expect(200)).body;
    const zero = units.units[0];
    const detail = (await app.api.get(`/provinces/44/qd766/units/${zero.departmentId}?period=${closed}`).expect(200)).body;
    // the commune without dossiers: 2.1 published 0, reproduced 0, "denominator 0" visible; 5.2 → 6
    const item = (code: string) => detail.items.find((i: { code: string }) => i.code === code);
    expect(item('2.1')).toMatchObject({ official: 0, recomputed: 0, zeroDenominator: true, inputs: { 'dvcqg.PROGRESS_ON_TIME': { numerator: 0, denominator: 0 } } });
    expect(item('5.2')).toMatchObject({ official: 6, recomputed: 6, zeroDenominator: true });
    expect(item('1.1')).toMatchObject({ status: 'no_data', official: null, points: null });
    expect(detail.answers.units.map((u: { endpoint: string }) => u.endpoint).sort()).toEqual(['dossier-digitized', 'dvc-progress-tree', 'formality-online-payment-tree', 'handling-satisfaction', 'provide-online-tree', 'transparency']);
    expect(detail.answers.metrics.every((m: { raw_digest: string }) => /^[0-9a-f]{64}$/.test(m.raw_digest))).toBe(true);
    expect(detail.lineage.subjectVersions[0]).toMatchObject({ department_id: zero.departmentId, level: 'COMMUNE', department_type: 'COMMUNE', version: 1 });
    expect(detail.lineage.subjectVersions[0].department_code).toMatch(/^H44\.\d+$/);
    expect(detail.lineage.answerVersions.filter((v: { status: string }) => v.status === 'final')).toHaveLength(6);
    const raw = (await app.api.get(`/provinces/44/qd766/raw-answers?period=${closed}&endpoint=transparency`).expect(200)).body;
    expect(raw.answers[0].requestBody).toMatchObject({ timeType: 'month', year: prev.year, month: prev.month });
    const bytes = await app.api.get(`/raw-payloads/${raw.answers[0].rawDigest}`).expect(200);
    expect(JSON.parse(bytes.text ?? bytes.body.toString()).code).toBe('OK');
    await app.api.get(`/provinces/44/qd766/units/nope?period=${closed}`).expect(404);
  });

  it('a flagged input makes the score provisional with its message; the running month is provisional', async () => {
    const { rows } = await app.pool.query(`SELECT DISTINCT period_key FROM dvcqg_flag WHERE province_code = '44' AND department_id <> '' LIMIT 1`);
    if (rows.length > 0) {
      const board = (await app.api.get(`/provinces/44/qd766/board?period=${rows[0].period_key}`).expect(200)).body;
      expect(board.items.find((i: { code: string }) => i.code === '1.4')).toMatchObject({ status: 'provisional', flags: [{ metric: 'DOSSIER_SYNC', status: expect.any(String), message: expect.any(String) }] });
    }
    const live = (await app.api.get(`/provinces/44/qd766/board?period=${running}`).expect(200)).body;
    expect(live.province.status).toBe('provisional');
    expect(live.items.filter((i: { status: string }) => i.status === 'scored')).toEqual([]);
  });

  it('the portal revises the closed month: a new version beside the old one, and a finding', async () => {
    sim.revise(closed);
    await backfill(closedStart.toISOString(), runningStart.toISOString());
    const findings = (await app.api.get(`/provinces/44/qd766/findings?period=${closed}&kind=closed_period_revised`).expect(200)).body;
    expect(findings.total).toBe(6);
    expect(findings.findings[0]).toMatchObject({ kind: 'closed_period_revised', inputs: { version: 2, rawDigests: [expect.stringMatching(/^[0-9a-f]{64}$/)] } });
    const { rows } = await app.pool.query(`SELECT version, status, revises_final FROM dvcqg_answer_version WHERE period_key = $1 AND endpoint = 'transparency' ORDER BY version`, [closed]);
    expect(rows).toEqual([
      { version: 1, status: 'final', revises_final: false },
      { version: 2, status: 'final', revises_final: true },
    ]);
    // the new figures are scored; still reproduced
    const board = (await app.api.get(`/provinces/44/qd766/board?period=${closed}`).expect(200)).body;
    expect(Math.abs(board.province.officialTotal - board.province.recomputedTotal)).toBeLessThanOrEqual(0.015);
  });
});
