import axios, { AxiosResponse } from 'axios';
import { documentError, documentSuccess } from '../contracts/document-management.contract';
import { violations } from '../contracts/one-stop-shop.contract';
import { createDocumentManagementSimulator, DocumentManagementSimulator } from './document-management.simulator';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const http = axios.create({ validateStatus: () => true });

/** Every answer of the document-management simulator checked against the contract's shapes and error envelope. */
describe('document-management simulator honours the contract', () => {
  let sim: DocumentManagementSimulator;
  const thongke = (params: Record<string, string>, key: string | null = 'contract-key'): Promise<AxiosResponse<Json>> =>
    http.get(`${sim.url}/qlvb/v1/thongke`, { params, headers: key === null ? {} : { apikey: key } });

  beforeAll(async () => {
    sim = await createDocumentManagementSimulator({ seed: 'contract', provinces: ['44', '79'], apiKey: 'contract-key' });
  });
  afterAll(() => sim.close());

  it('answers HTTP 200 {"status":"success","data":…} for the province and for one agency, echoing the query', async () => {
    for (const maDonVi of ['000.00.00.H44', '000.01.44.H44', '000.00.00.H79']) {
      const res = await thongke({ maDonVi, tuNgay: '2026-01-01', denNgay: '2026-03-31' });
      expect(res.status).toBe(200);
      expect(violations(documentSuccess, res.data)).toEqual([]);
      expect(res.data.data).toMatchObject({ maDonVi, tuNgay: '2026-01-01', denNgay: '2026-03-31' });
    }
    const province = await thongke({ maDonVi: '000.00.00.H44', tuNgay: '2026-01-01', denNgay: '2026-01-31' });
    expect(province.data.data.donVi.length).toBeGreaterThan(0);
    for (const u of province.data.data.donVi) expect(u.maDonVi).toMatch(/\.44\.H44$/);
  });

  it('a single day and a day with no documents are still the contract shape (zeros, not missing)', async () => {
    const res = await thongke({ maDonVi: '000.00.00.H44', tuNgay: '2026-02-01', denNgay: '2026-02-01' }); // a Sunday
    expect(violations(documentSuccess, res.data)).toEqual([]);
    expect(res.data.data.donVi.some((u: Json) => u.vanBanDi.tong === 0)).toBe(true);
  });

  it('errors are {"status":"error","code","message"} with a contract code, HTTP 200 or 4xx', async () => {
    const cases: Array<[Record<string, string>, string | null, string]> = [
      [{ maDonVi: '000.00.00.H44', tuNgay: '2026-01-01', denNgay: '2026-03-31' }, null, 'AUTHEN_ERROR'],
      [{ maDonVi: '000.00.00.H44', tuNgay: '2026-01-01', denNgay: '2026-03-31' }, 'wrong', 'AUTHEN_ERROR'],
      [{ maDonVi: '000.00.00.H99', tuNgay: '2026-01-01', denNgay: '2026-03-31' }, 'contract-key', 'AGENCY_ID_INCORRECT'],
      [{ maDonVi: '000.00.00.H44', tuNgay: '2026-02-30', denNgay: '2026-03-31' }, 'contract-key', 'DATA_INCORRECT'],
      [{ maDonVi: '000.00.00.H44', tuNgay: '2026-04-01', denNgay: '2026-03-31' }, 'contract-key', 'DATA_INCORRECT'],
      [{ maDonVi: '000.00.00.H44' }, 'contract-key', 'DATA_INCORRECT'],
    ];
    for (const [params, key, code] of cases) {
      const res = await thongke(params, key);
      expect(res.status === 200 || (res.status >= 400 && res.status < 500)).toBe(true);
      expect(violations(documentError, res.data)).toEqual([]);
      expect(res.data.code).toBe(code);
    }
  });

  it('transient trouble is 429 or 5xx, never a success envelope', async () => {
    sim.failNext('429');
    sim.failNext('503');
    const q = { maDonVi: '000.00.00.H44', tuNgay: '2026-01-01', denNgay: '2026-01-31' };
    const a = await thongke(q);
    const b = await thongke(q);
    expect(a.status).toBe(429);
    expect(b.status).toBeGreaterThanOrEqual(500);
    expect(violations(documentSuccess, (await thongke(q)).data)).toEqual([]);
  });
});
