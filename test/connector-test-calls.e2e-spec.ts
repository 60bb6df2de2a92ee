import axios from 'axios';
import { reportMonths } from '../src/connectors/vnpost-bcci/report-months';
import { formatSourceTimestamp } from '../src/platform/time/vietnam-time';
import { DvcqgSimulator, createDvcqgSimulator } from './simulators/dvcqg/dvcqg.simulator';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { DEFAULT_DOCUMENT_API_KEY, DocumentManagementSimulator, createDocumentManagementSimulator } from './simulators/sectoral/document-management.simulator';
import { BcciSimulator, createBcciSimulator } from './simulators/vnpost-bcci/bcci.simulator';
import { createTestDatabase } from './support/test-database';
import { Api, TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';

/**
 * A test call for every connector kind before it is saved (no name needed): one page (or one listing) of the
 * source, summarised as counts and field names; values masked, nothing stored.
 */
const OWN = '79';

describe('test call of every connector kind, before saving', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let operator: Api;
  let oss: OneStopShopSimulator;
  let postal: BcciSimulator;
  let dvcqg: DvcqgSimulator;
  let docs: DocumentManagementSimulator;
  const prefix = testQueuePrefix();
  const month = reportMonths(new Date(), new Date(), 1)[0];

  beforeAll(async () => {
    db = await createTestDatabase();
    const year = new Date().getUTCFullYear();
    oss = await createOneStopShopSimulator({ seed: 11, provinces: [OWN], dossiersPerProvince: 400, year, malformedRate: 0 });
    postal = await createBcciSimulator({ seed: 11, provinces: [OWN], months: [month], waybillsPerProvinceMonth: 30 });
    // seed 1: the portal identifiers of config/dvcqg/provinces.yaml
    dvcqg = await createDvcqgSimulator({ seed: 1, provinces: [OWN] });
    docs = await createDocumentManagementSimulator({ seed: 11, provinces: [OWN] });
    const allow = [oss, postal, dvcqg, docs].map((s) => `127.0.0.1:${s.port}`).join(',');
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api', EGRESS_ALLOW: allow });
    operator = await app.as('operator');
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all([oss?.close(), postal?.close(), dvcqg?.close(), docs?.close()]);
    await clearQueues(prefix);
    await db?.drop();
  });

  async function tableCounts(): Promise<string> {
    const { rows } = await app.pool.query(
      `SELECT (SELECT count(*) FROM raw_payload) AS raw, (SELECT count(*) FROM dossier) AS dossiers, (SELECT count(*) FROM quarantine_record) AS q, (SELECT count(*) FROM connector) AS c`,
    );
    return JSON.stringify(rows[0]);
  }

  /** Personal values the one-stop shop serves for the test call's window (read straight from the source). */
  async function personalValues(): Promise<string[]> {
    const token = (await axios.post(`${oss.url}/oauth2/token`, 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret')).data.access_token;
    const now = new Date();
    const page = await axios.get(`${oss.url}/motcua/v1/hoso`, {
      headers: { Authorization: `Bearer ${token}` },
      params: { maTinh: OWN, capNhatTu: formatSourceTimestamp(new Date(now.getTime() - 400 * 86_400_000)), capNhatDen: formatSourceTimestamp(now), trang: 1, soBanGhi: 50 },
    });
    const list = page.data.data.danhSach as Array<Record<string, unknown>>;
    return list.flatMap((d) => ['ChuHoSo', 'SoGiayToChuHoSo', 'SoDienThoai', 'Email'].map((f) => d[f])).filter((v): v is string => typeof v === 'string' && v.length >= 5);
  }

  it('one-stop shop: a token, one page of dossiers, field names; no personal value', async () => {
    const before = await tableCounts();
    const res = await operator
      .post('/connectors/test')
      .send({ kind: 'one-stop-shop', baseUrl: oss.url, provinceCode: OWN, credentials: { clientId: 'demo-client', clientSecret: 'demo-secret' }, options: {} })
      .expect(200);
    expect(res.body).toMatchObject({ kind: 'one-stop-shop', records: expect.any(Number), fields: expect.arrayContaining(['MaHoSo', 'ChuHoSo', 'NgayCapNhat']) });
    expect(res.body.records).toBeGreaterThan(0);
    const personal = await personalValues();
    expect(personal.length).toBeGreaterThan(10);
    const text = JSON.stringify(res.body);
    expect(personal.filter((v) => text.includes(v))).toEqual([]);
    expect(text).not.toContain('demo-secret');
    expect(await tableCounts()).toBe(before);
  });

  it('postal reports: the listing of the last closed month, no file downloaded', async () => {
    const res = await operator.post('/connectors/test').send({ kind: 'vnpost-bcci', baseUrl: postal.url, provinceCode: OWN, credentials: { apiKey: 'demo-bcci-key' }, options: {} }).expect(200);
    expect(res.body).toMatchObject({ kind: 'vnpost-bcci', month, files: expect.any(Number), fields: expect.arrayContaining(['tenTep', 'sha256', 'phienBan']) });
    expect(res.body.files).toBeGreaterThan(0);
    expect(JSON.stringify(res.body)).not.toContain('demo-bcci-key');
    expect(postal.stats()).toMatchObject({ listingRequests: 1, fileRequests: 0 });
    const wrongKey = await operator.post('/connectors/test').send({ kind: 'vnpost-bcci', baseUrl: postal.url, provinceCode: OWN, credentials: { apiKey: 'wrong' }, options: {} }).expect(400);
    expect(wrongKey.body.message.join()).toMatch(/AUTH_FAILED/);
  });

  it('DVCQG evaluation and document management: one page each, summarised', async () => {
    const evaluation = await operator.post('/connectors/test').send({ kind: 'dvcqg-evaluation', baseUrl: dvcqg.url, provinceCode: OWN, credentials: {}, options: { ...dvcqg.mapping()[OWN] } }); // province 79's portal ids are placeholders in config: given here
    expect({ status: evaluation.status, body: evaluation.status === 200 ? 'ok' : evaluation.body }).toEqual({ status: 200, body: 'ok' });
    expect(evaluation.body).toMatchObject({ kind: 'dvcqg-evaluation', period: expect.stringMatching(/^\d{4}-\d{2}$/), units: expect.any(Number) });
    const documents = await operator
      .post('/connectors/test')
      .send({ kind: 'document-management', baseUrl: docs.url, provinceCode: OWN, credentials: { apiKey: DEFAULT_DOCUMENT_API_KEY }, options: {} })
      .expect(200);
    expect(documents.body).toMatchObject({ kind: 'document-management', records: expect.any(Number), fields: expect.any(Array) });
    expect(JSON.stringify(documents.body)).not.toContain(DEFAULT_DOCUMENT_API_KEY);
  });

  it('names what is missing instead of calling out (and needs no name)', async () => {
    const res = await operator.post('/connectors/test').send({ kind: 'one-stop-shop', baseUrl: oss.url, provinceCode: OWN, credentials: {}, options: {} }).expect(400);
    expect(res.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^credentials.clientId is required/)]));
  });
});
