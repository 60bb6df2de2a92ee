import axios, { AxiosResponse } from 'axios';
import {
  contractDossier,
  contractEnvelope,
  contractPage,
  contractProcedure,
  contractStamp,
  contractToken,
  OSS_MAX_PAGE_SIZE,
  violations,
} from '../contracts/one-stop-shop.contract';
import { createOneStopShopSimulator, OneStopShopSimulator } from './one-stop-shop.simulator';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const http = axios.create({ validateStatus: () => true });

/** Every answer of the one-stop-shop simulator checked against the contract's rules (shapes, paging, errors). */
describe('one-stop-shop simulator honours the contract', () => {
  let sim: OneStopShopSimulator;
  let token: string;

  const form = (fields: Record<string, string>) =>
    http.post(`${sim.url}/oauth2/token`, new URLSearchParams(fields).toString(), { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  const get = (path: string, params: Record<string, string | number>, bearer: string | null = token): Promise<AxiosResponse<Json>> =>
    http.get(`${sim.url}${path}`, { params, headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
  const hoso = (params: Record<string, string | number>, bearer?: string | null) => get('/motcua/v1/hoso', { maTinh: '44', ...params }, bearer);

  beforeAll(async () => {
    sim = await createOneStopShopSimulator({ seed: 'contract', provinces: ['44'], dossiersPerProvince: 2500, proceduresPerProvince: 130 });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    sim.faults.reset();
    token = (await form({ grant_type: 'client_credentials', client_id: 'demo-client', client_secret: 'demo-secret' })).data.access_token;
  });

  it('token: client credentials, form-encoded, give {access_token, token_type Bearer, expires_in}', async () => {
    const res = await form({ grant_type: 'client_credentials', client_id: 'demo-client', client_secret: 'demo-secret' });
    expect(res.status).toBe(200);
    expect(violations(contractToken, res.data)).toEqual([]);
  });

  it('a call without a token, or with a revoked one, gets 401 {"error":"invalid_token"}', async () => {
    const none = await get('/motcua/v1/thutuc', { maTinh: '44', trang: 1, soBanGhi: 10 }, null);
    expect([none.status, none.data]).toEqual([401, { error: 'invalid_token' }]);
    sim.revokeTokens();
    const revoked = await get('/motcua/v1/thutuc', { maTinh: '44', trang: 1, soBanGhi: 10 });
    expect([revoked.status, revoked.data]).toEqual([401, { error: 'invalid_token' }]);
  });

  it('procedures: pages numbered from 1 in the success envelope, each item in the contract shape', async () => {
    const seen: Json[] = [];
    for (let trang = 1; trang <= 3; trang++) {
      const res = await get('/motcua/v1/thutuc', { maTinh: '44', trang, soBanGhi: 50 });
      expect(res.status).toBe(200);
      expect(violations(contractEnvelope, res.data)).toEqual([]);
      expect(res.data.error_code).toBe('00');
      expect(violations(contractPage, res.data.data)).toEqual([]);
      expect(res.data.data).toMatchObject({ tongSoBanGhi: 130, trang, soBanGhi: 50 });
      for (const p of res.data.data.danhSach) expect(violations(contractProcedure, p)).toEqual([]);
      seen.push(...res.data.data.danhSach);
    }
    expect(seen).toHaveLength(130);
    expect(new Set(seen.map((p) => p.MaTTHC)).size).toBe(130);
  });

  it('dossiers: the window is [capNhatTu, capNhatDen), ordered by NgayCapNhat then MaHoSo, pages add up to tongSoBanGhi', async () => {
    const from = '20250301000000';
    const to = '20250601000000';
    const first = await hoso({ capNhatTu: from, capNhatDen: to, trang: 1, soBanGhi: 200 });
    expect(violations(contractEnvelope, first.data)).toEqual([]);
    expect(violations(contractPage, first.data.data)).toEqual([]);
    const total = first.data.data.tongSoBanGhi as number;
    expect(total).toBeGreaterThan(400); // several pages
    const all: Json[] = [...first.data.data.danhSach];
    for (let trang = 2; all.length < total; trang++) {
      const res = await hoso({ capNhatTu: from, capNhatDen: to, trang, soBanGhi: 200 });
      expect(res.data.data).toMatchObject({ tongSoBanGhi: total, trang, soBanGhi: 200 });
      expect(res.data.data.danhSach.length).toBeGreaterThan(0);
      all.push(...res.data.data.danhSach);
    }
    expect(all).toHaveLength(total);
    const keys = all.map((d) => `${contractStamp(d.NgayCapNhat)} ${d.MaHoSo}`);
    for (const k of keys) expect(k >= from && k < to).toBe(true);
    expect([...keys].sort()).toEqual(keys);
    for (const d of all) expect({ id: d.MaHoSo, problems: violations(contractDossier, d) }).toEqual({ id: d.MaHoSo, problems: [] });
    // a dossier changed in the window after the last one belongs to the next window, not this one
    const next = await hoso({ capNhatTu: to, capNhatDen: '20250602000000', trang: 1, soBanGhi: 10 });
    for (const d of next.data.data.danhSach) expect(contractStamp(d.NgayCapNhat)! >= to).toBe(true);
  });

  it('shows the quirks the contract lists: numbers as strings, "" and null for missing, dd/MM/yyyy dates, a dossier sent twice', async () => {
    const res = await hoso({ capNhatTu: '20250101000000', capNhatDen: '20260101000000', trang: 1, soBanGhi: 1000 });
    const text = JSON.stringify(res.data.data.danhSach);
    expect(text).toMatch(/"KenhThucHien":"\d"/);
    expect(text).toMatch(/"NgayKetThucXuLy":""/);
    expect(text).toMatch(/"NgayKetThucXuLy":null/);
    expect(text).toMatch(/"NgayCapNhat":"\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}"/);
    const ids = (res.data.data.danhSach as Json[]).map((d) => d.MaHoSo);
    const all = [...ids];
    for (let trang = 2; trang <= 3; trang++) {
      const more = await hoso({ capNhatTu: '20250101000000', capNhatDen: '20260101000000', trang, soBanGhi: 1000 });
      all.push(...(more.data.data.danhSach as Json[]).map((d) => d.MaHoSo));
    }
    expect(new Set(all).size).toBeLessThan(all.length); // the same MaHoSo again with a later NgayCapNhat
  });

  it('errors: a wrong request is HTTP 200 with a contract error_code, never "00"', async () => {
    const cases: Array<[Record<string, string | number>, string]> = [
      [{ maTinh: '99', capNhatTu: '20250101000000', trang: 1, soBanGhi: 10 }, '106'],
      [{ capNhatTu: '20250101000000', trang: 1, soBanGhi: OSS_MAX_PAGE_SIZE + 1 }, '500'],
      [{ capNhatTu: '20250101000000', trang: 0, soBanGhi: 10 }, '500'],
      [{ capNhatTu: '2025-01-01', trang: 1, soBanGhi: 10 }, '500'],
    ];
    for (const [params, code] of cases) {
      const res = await hoso(params);
      expect(res.status).toBe(200);
      expect(violations(contractEnvelope, res.data)).toEqual([]);
      expect(res.data.error_code).toBe(code);
    }
  });

  it('transient errors: 429 with Retry-After seconds, 503, and the SYSTEM_BUSY envelope', async () => {
    sim.faults.push({ kind: '429', retryAfterSeconds: 2 }, { kind: '503-http' }, { kind: '503-envelope' }, { kind: '400' });
    const params = { capNhatTu: '20250101000000', trang: 1, soBanGhi: 10 };
    const r429 = await hoso(params);
    expect(r429.status).toBe(429);
    expect(r429.headers['retry-after']).toMatch(/^\d+$/);
    expect((await hoso(params)).status).toBe(503);
    const busy = await hoso(params);
    expect(busy.status).toBe(200);
    expect(violations(contractEnvelope, busy.data)).toEqual([]);
    expect(busy.data.error_code).toBe('503');
    expect((await hoso(params)).status).toBe(400);
  });
});
