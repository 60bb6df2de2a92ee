import axios, { AxiosResponse } from 'axios';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import * as iconv from 'iconv-lite';
import { createDataset } from '../one-stop-shop/dossier-generator';
import { BcciFile, BcciSimulator, createBcciSimulator } from './bcci.simulator';
import { COLUMNS, formatThousands, parseDossierDate, ReportVariant, TOTALS_TEXT } from './report-generator';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const http = axios.create({ validateStatus: () => true });
const KEY = 'demo-bcci-key';
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The cells of a report file as text rows (what a parser would see). */
async function readCells(bytes: Buffer, variant: ReportVariant): Promise<string[][]> {
  if (variant.format === 'xlsx') {
    const wb = new Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const out: string[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= COLUMNS.length; c++) {
        const v = row.getCell(c).value;
        cells.push(v === null || v === undefined ? '' : String(v));
      }
      out.push(cells);
    }
    return out;
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  expect(bom).toBe(variant.encoding === 'utf-8-bom');
  const text = bom ? bytes.subarray(3).toString('utf8') : iconv.decode(bytes, 'win1258').normalize('NFC');
  return parse(text, { relax_column_count: true }) as string[][];
}

describe('VNPost BCCI simulator', () => {
  let sim: BcciSimulator;

  const listing = (maTinh: string, thang: string, key: string | null = KEY): Promise<AxiosResponse<Json>> =>
    http.get(`${sim.url}/bcci/v1/baocao`, { params: { maTinh, thang }, headers: key === null ? {} : { 'X-API-Key': key } });
  const download = (url: string, key: string | null = KEY): Promise<AxiosResponse<Buffer>> =>
    http.get(url, { responseType: 'arraybuffer', headers: key === null ? {} : { 'X-API-Key': key } });

  beforeAll(async () => {
    sim = await createBcciSimulator({ seed: 11, provinces: ['44', '01'], waybillsPerProvinceMonth: 60, badRowRate: 0.05 });
  });
  afterAll(() => sim.close());

  it('answers the listing in the contract shape, with absolute URLs', async () => {
    const res = await listing('44', '2025-03');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.keys(res.data)).toEqual(['maTinh', 'thang', 'tep']);
    expect(res.data).toMatchObject({ maTinh: '44', thang: '2025-03' });
    expect(res.data.tep).toHaveLength(1);
    const f = res.data.tep[0];
    expect(Object.keys(f).sort()).toEqual(['kichThuoc', 'ngayTao', 'phienBan', 'sha256', 'tenTep', 'url']);
    expect(f.tenTep).toMatch(/^BCCI_44_202503\.(xlsx|csv)$/);
    expect(f.url.startsWith(`${sim.url}/bcci/v1/tep/`)).toBe(true);
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(f.phienBan).toBe(1);
    expect(f.ngayTao).toBe('2025-04-03T08:00:00+07:00');
    expect(Number.isInteger(f.kichThuoc) && f.kichThuoc > 0).toBe(true);
  });

  it('checks the API key on the listing and on downloads', async () => {
    const missing = await listing('44', '2025-03', null);
    expect(missing.status).toBe(401);
    expect(missing.data).toMatchObject({ error: 'unauthorized' });
    expect((await listing('44', '2025-03', 'wrong')).status).toBe(401);
    const ok = await listing('44', '2025-03');
    expect((await download(ok.data.tep[0].url, null)).status).toBe(401);
    expect((await download(ok.data.tep[0].url, 'wrong')).status).toBe(401);
    expect(sim.stats().unauthorized).toBeGreaterThanOrEqual(4);
  });

  it('answers 404 for an unknown province or file, 400 for an invalid month, no files for a month without report', async () => {
    const unknown = await listing('99', '2025-03');
    expect(unknown.status).toBe(404);
    expect(unknown.data).toMatchObject({ error: 'not_found' });
    for (const bad of ['2025-13', '202503', '', '2025-3']) expect((await listing('44', bad)).status).toBe(400);
    const none = await listing('44', '2024-12');
    expect(none.status).toBe(200);
    expect(none.data).toEqual({ maTinh: '44', thang: '2024-12', tep: [] });
    expect((await download(`${sim.url}/bcci/v1/tep/4420250399`)).status).toBe(404);
    expect((await download(`${sim.url}/bcci/v1/tep/abc`)).status).toBe(404);
  });

  it('serves bytes that re-hash to the advertised sha256 and size, with the right content type', async () => {
    for (const month of ['2025-01', '2025-02', '2025-03']) {
      const res = await listing('01', month);
      const f = res.data.tep[0];
      const file = await download(f.url);
      expect(file.status).toBe(200);
      const bytes = Buffer.from(file.data);
      expect(bytes.length).toBe(f.kichThuoc);
      expect(sha256(bytes)).toBe(f.sha256);
      if (f.tenTep.endsWith('.xlsx')) expect(file.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      else expect(file.headers['content-type']).toMatch(/^text\/csv/);
    }
  });

  it('is deterministic from the seed', async () => {
    const twin = await createBcciSimulator({ seed: 11, provinces: ['44', '01'], waybillsPerProvinceMonth: 60, badRowRate: 0.05 });
    const other = await createBcciSimulator({ seed: 12, provinces: ['44'], waybillsPerProvinceMonth: 60, badRowRate: 0.05 });
    try {
      for (const month of ['2025-04', '2025-05', '2025-06']) {
        const [a] = await sim.files('44', month);
        const [b] = await twin.files('44', month);
        const [c] = await other.files('44', month);
        expect(b.sha256).toBe(a.sha256);
        expect(b.bytes.equals(a.bytes)).toBe(true);
        expect(c.sha256).not.toBe(a.sha256);
      }
      expect(twin.truth('01', '2025-07')).toEqual(sim.truth('01', '2025-07'));
    } finally {
      await twin.close();
      await other.close();
    }
  });

  it('publishes corrections as newer versions and keeps the earlier ones', async () => {
    const before = sim.truth('44', '2025-08');
    const v1 = (await listing('44', '2025-08')).data.tep[0];
    expect(sim.addCorrection('44', '2025-08')).toBe(2);
    const res = await listing('44', '2025-08');
    expect(res.data.tep.map((f: Json) => f.phienBan)).toEqual([1, 2]);
    expect(res.data.tep[0]).toEqual(v1);
    const v2 = res.data.tep[1];
    expect(v2.tenTep).toMatch(/^BCCI_44_202508_v2\.(xlsx|csv)$/);
    expect(v2.ngayTao).toBe('2025-09-10T08:00:00+07:00');
    expect(v2.sha256).not.toBe(v1.sha256);
    const bytes = Buffer.from((await download(v2.url)).data);
    expect(sha256(bytes)).toBe(v2.sha256);
    const after = sim.truth('44', '2025-08');
    expect(after.version).toBe(2);
    expect(after.rows).not.toEqual(before.rows);
    expect(sim.addCorrection('44', '2025-08')).toBe(3);
    expect((await listing('44', '2025-08')).data.tep.map((f: Json) => f.phienBan)).toEqual([1, 2, 3]);
    expect(() => sim.addCorrection('44', '2030-01')).toThrow();
  });

  it('advertises a wrong digest once after corruptDigest', async () => {
    const good = (await listing('01', '2025-09')).data.tep[0];
    sim.corruptDigest('01', '2025-09');
    const bad = (await listing('01', '2025-09')).data.tep[0];
    expect(bad.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(bad.sha256).not.toBe(good.sha256);
    expect(sha256(Buffer.from((await download(bad.url)).data))).toBe(good.sha256);
    expect((await listing('01', '2025-09')).data.tep[0].sha256).toBe(good.sha256);
    expect(sim.stats().corruptedListings).toBe(1);
  });

  it('varies format, encoding, titles, totals and headers across months; the files hold the truth', async () => {
    const seen = { format: new Set<string>(), style: new Set<string>(), titles: new Set<boolean>(), totals: new Set<boolean>(), waybillHeader: new Set<string>() };
    let badRows = 0;
    for (const province of ['44', '01']) {
      for (const month of MONTHS) {
        const files: BcciFile[] = await sim.files(province, month);
        const file = files[files.length - 1];
        const v = file.variant;
        seen.format.add(v.format);
        seen.style.add(v.headerStyle);
        seen.titles.add(v.titleRows.length > 0);
        seen.totals.add(v.totalsRow);
        seen.waybillHeader.add(v.headers.waybillId);
        expect(file.tenTep.endsWith(v.format === 'xlsx' ? '.xlsx' : '.csv')).toBe(true);

        const truth = sim.truth(province, month);
        const cells = await readCells(file.bytes, v);
        if (v.titleRows.length > 0) expect(cells[0][0]).toBe('BÁO CÁO DỊCH VỤ BƯU CHÍNH CÔNG ÍCH');
        expect(cells[v.headerRow - 1]).toEqual(COLUMNS.map((c) => v.headers[c]));
        let data = cells.slice(v.headerRow);
        if (v.totalsRow) {
          const last = data[data.length - 1];
          expect(last[0]).toBe(TOTALS_TEXT);
          const total = last[COLUMNS.length - 1];
          expect(total === String(truth.totalPostage) || total === formatThousands(truth.totalPostage)).toBe(true);
          data = data.slice(0, -1);
        }
        expect(data).toHaveLength(truth.rows.length + truth.badRows.length);
        const badNumbers = new Set(truth.badRows.map((b) => b.rowNumber));
        const good = data.filter((_, i) => !badNumbers.has(v.headerRow + 1 + i));
        expect(good.map((r) => r[1])).toEqual(truth.rows.map((w) => w.waybillId));
        for (const [i, r] of good.entries()) {
          const w = truth.rows[i];
          expect(r[1]).toMatch(/^E[A-Z]\d{9}VN$/);
          expect(r[2]).toBe(w.dossierId ?? '');
          expect(['Chiều đi', 'Chiều về']).toContain(r[5]);
          expect(r[6]).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
          expect(r[8]).toBe(w.statusText);
          if (v.format !== 'xlsx' || v.postageAsText) expect(r[9]).toBe(formatThousands(w.postage!));
          else expect(Number(r[9])).toBe(w.postage);
        }
        for (const b of truth.badRows) {
          const r = data[b.rowNumber - v.headerRow - 1];
          if (b.reason === 'MISSING_ID') expect(r[1]).toBe('');
          if (b.reason === 'UNKNOWN_CODE') expect(r[5]).toBe('Chiều ngang');
          if (b.reason === 'INVALID_DATE') expect(r[6]).toBe('31/02/2025 10:00');
        }
        badRows += truth.badRows.length;
      }
    }
    expect([...seen.format].sort()).toEqual(['csv-utf8-bom', 'csv-win1258', 'xlsx']);
    expect(seen.style.size).toBe(5);
    expect(seen.titles.size).toBe(2);
    expect(seen.totals.size).toBe(2);
    expect([...seen.waybillHeader].some((h) => h === 'Mã VĐ' || h === 'Số vận đơn')).toBe(true);
    expect(badRows).toBeGreaterThan(0);
  });

  it('writes Windows-1258 CSVs with combining tone marks that decode back to the Vietnamese text', async () => {
    const month = MONTHS.find((m) => sim.truth('44', m).variant.format === 'csv-win1258')!;
    const [file] = await sim.files('44', month);
    expect(file.bytes[0]).not.toBe(0xef);
    const text = iconv.decode(file.bytes, 'win1258');
    expect(text).not.toContain('?');
    expect(text.normalize('NFC')).toContain('Chiều ');
    // "ề" is written as "ê" + a combining grave accent (U+0300)
    expect(text).toContain('Chi\u00ea\u0300u');
  });
});

describe('VNPost BCCI simulator with a one-stop-shop source', () => {
  let sim: BcciSimulator;
  const dataset = createDataset({ seed: 5, provinces: ['44'], dossiersPerProvince: 3000, year: 2025 });

  beforeAll(async () => {
    sim = await createBcciSimulator({ seed: 5, provinces: ['44'], oneStopShop: dataset, badRowRate: 0.02 });
  });
  afterAll(() => sim.close());

  /**
   * The postal dossiers of a month, straight from the raw records: submitted by post and received in the month;
   * result returned by post in the month.
   */
  const postalOf = (month: string): { submission: Set<string>; result: Set<string> } => {
    const out = { submission: new Set<string>(), result: new Set<string>() };
    const monthOf = (sec: number | null): string | null => {
      if (sec === null) return null;
      const vn = new Date((sec + 7 * 3600) * 1000);
      return `${vn.getUTCFullYear()}-${String(vn.getUTCMonth() + 1).padStart(2, '0')}`;
    };
    for (const d of dataset.listDossiers('44')) {
      if (parseDossierDate(d.NgayTiepNhan) === null) continue;
      if (Number(d.KenhThucHien) === 3 && monthOf(parseDossierDate(d.NgayTiepNhan)) === month) out.submission.add(String(d.MaHoSo));
      if (Number(d.HinhThuc) === 1 && monthOf(parseDossierDate(d.NgayTra)) === month) out.result.add(String(d.MaHoSo));
    }
    return out;
  };

  it('references real postal dossiers of the month, with a few blank ids and a few dossiers left without a waybill', () => {
    let totalRows = 0;
    let matchedRows = 0;
    let blank = 0;
    let without = 0;
    for (const month of MONTHS) {
      const truth = sim.truth('44', month);
      const postal = postalOf(month);
      expect(truth.postalRequirements).toBe(postal.submission.size + postal.result.size);
      const matched = new Set<string>();
      const covered = new Set<string>();
      let unmatched = 0;
      for (const w of truth.rows) {
        const set = w.direction === 'submission' ? postal.submission : postal.result;
        if (w.dossierId !== null && set.has(w.dossierId)) {
          matched.add(w.dossierId);
          covered.add(`${w.direction}|${w.dossierId}`);
          matchedRows++;
        } else unmatched++;
        if (w.dossierId === null) blank++;
      }
      expect(truth.matchedDossierIds).toEqual([...matched].sort());
      expect(truth.unmatchedWaybills).toHaveLength(unmatched);
      const expectedWithout = [
        ...[...postal.submission].filter((id) => !covered.has(`submission|${id}`)).map((id) => `submission|${id}`),
        ...[...postal.result].filter((id) => !covered.has(`result|${id}`)).map((id) => `result|${id}`),
      ].sort();
      expect(truth.postalDossiersWithoutWaybill.map((x) => `${x.direction}|${x.dossierId}`).sort()).toEqual(expectedWithout);
      expect(truth.rows.length - unmatched + truth.postalDossiersWithoutWaybill.length).toBe(truth.postalRequirements);
      totalRows += truth.rows.length;
      without += truth.postalDossiersWithoutWaybill.length;
    }
    expect(totalRows).toBeGreaterThan(100);
    expect(matchedRows / totalRows).toBeGreaterThan(0.8);
    expect(blank).toBeGreaterThan(0);
    expect(without).toBeGreaterThan(0);
  });

  it('keeps the truth consistent through corrections', async () => {
    const v1 = sim.truth('44', '2025-05');
    sim.addCorrection('44', '2025-05');
    const v2 = sim.truth('44', '2025-05');
    expect(v2.version).toBe(2);
    expect(v2.postalRequirements).toBe(v1.postalRequirements);
    const matchedRows = v2.rows.length - v2.unmatchedWaybills.length;
    expect(matchedRows + v2.postalDossiersWithoutWaybill.length).toBe(v2.postalRequirements);
    const ids = v2.rows.map((w) => `${w.direction}|${w.waybillId}`);
    expect(new Set(ids).size).toBe(ids.length);
    const files = await sim.files('44', '2025-05');
    expect(files.map((f) => f.phienBan)).toEqual([1, 2]);
  });
});
