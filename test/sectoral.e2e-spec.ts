import { DocumentManagementSimulator, createDocumentManagementSimulator } from './simulators/sectoral/document-management.simulator';
import { LandRegistrySimulator, createLandRegistrySimulator } from './simulators/sectoral/land-registry.simulator';
import { createTestDatabase } from './support/test-database';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { waitForRun, waitForSettled } from './support/pipeline';

/** A land-registry statistics API, described by configuration only (OAuth2, cursor paging, records in items[]). */
const LAND_SOURCE = {
  request: { path: '/api/v2/provinces/{unit}/stats', query: { period: '{period}' } },
  period: 'month',
  units: ['{province}'],
  auth: { type: 'oauth2ClientCredentials', tokenPath: '/oauth/token' },
  paging: { type: 'cursor', nextPath: '$.meta.next' },
  records: '$.items[*]',
  subject: '$.office.code',
  metrics: [
    { metric: 'sector.land.on_time_share', numerator: '$.applications.processedOnTime', denominator: '$.applications.processed' },
    { metric: 'sector.land.online_share', numerator: '$.onlineApplications', denominator: '$.applications.received' },
    { metric: 'sector.land.received', numerator: '$.applications.received' },
  ],
};

const num = (v: unknown) => Number(v);

describe('sectoral systems: document-management connector and a declarative REST connector', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let docs: DocumentManagementSimulator;
  let land: LandRegistrySimulator;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    docs = await createDocumentManagementSimulator({ seed: 8, provinces: ['44'] });
    land = await createLandRegistrySimulator({ seed: 9, provinces: ['44'] });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
  });
  afterAll(async () => {
    await app?.close();
    await docs?.close();
    await land?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  async function backfill(id: string, from: string, to: string) {
    const res = await app.api.post(`/connectors/${id}/backfill`).send({ from, to }).expect(201);
    for (const run of res.body) expect((await waitForRun(app.api, run.id)).status).toBe('succeeded');
    await waitForSettled(app.pool);
  }

  it('document management (the contract as a preset): shares per quarter for the province and each unit', async () => {
    const created = await app.api
      .post('/connectors')
      .send({ name: 'qlvb-44', kind: 'document-management', baseUrl: docs.url, provinceCode: '44', credentials: { apiKey: 'demo-qlvb-key' }, options: { backfillChunkDays: 366 } })
      .expect(201);
    await backfill(created.body.id, '2025-01-01T00:00:00+07:00', '2025-07-01T00:00:00+07:00');
    const res = await app.api.get('/provinces/44/years/2025/evidence?subjects=true&periodKind=quarter').expect(200);
    const records = res.body.records as Array<{ periodKey: string; metric: string; subject: string; numerator: number; denominator: number | null; value: number | null }>;
    const truth = docs.truth('000.00.00.H44', '2025-01-01', '2025-03-31');
    const share = records.find((r) => r.periodKey === '2025-Q1' && r.metric === 'sector.docs.outgoing_electronic_share' && r.subject === '');
    expect(share).toMatchObject({ numerator: truth.vanBanDi.dienTu, denominator: truth.vanBanDi.tong });
    expect(share!.value).toBeCloseTo(truth.vanBanDi.dienTu / truth.vanBanDi.tong, 10);
    const unit = truth.donVi[0];
    const unitShare = records.find((r) => r.periodKey === '2025-Q1' && r.metric === 'sector.docs.incoming_electronic_share' && r.subject === unit.maDonVi);
    expect(unitShare).toMatchObject({ numerator: unit.vanBanDen.dienTu, denominator: unit.vanBanDen.tong === 0 ? null : unit.vanBanDen.tong });
    expect(records.filter((r) => r.periodKey === '2025-Q2' && r.subject === '')).toHaveLength(4);
  });

  it('a declarative source configured only by data: OAuth2, cursor paging, string numbers, per-office figures', async () => {
    const created = await app.api
      .post('/connectors')
      .send({ name: 'land-44', kind: 'declarative-rest', baseUrl: land.url, provinceCode: '44', credentials: { clientId: 'demo-land', clientSecret: 'demo-land-secret' }, options: { source: LAND_SOURCE } })
      .expect(201);
    await backfill(created.body.id, '2025-01-01T00:00:00+07:00', '2025-03-01T00:00:00+07:00');
    const res = await app.api.get('/provinces/44/years/2025/evidence?subjects=true&periodKind=month').expect(200);
    const records = res.body.records as Array<{ periodKey: string; metric: string; subject: string; numerator: number; denominator: number | null; value: number | null }>;
    for (const period of ['2025-01', '2025-02']) {
      const items = land.truth('44', period);
      expect(items.length).toBeGreaterThan(3); // more than one page
      for (const item of items) {
        const onTime = records.find((r) => r.periodKey === period && r.metric === 'sector.land.on_time_share' && r.subject === item.office.code);
        const processed = num(item.applications.processed);
        expect(onTime).toMatchObject({ numerator: num(item.applications.processedOnTime), denominator: processed === 0 ? null : processed });
        const received = records.find((r) => r.periodKey === period && r.metric === 'sector.land.received' && r.subject === item.office.code);
        expect(received).toMatchObject({ numerator: num(item.applications.received), denominator: null, value: num(item.applications.received) });
      }
    }
  });

  it('validates the configuration when it is saved, naming each bad field', async () => {
    const bad = {
      ...LAND_SOURCE,
      request: { path: 'no-slash', query: { period: '{when}' } },
      paging: { type: 'cursor', nextPath: '$..next' },
      metrics: [{ metric: 'Land Share', numerator: '$.a' }],
      surprise: 1,
    };
    const res = await app.api
      .post('/connectors')
      .send({ name: 'land-bad', kind: 'declarative-rest', baseUrl: land.url, provinceCode: '44', credentials: {}, options: { source: bad } })
      .expect(400);
    const text = (res.body.message as string[]).join('\n');
    expect(text).toMatch(/options\.source\.request\.path/);
    expect(text).toMatch(/options\.source\.surprise/);
    expect(text).toMatch(/options\.source\.metrics\[0\]\.metric/);
  });

  it('a test call fetches one page and shows the figures it would produce, storing nothing', async () => {
    const before = await app.pool.query('SELECT count(*)::int AS n FROM sector_statistic');
    const res = await app.api
      .post('/connectors/test')
      .send({ name: 'land-try', kind: 'declarative-rest', baseUrl: land.url, provinceCode: '44', credentials: { clientId: 'demo-land', clientSecret: 'demo-land-secret' }, options: { source: LAND_SOURCE } })
      .expect(200);
    expect(res.body.records).toBe(3);
    expect(res.body.morePages).toBe(true);
    expect(res.body.figures.length).toBe(9);
    const after = await app.pool.query('SELECT count(*)::int AS n FROM sector_statistic');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    const failing = await app.api
      .post('/connectors/test')
      .send({ name: 'land-try2', kind: 'declarative-rest', baseUrl: land.url, provinceCode: '44', credentials: { clientId: 'demo-land', clientSecret: 'wrong' }, options: { source: LAND_SOURCE } })
      .expect(400);
    expect((failing.body.message as string[]).join()).toMatch(/AUTH_FAILED/);
  });

  it('an error inside HTTP 200 (AUTHEN_ERROR) fails the run at once with its reason', async () => {
    const created = await app.api
      .post('/connectors')
      .send({ name: 'qlvb-44-bad', kind: 'document-management', baseUrl: docs.url, provinceCode: '44', credentials: { apiKey: 'wrong-key' }, options: {}, allowDuplicate: true })
      .expect(201);
    const res = await app.api.post(`/connectors/${created.body.id}/backfill`).send({ from: '2025-01-01T00:00:00+07:00', to: '2025-04-01T00:00:00+07:00' }).expect(201);
    const run = await waitForRun(app.api, res.body[0].id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('AUTH_FAILED');
    expect(run.attempts).toBe(1);
  });
});
