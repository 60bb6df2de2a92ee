import axios, { AxiosResponse } from 'axios';
import { contractStamp } from '../contracts/one-stop-shop.contract';
import { createOneStopShopSimulator, OneStopShopSimulator } from './one-stop-shop.simulator';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const http = axios.create({ validateStatus: () => true });

describe('one-stop-shop simulator (HTTP)', () => {
  let sim: OneStopShopSimulator;
  let token: string;

  const getToken = async (id = 'demo-client', secret = 'demo-secret'): Promise<AxiosResponse<Json>> =>
    http.post(`${sim.url}/oauth2/token`, `grant_type=client_credentials&client_id=${encodeURIComponent(id)}&client_secret=${encodeURIComponent(secret)}`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  const get = (path: string, params: Record<string, string | number>, bearer: string | null = token): Promise<AxiosResponse<Json>> =>
    http.get(`${sim.url}${path}`, { params, headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
  const hoso = (params: Record<string, string | number> = {}, bearer?: string | null) =>
    get('/motcua/v1/hoso', { maTinh: '44', capNhatTu: '20250101000000', capNhatDen: '20260101000000', trang: 1, soBanGhi: 50, ...params }, bearer);

  beforeAll(async () => {
    sim = await createOneStopShopSimulator({ seed: 7, provinces: ['44', '01'], dossiersPerProvince: 1500, malformedRate: 0.01 });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    sim.faults.reset();
    token = (await getToken()).data.access_token;
  });

  it('issues bearer tokens for the right client credentials and refuses others', async () => {
    const ok = await getToken();
    expect(ok.status).toBe(200);
    expect(ok.data).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    const bad = await getToken('demo-client', 'wrong');
    expect(bad.status).toBe(401);
    expect(bad.data).toEqual({ error: 'invalid_client' });
    const grant = await http.post(`${sim.url}/oauth2/token`, 'grant_type=password', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(grant.status).toBe(400);
  });

  it('serves dossier pages in the contract envelope, in (NgayCapNhat, MaHoSo) order', async () => {
    const res = await hoso({ soBanGhi: 1000 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.data).toMatchObject({ error_code: '00', message: 'Thành công', data: { trang: 1, soBanGhi: 1000 } });
    expect(res.data.data.tongSoBanGhi).toBe(sim.dataset.timelineLength('44'));
    const list = res.data.data.danhSach as Json[];
    expect(list).toHaveLength(1000);
    const keys = list.map((r) => contractStamp(r.NgayCapNhat) ?? '');
    for (let i = 1; i < keys.length; i++) expect(keys[i - 1] <= keys[i]).toBe(true);
    const page2 = await hoso({ soBanGhi: 1000, trang: 2 });
    expect(page2.data.data.danhSach).toHaveLength(sim.dataset.timelineLength('44') - 1000);
    const beyond = await hoso({ soBanGhi: 1000, trang: 9 });
    expect(beyond.data.data.danhSach).toEqual([]);
  });

  it('serves the procedures catalogue', async () => {
    const res = await get('/motcua/v1/thutuc', { maTinh: '44', trang: 1, soBanGhi: 500 });
    expect(res.data.error_code).toBe('00');
    expect(res.data.data.tongSoBanGhi).toBe(300);
    expect(res.data.data.danhSach).toHaveLength(300);
    expect(res.data.data.danhSach[0]).toEqual(expect.objectContaining({ MaTTHC: expect.any(String), CapThucHien: expect.any(Array) }));
  });

  it('answers bad requests with the contract envelope errors', async () => {
    expect((await hoso({ maTinh: '45' })).data).toMatchObject({ error_code: '106', data: null });
    expect((await hoso({ soBanGhi: 1001 })).data.error_code).toBe('500');
    expect((await hoso({ capNhatTu: '20251345250000' })).data.error_code).toBe('500');
    expect((await hoso({ trang: 0 })).data.error_code).toBe('500');
    expect((await get('/motcua/v1/nothing', {})).status).toBe(404);
  });

  it('requires a valid bearer token: none, unknown, revoked and expired all get 401 invalid_token', async () => {
    expect((await hoso({}, null)).status).toBe(401);
    expect((await hoso({}, 'nope')).data).toEqual({ error: 'invalid_token' });
    sim.faults.push({ kind: 'token-expiry' });
    const revoked = await hoso();
    expect(revoked.status).toBe(401);
    expect(revoked.data).toEqual({ error: 'invalid_token' });
    expect((await hoso()).status).toBe(401); // still revoked
    token = (await getToken()).data.access_token;
    expect((await hoso()).status).toBe(200);

    const shortLived = await createOneStopShopSimulator({ provinces: ['44'], dossiersPerProvince: 10, tokenTtlSeconds: 0.05 });
    try {
      const t = await http.post(`${shortLived.url}/oauth2/token`, 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret');
      await new Promise((r) => setTimeout(r, 120));
      const res = await http.get(`${shortLived.url}/motcua/v1/thutuc?maTinh=44&trang=1&soBanGhi=10`, { headers: { Authorization: `Bearer ${t.data.access_token}` } });
      expect(res.status).toBe(401);
    } finally {
      await shortLived.close();
    }
  });

  it('injects 429 with Retry-After, HTTP 503, HTTP 400 and envelope errors', async () => {
    sim.faults.push({ kind: '429', retryAfterSeconds: 7 }, { kind: '503-http' }, { kind: '400' }, { kind: '503-envelope' }, { kind: '500-envelope-data-incorrect' });
    const r429 = await hoso();
    expect(r429.status).toBe(429);
    expect(r429.headers['retry-after']).toBe('7');
    expect((await hoso()).status).toBe(503);
    expect((await hoso()).status).toBe(400);
    const busy = await hoso();
    expect(busy.status).toBe(200);
    expect(busy.data).toMatchObject({ error_code: '503', data: null });
    const incorrect = await hoso();
    expect(incorrect.status).toBe(200);
    expect(incorrect.data).toMatchObject({ error_code: '500', data: null });
    expect(incorrect.data.message).toMatch(/DATA_INCORRECT/);
    expect((await hoso()).data.error_code).toBe('00');
    expect(sim.stats().byKind).toMatchObject({ '429': 1, '503-http': 1, '400': 1, '503-envelope': 1, '500-envelope-data-incorrect': 1 });
  });

  it('answers slowly when told to', async () => {
    sim.faults.push({ kind: 'slow', ms: 150 });
    const started = Date.now();
    const res = await hoso();
    expect(res.data.error_code).toBe('00');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('page-shift inserts real new dossiers at the window start: pages shift and the truth grows', async () => {
    const window = { capNhatTu: '20250301000000', capNhatDen: '20250401000000', soBanGhi: 20 };
    const before = await hoso({ ...window, trang: 2 });
    const truthBefore = sim.dataset.count('44');
    sim.faults.push({ kind: 'page-shift', count: 5, path: '/hoso' });
    const first = await hoso({ ...window, trang: 1 });
    expect(first.data.data.tongSoBanGhi).toBe(before.data.data.tongSoBanGhi + 5);
    expect(sim.dataset.count('44')).toBe(truthBefore + 5);
    const inserted = (first.data.data.danhSach as Json[]).filter((r) => String(r.MaHoSo).startsWith('H44.99-'));
    expect(inserted).toHaveLength(5);
    for (const r of inserted) expect(r.NgayCapNhat).toBe('20250301000000');
    // offset paging now sees the old page 2 shifted by five
    const after = await hoso({ ...window, trang: 2 });
    expect(after.data.data.danhSach.slice(5)).toEqual(before.data.data.danhSach.slice(0, 15));
    const truthIds = new Set(sim.dataset.listDossiers('44').map((r) => r.MaHoSo));
    for (const r of inserted) expect(truthIds.has(r.MaHoSo)).toBe(true);
    expect(sim.stats().insertedDossiers).toBe(5);
  });

  it('is driven from outside through the control endpoints', async () => {
    const set = await http.post(`${sim.url}/__sim/faults`, { reset: true, faults: [{ kind: '503-envelope', times: 2 }], rates: { rate429: 0 } });
    expect(set.status).toBe(200);
    expect(set.data.pending).toEqual([{ kind: '503-envelope', times: 2 }]);
    expect((await hoso()).data.error_code).toBe('503');
    const list = await http.post(`${sim.url}/__sim/faults`, [{ kind: '429' }]);
    expect(list.data.pending).toHaveLength(2);
    expect((await http.post(`${sim.url}/__sim/faults`, [{ kind: 'nope' }])).status).toBe(400);
    const stats = await http.get(`${sim.url}/__sim/stats`);
    expect(stats.data).toEqual(expect.objectContaining({ requests: expect.any(Number), faultsApplied: expect.any(Number), tokensIssued: expect.any(Number) }));
    const truth = await http.get(`${sim.url}/__sim/truth/01`);
    expect(truth.data).toEqual(
      expect.objectContaining({ province: '01', dossiers: sim.dataset.count('01'), timelineLength: sim.dataset.timelineLength('01'), malformed: sim.dataset.malformedCount('01') }),
    );
    expect((await http.get(`${sim.url}/__sim/truth/45`)).status).toBe(404);
  });

  it('serves the same bytes for the same seed', async () => {
    const other = await createOneStopShopSimulator({ seed: 7, provinces: ['44', '01'], dossiersPerProvince: 1500, malformedRate: 0.01 });
    try {
      const t = await http.post(`${other.url}/oauth2/token`, 'grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret');
      const params = { maTinh: '01', capNhatTu: '20250101000000', capNhatDen: '20260101000000', trang: 2, soBanGhi: 300 };
      const a = await http.get(`${sim.url}/motcua/v1/hoso`, { params, headers: { Authorization: `Bearer ${token}` }, responseType: 'arraybuffer' });
      const b = await http.get(`${other.url}/motcua/v1/hoso`, { params, headers: { Authorization: `Bearer ${t.data.access_token}` }, responseType: 'arraybuffer' });
      expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('applies random fault rates', async () => {
    sim.faults.setRates({ rate503: 1 });
    const res = await hoso();
    expect([503, 200]).toContain(res.status);
    if (res.status === 200) expect(res.data.error_code).toBe('503');
    sim.faults.reset();
    expect((await hoso()).data.error_code).toBe('00');
  });
});
