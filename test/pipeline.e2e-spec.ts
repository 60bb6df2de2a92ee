import type request from 'supertest';
import { createHash } from 'node:crypto';
import { parseDossier } from '../src/connectors/one-stop-shop/dossier.parser';
import { asOfFor, countDossierMetrics } from '../src/evidence/counting-rules';
import { NormalisedDossier } from '../src/evidence/records/dossier.record';
import { parsePeriodKey } from '../src/platform/time/vietnam-time';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { registerConnector, runNow, waitForRun, waitForSettled } from './support/pipeline';

const PROVINCES = ['01', '79'];
const PER_PROVINCE = 2500;

describe('one-stop-shop → raw archive → dossiers → evidence → scores (end to end over HTTP)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: OneStopShopSimulator;
  const prefix = testQueuePrefix();
  const connectorIds: Record<string, string> = {};
  const firstRuns: Record<string, Awaited<ReturnType<typeof waitForRun>>> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createOneStopShopSimulator({ seed: 20250101, provinces: PROVINCES, dossiersPerProvince: PER_PROVINCE, year: 2025, malformedRate: 0.01 });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    for (const p of PROVINCES) {
      connectorIds[p] = await registerConnector(app.api, { name: `oss-${p}`, provinceCode: p, baseUrl: sim.url, options: { pageSize: 400 } });
    }
    const runs = await Promise.all(PROVINCES.map((p) => runNow(app.api, connectorIds[p])));
    for (const [i, p] of PROVINCES.entries()) firstRuns[p] = await waitForRun(app.api, runs[i].id);
    await waitForSettled(app.pool);
  });

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  it('runs succeed with exact counts: every record fetched once, normalised or quarantined', async () => {
    for (const p of PROVINCES) {
      const run = firstRuns[p];
      expect(run.status).toBe('succeeded');
      expect(run.counts.fetched).toBe(sim.dataset.timelineLength(p));
      expect(run.counts.normalised + run.counts.quarantined).toBe(run.counts.fetched);
      const { rows } = await app.pool.query('SELECT count(*)::int AS n FROM dossier WHERE province_code = $1', [p]);
      expect(rows[0].n).toBe(sim.dataset.count(p));
    }
  });

  it('keeps the newest version of re-sent dossiers', async () => {
    const truth = sim.dataset.listDossiers('79').map((raw) => parseDossier(raw, '79')).filter((r) => r.ok) as Array<{ ok: true; dossier: NormalisedDossier }>;
    const { rows } = await app.pool.query(`SELECT dossier_id, source_updated_at, status FROM dossier WHERE province_code = '79'`);
    const stored = new Map(rows.map((r) => [r.dossier_id, r]));
    expect(sim.dataset.resentCount('79')).toBeGreaterThan(0);
    for (const { dossier } of truth) {
      const row = stored.get(dossier.dossierId);
      expect(row?.source_updated_at.getTime()).toBe(dossier.sourceUpdatedAt.getTime());
      expect(row?.status).toBe(dossier.status);
    }
  });

  it('quarantines bad records with reason codes, raw digest and position; never loses them', async () => {
    const malformed = sim.dataset.listMalformed('01');
    expect(malformed.length).toBeGreaterThan(0);
    const res = await app.api.get(`/quarantine?connectorId=${connectorIds['01']}&limit=1000`).expect(200);
    const reasons = new Set(Object.keys(res.body.byReason));
    const expectedReasons = new Set(malformed.map((m) => ({ 'missing-id': 'MISSING_ID', 'impossible-date': 'INVALID_DATE', 'unknown-channel': 'UNKNOWN_CODE' })[m.kind]));
    for (const r of expectedReasons) expect(reasons).toContain(r);
    const item = res.body.items[0];
    expect(item.rawDigest).toMatch(/^[0-9a-f]{64}$/);
    // the quarantined record sits in its raw payload at the recorded position
    const raw = await app.api.get(`/raw-payloads/${item.rawDigest}`).buffer(true).parse(binary).expect(200);
    const page = JSON.parse((raw.body as Buffer).toString('utf8'));
    expect(page.data.danhSach[item.rawPosition]).toBeDefined();
    // every malformed dossier is in quarantine (at least one row per malformed dossier)
    const { rows } = await app.pool.query(`SELECT count(*)::int AS n FROM quarantine_record WHERE connector_id = $1 AND entity = 'dossier'`, [connectorIds['01']]);
    expect(rows[0].n).toBeGreaterThanOrEqual(malformed.length);
  });

  it('keeps personal data out of normalised tables', async () => {
    const raw = sim.dataset.listDossiers('01')[0];
    const personal = [raw.ChuHoSo, raw.SoGiayToChuHoSo, raw.SoDienThoai, raw.Email].filter((v): v is string => typeof v === 'string' && v.length > 3);
    expect(personal.length).toBeGreaterThan(0);
    const { rows } = await app.pool.query(`SELECT string_agg(row_to_json(d)::text, '') AS t FROM dossier d WHERE province_code = '01'`);
    for (const value of personal) expect(rows[0].t).not.toContain(value);
  });

  it('computes evidence equal to the counting rules applied to the source truth, for every period', async () => {
    const now = new Date();
    for (const p of PROVINCES) {
      const dossiers = sim.dataset
        .listDossiers(p)
        .map((raw) => parseDossier(raw, p))
        .flatMap((r) => (r.ok ? [r.dossier] : []));
      let compared = 0;
      for (const year of [2025, 2026]) {
        const res = await app.api.get(`/provinces/${p}/years/${year}/evidence`).expect(200);
        const records = res.body.records as Array<{ periodKey: string; metric: string; numerator: number | null; denominator: number | null }>;
        const periodKeys = [...new Set(records.map((r) => r.periodKey))];
        if (year === 2025) expect(periodKeys).toHaveLength(12 + 4 + 1);
        for (const key of periodKeys) {
          const period = parsePeriodKey(key)!;
          const expected = countDossierMetrics(dossiers, period, asOfFor(period, now));
          for (const [metric, count] of Object.entries(expected)) {
            const got = records.find((r) => r.periodKey === key && r.metric === metric);
            expect({ key, metric, numerator: got?.numerator, denominator: got?.denominator }).toEqual({ key, metric, ...count });
            compared++;
          }
        }
      }
      expect(compared).toBeGreaterThan(17 * 8);
      const yearRecords = (await app.api.get(`/provinces/${p}/years/2025/evidence?periodKind=year`).expect(200)).body.records;
      const procedure = yearRecords.find((r: { metric: string }) => r.metric === 'procedure.fully_online_share');
      expect(procedure?.denominator).toBe(sim.dataset.listProcedures(p).length);
    }
  });

  it('scores the province-year from the catalogue, and the lineage reaches raw payloads that re-hash to their digest', async () => {
    const card = await app.api.get('/provinces/79/years/2025/scorecard').expect(200);
    const items = card.body.catalogues[0].items as Array<{ scoreId: number; status: string; evidenceIds: number[] }>;
    const scored = items.filter((i) => i.status === 'auto_filled');
    expect(scored.length).toBeGreaterThan(0);
    expect(card.body.catalogues[0].totals.stillManual.length).toBeGreaterThan(0);

    const lineage = await app.api.get(`/scores/${scored[0].scoreId}/lineage`).expect(200);
    expect(lineage.body.score.ruleDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(lineage.body.evidence.length).toBeGreaterThan(0);
    expect(lineage.body.runs.map((r: { id: string }) => r.id)).toContain(firstRuns['79'].id);
    expect(lineage.body.rawPayloads.length).toBeGreaterThan(0);
    for (const payload of lineage.body.rawPayloads.slice(0, 5)) {
      const res = await app.api.get(payload.download).buffer(true).parse(binary).expect(200);
      expect(createHash('sha256').update(res.body as Buffer).digest('hex')).toBe(payload.digest);
    }
    const board = await app.api.get(`/scoreboard?year=2025&catalogue=${encodeURIComponent(card.body.catalogues[0].catalogue)}`).expect(200);
    expect(board.body.map((r: { provinceCode: string }) => r.provinceCode).sort()).toEqual(PROVINCES);
  });

  it('a replay of the same window changes nothing: no new dossiers, no new evidence or score versions', async () => {
    const before = await counts();
    const res = await app.api
      .post(`/connectors/${connectorIds['01']}/backfill`)
      .send({ from: '2025-01-01T00:00:00+07:00', to: '2026-01-01T00:00:00+07:00' })
      .expect(201);
    for (const run of res.body) expect((await waitForRun(app.api, run.id)).status).toBe('succeeded');
    await waitForSettled(app.pool);
    const after = await counts();
    // the replay's responses are archived too (other windows, other bytes); nothing else moves
    expect(after.runs).toBeGreaterThan(before.runs);
    expect(after.payloads).toBeGreaterThanOrEqual(before.payloads);
    expect(after).toEqual({ ...before, runs: after.runs, payloads: after.payloads });
    const { rows } = await app.pool.query(`SELECT sum(normalised)::int AS n, sum(unchanged)::int AS u FROM connector_run WHERE trigger = 'backfill'`);
    expect(rows[0].u).toBe(rows[0].n);
  });

  async function counts() {
    const { rows } = await app.pool.query(`SELECT
      (SELECT count(*) FROM dossier)::int AS dossiers, (SELECT count(*) FROM evidence_record)::int AS evidence,
      (SELECT count(*) FROM score)::int AS scores, (SELECT count(*) FROM quarantine_record)::int AS quarantined,
      (SELECT count(*) FROM raw_payload)::int AS payloads, (SELECT count(*) FROM connector_run)::int AS runs`);
    return rows[0];
  }
});

function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
