import axios, { AxiosResponse } from 'axios';
import { createDocumentManagementSimulator, DocumentManagementSimulator, DocumentStatsData, parseIsoDay } from './document-management.simulator';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const http = axios.create({ validateStatus: () => true });

describe('document-management (QLVB&ĐH) statistics simulator', () => {
  let sim: DocumentManagementSimulator;

  const thongke = (params: Record<string, string>, key: string | null = 'demo-qlvb-key'): Promise<AxiosResponse<Json>> =>
    http.get(`${sim.url}/qlvb/v1/thongke`, { params, headers: key === null ? {} : { apikey: key } });
  const q1 = { maDonVi: '000.00.00.H44', tuNgay: '2026-01-01', denNgay: '2026-03-31' };

  const expectInvariants = (d: { vanBanDi: Json; vanBanDen: Json }) => {
    for (const v of [d.vanBanDi.tong, d.vanBanDi.dienTu, d.vanBanDi.kySo, d.vanBanDi.lienThongTrucQuocGia, d.vanBanDen.tong, d.vanBanDen.dienTu]) {
      expect(Number.isInteger(v) && v >= 0).toBe(true);
    }
    expect(d.vanBanDi.dienTu).toBeLessThanOrEqual(d.vanBanDi.tong);
    expect(d.vanBanDi.kySo).toBeLessThanOrEqual(d.vanBanDi.dienTu);
    expect(d.vanBanDi.lienThongTrucQuocGia).toBeLessThanOrEqual(d.vanBanDi.dienTu);
    expect(d.vanBanDen.dienTu).toBeLessThanOrEqual(d.vanBanDen.tong);
  };

  beforeAll(async () => {
    sim = await createDocumentManagementSimulator({ seed: 11 });
  });
  afterAll(() => sim.close());

  it('answers the contract shape for a province, and truth() equals the served data', async () => {
    const res = await thongke(q1);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.data.status).toBe('success');
    const data = res.data.data as DocumentStatsData;
    expect(data).toMatchObject({ maDonVi: '000.00.00.H44', tuNgay: '2026-01-01', denNgay: '2026-03-31' });
    expect(Object.keys(data.vanBanDi).sort()).toEqual(['dienTu', 'kySo', 'lienThongTrucQuocGia', 'tong']);
    expect(Object.keys(data.vanBanDen).sort()).toEqual(['dienTu', 'tong']);
    expect(data.donVi.length).toBeGreaterThanOrEqual(5);
    expect(data.donVi.length).toBeLessThanOrEqual(12);
    expect(data.donVi[0]).toMatchObject({ maDonVi: '000.01.44.H44', tenDonVi: 'Sở Nội vụ' });
    expect(data.donVi[1]).toMatchObject({ maDonVi: '000.02.44.H44', tenDonVi: 'Sở Tài chính' });
    data.donVi.forEach((u, i) => {
      expect(u.maDonVi).toBe(`000.${String(i + 1).padStart(2, '0')}.44.H44`);
      expect(u.tenDonVi).toMatch(/^(Sở |Thanh tra|Văn phòng)/);
    });
    expect(new Set(data.donVi.map((u) => u.tenDonVi)).size).toBe(data.donVi.length);
    expect(data.vanBanDi.tong).toBeGreaterThan(0);
    expect(data).toEqual(sim.truth('000.00.00.H44', '2026-01-01', '2026-03-31'));
  });

  it('keeps the invariants and sums children into the province, for every province', async () => {
    for (const pp of ['01', '44', '79']) {
      const data = sim.truth(`000.00.00.H${pp}`, '2025-01-01', '2025-12-31');
      expectInvariants(data);
      for (const u of data.donVi) expectInvariants(u);
      const sum = (f: (u: Json) => number) => data.donVi.reduce((s, u) => s + f(u), 0);
      expect(data.vanBanDi.tong).toBe(sum((u) => u.vanBanDi.tong));
      expect(data.vanBanDi.dienTu).toBe(sum((u) => u.vanBanDi.dienTu));
      expect(data.vanBanDi.kySo).toBe(sum((u) => u.vanBanDi.kySo));
      expect(data.vanBanDi.lienThongTrucQuocGia).toBe(sum((u) => u.vanBanDi.lienThongTrucQuocGia));
      expect(data.vanBanDen.tong).toBe(sum((u) => u.vanBanDen.tong));
      expect(data.vanBanDen.dienTu).toBe(sum((u) => u.vanBanDen.dienTu));
    }
  });

  it('makes a quarter the sum of its months and a child query match its row in the province answer', async () => {
    const quarter = sim.truth('000.00.00.H79', '2026-01-01', '2026-03-31');
    const months = [
      ['2026-01-01', '2026-01-31'],
      ['2026-02-01', '2026-02-28'],
      ['2026-03-01', '2026-03-31'],
    ].map(([a, b]) => sim.truth('000.00.00.H79', a, b));
    const total = (pick: (d: DocumentStatsData) => number) => months.reduce((s, m) => s + pick(m), 0);
    expect(quarter.vanBanDi.tong).toBe(total((m) => m.vanBanDi.tong));
    expect(quarter.vanBanDi.kySo).toBe(total((m) => m.vanBanDi.kySo));
    expect(quarter.vanBanDi.lienThongTrucQuocGia).toBe(total((m) => m.vanBanDi.lienThongTrucQuocGia));
    expect(quarter.vanBanDen.dienTu).toBe(total((m) => m.vanBanDen.dienTu));
    quarter.donVi.forEach((u, i) => expect(u.vanBanDi.dienTu).toBe(months.reduce((s, m) => s + m.donVi[i].vanBanDi.dienTu, 0)));

    const child = quarter.donVi[2];
    const res = await thongke({ maDonVi: child.maDonVi, tuNgay: '2026-01-01', denNgay: '2026-03-31' });
    expect(res.data).toEqual({
      status: 'success',
      data: { maDonVi: child.maDonVi, tuNgay: '2026-01-01', denNgay: '2026-03-31', vanBanDi: child.vanBanDi, vanBanDen: child.vanBanDen, donVi: [] },
    });
  });

  it('has child units with no documents over short ranges', () => {
    let zeros = 0;
    for (const pp of ['01', '44', '79']) {
      for (let d = 5; d <= 11; d++) {
        const day = `2026-01-${String(d).padStart(2, '0')}`;
        const data = sim.truth(`000.00.00.H${pp}`, day, day);
        zeros += data.donVi.filter((u) => u.vanBanDi.tong === 0).length;
        for (const u of data.donVi) expectInvariants(u);
      }
    }
    expect(zeros).toBeGreaterThan(0);
  });

  it('is deterministic from the seed and differs across seeds', async () => {
    const again = await createDocumentManagementSimulator({ seed: 11, provinces: ['44'] });
    const other = await createDocumentManagementSimulator({ seed: 12, provinces: ['44'] });
    try {
      const a = (await thongke(q1)).data;
      const b = (await http.get(`${again.url}/qlvb/v1/thongke`, { params: q1, headers: { apikey: 'demo-qlvb-key' } })).data;
      expect(b).toEqual(a);
      expect(other.truth(q1.maDonVi, q1.tuNgay, q1.denNgay)).not.toEqual(a.data);
    } finally {
      await again.close();
      await other.close();
    }
  });

  it('refuses a wrong or missing apikey with AUTHEN_ERROR in an HTTP 200', async () => {
    for (const key of ['wrong', null]) {
      const res = await thongke(q1, key);
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ status: 'error', code: 'AUTHEN_ERROR', message: expect.any(String) });
    }
  });

  it('answers AGENCY_ID_INCORRECT (HTTP 200) for unknown or missing units', async () => {
    for (const maDonVi of ['000.00.00.H99', '000.99.44.H44', '000.00.00.H45', '']) {
      const res = await thongke({ ...q1, maDonVi });
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ status: 'error', code: 'AGENCY_ID_INCORRECT', message: expect.any(String) });
    }
    const res = await thongke({ tuNgay: q1.tuNgay, denNgay: q1.denNgay });
    expect(res.data.code).toBe('AGENCY_ID_INCORRECT');
  });

  it('answers HTTP 400 DATA_INCORRECT for bad dates and reversed ranges', async () => {
    const cases = [
      { tuNgay: '2026-02-30', denNgay: '2026-03-31' },
      { tuNgay: '01/01/2026', denNgay: '2026-03-31' },
      { tuNgay: '2026-01-01', denNgay: '20260331' },
      { tuNgay: '2026-04-01', denNgay: '2026-03-31' },
      { tuNgay: '', denNgay: '2026-03-31' },
      { tuNgay: '2000-01-01', denNgay: '2026-03-31' },
    ];
    for (const dates of cases) {
      const res = await thongke({ maDonVi: q1.maDonVi, ...dates });
      expect(res.status).toBe(400);
      expect(res.data).toEqual({ status: 'error', code: 'DATA_INCORRECT', message: expect.any(String) });
    }
    expect(() => sim.truth(q1.maDonVi, '2026-04-01', '2026-03-31')).toThrow(/DATA_INCORRECT/);
    expect(() => sim.truth('nope', '2026-01-01', '2026-03-31')).toThrow(/AGENCY_ID_INCORRECT/);
    expect(parseIsoDay('2024-02-29')).not.toBeNull();
    expect(parseIsoDay('2025-02-29')).toBeNull();
  });

  it('answers unknown paths with 404 and other methods with 405', async () => {
    expect((await http.get(`${sim.url}/qlvb/v2/thongke`, { headers: { apikey: 'demo-qlvb-key' } })).status).toBe(404);
    expect((await http.post(`${sim.url}/qlvb/v1/thongke`, '', { headers: { apikey: 'demo-qlvb-key' } })).status).toBe(405);
  });

  it('injects queued faults in order, once each, and counts them', async () => {
    const before = sim.stats();
    sim.failNext('429');
    sim.failNext('503');
    sim.failNext('auth');
    const r429 = await thongke(q1);
    expect(r429.status).toBe(429);
    expect(r429.headers['retry-after']).toBe('1');
    const r503 = await thongke(q1);
    expect(r503.status).toBe(503);
    const auth = await thongke(q1);
    expect(auth.status).toBe(200);
    expect(auth.data.code).toBe('AUTHEN_ERROR');
    const ok = await thongke(q1);
    expect(ok.data.status).toBe('success');
    const after = sim.stats();
    expect(after.faultsApplied).toEqual({ '429': before.faultsApplied['429'] + 1, '503': before.faultsApplied['503'] + 1, auth: before.faultsApplied.auth + 1 });
    expect(after.pendingFaults).toBe(0);
    expect(after.served).toBe(before.served + 1);
    expect(after.requests).toBe(before.requests + 4);
    expect(() => sim.failNext('boom' as never)).toThrow();
  });

  it('lists its units', () => {
    const units = sim.units();
    expect(units.filter((u) => u.index === null).map((u) => u.maDonVi)).toEqual(['000.00.00.H01', '000.00.00.H44', '000.00.00.H79']);
    expect(units.find((u) => u.maDonVi === '000.01.01.H01')).toMatchObject({ tenDonVi: 'Sở Nội vụ', province: '01', index: 1 });
  });
});
