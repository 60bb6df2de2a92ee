import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentManagementSimulator, createDocumentManagementSimulator } from './simulators/sectoral/document-management.simulator';
import { waitForRun, waitForSettled } from './support/pipeline';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { createTestDatabase } from './support/test-database';

const PAR_INDEX = 'par-index-2026@2026.0-draft';

/**
 * A quarterly sectoral source answers a yearly sub-criterion: the document-management quarters are rolled up
 * into the year (Σ electronic / Σ sent) and PAR INDEX 7.2.1 is scored from it instead of waiting for a document.
 */
describe('sector metrics rolled up into the year, and scored', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let docs: DocumentManagementSimulator;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    docs = await createDocumentManagementSimulator({ seed: 21, provinces: ['44'] });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
  });
  afterAll(async () => {
    await app?.close();
    await docs?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  type EvidenceRow = { periodKey: string; metric: string; subject: string; numerator: number; denominator: number | null };
  const yearEvidence = async (): Promise<EvidenceRow[]> =>
    (await app.api.get('/provinces/44/years/2025/evidence?periodKind=year').expect(200)).body.records as EvidenceRow[];

  it('three quarters give no year figure (missing, not a smaller total); the fourth completes it', async () => {
    const created = await app.api
      .post('/connectors')
      .send({ name: 'qlvb-44', kind: 'document-management', baseUrl: docs.url, provinceCode: '44', credentials: { apiKey: 'demo-qlvb-key' }, options: { backfillChunkDays: 366 } })
      .expect(201);
    const backfill = async (from: string, to: string) => {
      const res = await app.api.post(`/connectors/${created.body.id}/backfill`).send({ from, to }).expect(201);
      for (const run of res.body) expect((await waitForRun(app.api, run.id)).status).toBe('succeeded');
      await waitForSettled(app.pool);
    };
    await backfill('2025-01-01T00:00:00+07:00', '2025-10-01T00:00:00+07:00');
    expect((await yearEvidence()).filter((r) => r.metric.startsWith('sector.docs.') && r.periodKey === '2025')).toEqual([]);

    await backfill('2025-10-01T00:00:00+07:00', '2026-01-01T00:00:00+07:00');
    const year = docs.truth('000.00.00.H44', '2025-01-01', '2025-12-31');
    const share = (await yearEvidence()).find((r) => r.periodKey === '2025' && r.metric === 'sector.docs.outgoing_electronic_share' && r.subject === '');
    // the simulator's year is the sum of its days, so the roll-up of its quarters must equal it exactly
    expect(share).toMatchObject({ numerator: year.vanBanDi.dienTu, denominator: year.vanBanDi.tong });
  });

  it('PAR INDEX 7.2.1 (documents exchanged electronically) is scored from it, not left manual', async () => {
    let item: { status: string; points: number | null; maxPoints: number } | undefined;
    for (let i = 0; i < 60 && item?.status !== 'auto_filled'; i++) {
      const res = await app.api.get(`/provinces/44/years/2025/scorecard?catalogue=${encodeURIComponent(PAR_INDEX)}`).expect(200);
      item = (res.body.catalogues[0].items as Array<{ subCriterion: string; status: string; points: number | null; maxPoints: number }>).find((x) => x.subCriterion === '7.2.1');
      if (item?.status !== 'auto_filled') await new Promise((r) => setTimeout(r, 500));
    }
    expect(item?.status).toBe('auto_filled');
    expect(item!.points).toBeGreaterThan(0);
    expect(item!.points).toBeLessThanOrEqual(item!.maxPoints);
  });

  it('a records path that matches nothing is a run warning, not a silent success', async () => {
    const preset = JSON.parse(readFileSync(join(__dirname, '..', 'config', 'sources', 'document-management.json'), 'utf8'));
    const source = { ...preset, records: [{ path: '$.ketQua' }, { path: '$.data.donVi[*]', subject: '$.maDonVi' }] };
    const created = await app.api
      .post('/connectors')
      .send({ name: 'qlvb-misread', kind: 'declarative-rest', baseUrl: docs.url, provinceCode: '44', credentials: { apiKey: 'demo-qlvb-key' }, options: { source } })
      .expect(201);
    const res = await app.api.post(`/connectors/${created.body.id}/backfill`).send({ from: '2025-01-01T00:00:00+07:00', to: '2025-04-01T00:00:00+07:00' }).expect(201);
    const run = await waitForRun(app.api, res.body[0].id);
    expect(run.status).toBe('succeeded');
    expect(run.warnings).toBe(1);
    const steps = (await app.api.get(`/runs/${run.id}/steps`).expect(200)).body as Array<{ kind: string; message: string; detail: Record<string, unknown> }>;
    expect(steps.filter((s) => s.kind === 'warning').map((s) => [s.message, s.detail.period])).toEqual([
      ['2025-Q1 000.00.00.H44: the records path $.ketQua matched nothing in the answer to /qlvb/v1/thongke (no figures read from it)', '2025-Q1'],
    ]);
  });
});
