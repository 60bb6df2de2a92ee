import axios, { AxiosResponse } from 'axios';
import { createLandRegistrySimulator, LandOfficeItem, LandRegistrySimulator, parsePeriod } from './land-registry.simulator';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const http = axios.create({ validateStatus: () => true });
const num = (v: number | string): number => (typeof v === 'string' ? Number(v) : v);

describe('land-registry statistics simulator', () => {
  let sim: LandRegistrySimulator;
  let token: string;

  const getToken = (s: LandRegistrySimulator = sim, id = 'demo-land', secret = 'demo-land-secret', grant = 'client_credentials'): Promise<AxiosResponse<Json>> =>
    http.post(`${s.url}/oauth/token`, `grant_type=${grant}&client_id=${encodeURIComponent(id)}&client_secret=${encodeURIComponent(secret)}`, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  const get = (pathAndQuery: string, bearer: string | null = token, s: LandRegistrySimulator = sim): Promise<AxiosResponse<Json>> =>
    http.get(`${s.url}${pathAndQuery}`, { headers: bearer ? { Authorization: `Bearer ${bearer}` } : {} });
  const allPages = async (province: string, period: string, s: LandRegistrySimulator = sim, bearer = token) => {
    const pages: Json[] = [];
    let next: string | null = `/api/v2/provinces/${province}/stats?period=${period}`;
    while (next !== null) {
      const res = await get(next, bearer, s);
      expect(res.status).toBe(200);
      pages.push(res.data);
      next = res.data.meta.next;
      expect(pages.length).toBeLessThan(10);
    }
    return pages;
  };

  beforeAll(async () => {
    sim = await createLandRegistrySimulator({ seed: 5 });
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    token = (await getToken()).data.access_token;
  });

  it('issues bearer tokens by client credentials (form or HTTP Basic) and refuses others', async () => {
    const ok = await getToken();
    expect(ok.status).toBe(200);
    expect(ok.data).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    expect((await getToken(sim, 'demo-land', 'wrong')).status).toBe(401);
    expect((await getToken(sim, 'demo-land', 'wrong')).data).toEqual({ error: 'invalid_client' });
    expect((await getToken(sim, 'demo-land', 'demo-land-secret', 'password')).status).toBe(400);
    const basic = await http.post(`${sim.url}/oauth/token`, 'grant_type=client_credentials', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from('demo-land:demo-land-secret').toString('base64')}` },
    });
    expect(basic.status).toBe(200);
    expect((await http.get(`${sim.url}/oauth/token`)).status).toBe(405);
  });

  it('serves pages of 3 offices with a cursor through every page, matching truth()', async () => {
    const pages = await allPages('44', '2026-03');
    const items = pages.flatMap((p) => p.items as LandOfficeItem[]);
    expect(items.length).toBeGreaterThanOrEqual(7);
    expect(items.length).toBeLessThanOrEqual(10);
    expect(pages.length).toBe(Math.ceil(items.length / 3));
    pages.forEach((p, i) => {
      expect(Object.keys(p).sort()).toEqual(['items', 'meta']);
      expect(p.items.length).toBe(i < pages.length - 1 ? 3 : items.length - 3 * (pages.length - 1));
      if (i < pages.length - 1) expect(p.meta.next).toMatch(/^\/api\/v2\/provinces\/44\/stats\?period=2026-03&cursor=[A-Za-z0-9_-]+$/);
      else expect(p.meta.next).toBeNull();
    });
    expect(items.map((it) => it.office.code)).toEqual(items.map((_, i) => `VPDK-${String(i + 1).padStart(2, '0')}`));
    expect(items).toEqual(sim.truth('44', '2026-03'));
  });

  it('has the item shape, numbers sometimes as strings, and consistent figures', () => {
    let strings = 0;
    let numbers = 0;
    for (const pp of ['01', '44', '79']) {
      for (const period of ['2025-11', '2025-12', '2026-01', '2026-02', '2026-03']) {
        for (const it of sim.truth(pp, period)) {
          expect(Object.keys(it).sort()).toEqual(['applications', 'office', 'onlineApplications']);
          expect(it.office).toEqual({ code: expect.stringMatching(/^VPDK-\d{2}$/), name: expect.stringMatching(/Văn phòng Đăng ký đất đai/) });
          const values = [it.applications.received, it.applications.processed, it.applications.processedOnTime, it.onlineApplications];
          for (const v of values) {
            if (typeof v === 'string') {
              strings++;
              expect(v).toMatch(/^\d+$/);
            } else {
              numbers++;
              expect(Number.isInteger(v) && v >= 0).toBe(true);
            }
          }
          expect(num(it.applications.processed)).toBeLessThanOrEqual(num(it.applications.received));
          expect(num(it.applications.processedOnTime)).toBeLessThanOrEqual(num(it.applications.processed));
          expect(num(it.onlineApplications)).toBeLessThanOrEqual(num(it.applications.received));
        }
      }
    }
    expect(strings).toBeGreaterThan(0);
    expect(numbers).toBeGreaterThan(strings);
  });

  it('is deterministic from the seed and differs across periods and seeds', async () => {
    const again = await createLandRegistrySimulator({ seed: 5, provinces: ['44'] });
    const other = await createLandRegistrySimulator({ seed: 6, provinces: ['44'] });
    try {
      const t = (await getToken(again)).data.access_token;
      const served = (await allPages('44', '2026-03', again, t)).flatMap((p) => p.items);
      expect(served).toEqual(sim.truth('44', '2026-03'));
      expect(sim.truth('44', '2026-02')).not.toEqual(sim.truth('44', '2026-03'));
      expect(other.truth('44', '2026-03')).not.toEqual(sim.truth('44', '2026-03'));
    } finally {
      await again.close();
      await other.close();
    }
  });

  it('answers 401 for missing, invalid, revoked or expired tokens', async () => {
    const path = '/api/v2/provinces/44/stats?period=2026-03';
    for (const bearer of [null, 'not-a-token']) {
      const res = await get(path, bearer);
      expect(res.status).toBe(401);
      expect(res.data.error).toBe('invalid_token');
      expect(res.headers['www-authenticate']).toContain('Bearer');
    }
    sim.revokeTokens();
    expect((await get(path)).status).toBe(401);

    const short = await createLandRegistrySimulator({ tokenTtlSeconds: 0.2, provinces: ['44'] });
    try {
      const t = (await getToken(short)).data.access_token;
      expect((await get(path, t, short)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect((await get(path, t, short)).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('validates province, period and cursor', async () => {
    expect((await get('/api/v2/provinces/99/stats?period=2026-03')).status).toBe(404);
    expect((await get('/api/v2/provinces/99/stats?period=2026-03')).data.error).toBe('province_not_found');
    for (const period of ['2026-13', '202603', '', '2026-3']) {
      const res = await get(`/api/v2/provinces/44/stats?period=${period}`);
      expect(res.status).toBe(400);
      expect(res.data.error).toBe('invalid_period');
    }
    expect((await get('/api/v2/provinces/44/stats')).status).toBe(400);
    const first = await get('/api/v2/provinces/44/stats?period=2026-03');
    const next = first.data.meta.next as string;
    const cursor = next.slice(next.indexOf('cursor=') + 'cursor='.length);
    // a cursor is bound to its province and period
    expect((await get(`/api/v2/provinces/44/stats?period=2026-04&cursor=${cursor}`)).data.error).toBe('invalid_cursor');
    expect((await get(`/api/v2/provinces/79/stats?period=2026-03&cursor=${cursor}`)).status).toBe(400);
    expect((await get('/api/v2/provinces/44/stats?period=2026-03&cursor=garbage')).status).toBe(400);
    expect((await get('/api/v2/nothing')).status).toBe(404);
    expect(() => sim.truth('99', '2026-03')).toThrow();
    expect(() => sim.truth('44', '2026-3')).toThrow();
    expect(parsePeriod('2026-03')).toBe(2026 * 12 + 2);
  });

  it('injects queued faults once each', async () => {
    const path = '/api/v2/provinces/01/stats?period=2026-01';
    sim.failNext('429');
    sim.failNext('503');
    sim.failNext('auth');
    const r429 = await get(path);
    expect(r429.status).toBe(429);
    expect(r429.headers['retry-after']).toBe('1');
    expect((await get(path)).status).toBe(503);
    expect((await get(path)).status).toBe(401);
    expect((await get(path)).status).toBe(200);
    const stats = sim.stats();
    expect(stats.faultsApplied).toEqual({ '429': 1, '503': 1, auth: 1 });
    expect(stats.pendingFaults).toBe(0);
    expect(stats.pagesServed).toBeGreaterThan(0);
    expect(stats.activeTokens).toBeGreaterThan(0);
  });
});
