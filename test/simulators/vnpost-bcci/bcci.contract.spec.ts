import axios from 'axios';
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { Workbook } from 'exceljs';
import * as iconv from 'iconv-lite';
import { BcciSimulator, createBcciSimulator } from './bcci.simulator';

/**
 * The simulator's answers checked against the BCCI contract (shared/contracts/vnpost-bcci-reports.md), with
 * readers of its own (exceljs, csv-parse, iconv) and the contract's words — nothing of the service's connector
 * nor of the simulator's generator — so that a misreading of the contract on the simulator's side shows here.
 */

const http = axios.create({ validateStatus: () => true });
const KEY = 'demo-bcci-key';
const MONTHS = Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);

/** The contract's columns with their usual header spelling. */
const CONTRACT_COLUMNS = ['STT', 'Mã vận đơn', 'Mã hồ sơ', 'Mã TTHC', 'Mã cơ quan', 'Chiều', 'Ngày chấp nhận', 'Ngày phát', 'Trạng thái', 'Cước (VNĐ)'];
const DIRECTIONS = ['Chiều đi', 'Chiều về'];
const STATUSES = ['Phát thành công', 'Chuyển hoàn', 'Đang vận chuyển', 'Hủy'];
const DATE_TEXT = /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/;
const AMOUNT_TEXT = /^\d{1,3}(?:\.\d{3})*$/;

/** Case, diacritics, spacing and punctuation folded (the contract: headers vary in these). */
const fold = (s: string): string =>
  s.normalize('NFD').replace(/\p{M}+/gu, '').replace(/đ/gi, 'd').toLowerCase().replace(/\(.*?\)/g, '').replace(/[^a-z0-9]+/g, '');

type Cell = string | number | Date | null;

/** The sheets of a file as rows of cells: XLSX by its ZIP signature, else CSV in one of the contract's encodings. */
async function readFile(bytes: Buffer): Promise<{ kind: 'xlsx' | 'csv'; encoding?: string; delimiter?: string; sheets: Cell[][][] }> {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    const wb = new Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheets = wb.worksheets.map((ws) => {
      const rows: Cell[][] = [];
      ws.eachRow((row) => {
        const cells: Cell[] = [];
        row.eachCell({ includeEmpty: true }, (c) => {
          const v = c.value as unknown;
          cells.push(v === null || v === undefined ? null : v instanceof Date || typeof v === 'number' ? v : typeof v === 'object' && v && 'result' in v ? ((v as { result: Cell }).result ?? null) : String(v));
        });
        rows.push(cells);
      });
      return rows;
    });
    return { kind: 'xlsx', sheets };
  }
  let encoding: string;
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) [encoding, text] = ['utf-8-bom', bytes.subarray(3).toString('utf8')];
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [encoding, text] = ['utf-16le', iconv.decode(bytes.subarray(2), 'utf16le')];
  else [encoding, text] = ['windows-1258', iconv.decode(bytes, 'win1258').normalize('NFC')];
  const headerLine = text.split(/\r?\n/).find((l) => /(^|[,;\t"])\s*chi(ề|e)u/i.test(l.normalize('NFC'))) ?? '';
  const delimiter = [',', ';', '\t'].sort((a, b) => headerLine.split(b).length - headerLine.split(a).length)[0];
  return { kind: 'csv', encoding, delimiter, sheets: [parse(text, { delimiter, relax_column_count: true, relax_quotes: true }) as Cell[][]] };
}

describe('VNPost BCCI simulator against the contract', () => {
  let sim: BcciSimulator;
  beforeAll(async () => {
    sim = await createBcciSimulator({ seed: 3, provinces: ['44'], months: MONTHS, waybillsPerProvinceMonth: 40, badRowRate: 0.05 });
  });
  afterAll(() => sim.close());

  const listing = (thang: string, key: string | null = KEY) =>
    http.get(`${sim.url}/bcci/v1/baocao`, { params: { maTinh: '44', thang }, headers: key === null ? {} : { 'X-API-Key': key } });

  it('answers the listing with exactly the contract fields, behind X-API-Key', async () => {
    expect((await listing('2025-03', null)).status).toBe(401);
    expect((await listing('2025-03', 'wrong')).status).toBe(401);
    const res = await listing('2025-03');
    expect(res.status).toBe(200);
    expect(Object.keys(res.data).sort()).toEqual(['maTinh', 'tep', 'thang']);
    expect(res.data).toMatchObject({ maTinh: '44', thang: '2025-03' });
    for (const f of res.data.tep) {
      expect(Object.keys(f).sort()).toEqual(['kichThuoc', 'ngayTao', 'phienBan', 'sha256', 'tenTep', 'url']);
      expect(f.tenTep).toMatch(/\.(xlsx|csv|xls)$/);
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(Number.isInteger(f.kichThuoc) && f.kichThuoc > 0).toBe(true);
      expect(Number.isInteger(f.phienBan) && f.phienBan >= 1).toBe(true);
      expect(f.ngayTao).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
      expect(new URL(f.url).origin).toBe(new URL(sim.url).origin);
    }
  });

  it('serves files whose bytes match the listed sha256 and size, only with the key; a correction is a new version beside the old', async () => {
    const month = '2025-05';
    expect(sim.addCorrection('44', month)).toBe(2);
    const { data } = await listing(month);
    expect(data.tep.map((f: { phienBan: number }) => f.phienBan)).toEqual([1, 2]);
    for (const f of data.tep) {
      expect((await http.get(f.url)).status).toBe(401);
      const got = await http.get(f.url, { responseType: 'arraybuffer', headers: { 'X-API-Key': KEY } });
      expect(got.status).toBe(200);
      const bytes = Buffer.from(got.data);
      expect(bytes.length).toBe(f.kichThuoc);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    }
  });

  it('writes every month as the contract describes: format, encoding, separator, header, rows, totals', async () => {
    const seen = new Set<string>();
    for (const month of MONTHS) {
      const { data } = await listing(month);
      const entry = data.tep[data.tep.length - 1];
      const bytes = Buffer.from((await http.get(entry.url, { responseType: 'arraybuffer', headers: { 'X-API-Key': KEY } })).data);
      const file = await readFile(bytes);
      seen.add(file.kind === 'xlsx' ? 'xlsx' : `csv/${file.encoding}/${file.delimiter}`);
      expect(entry.tenTep.endsWith(file.kind === 'xlsx' ? '.xlsx' : '.csv')).toBe(true);
      const rows = file.sheets[0];
      // the header: within the first rows (title rows may sit above), naming the contract's columns
      const h = rows.slice(0, 20).findIndex((r) => r.some((c) => typeof c === 'string' && fold(c).startsWith('chieu')));
      expect(h).toBeGreaterThanOrEqual(0);
      const header = rows[h].map((c) => (typeof c === 'string' ? c : ''));
      const col = (usual: string, ...alternatives: string[]) => header.findIndex((c) => [usual, ...alternatives].map(fold).includes(fold(c)));
      const chieu = header.findIndex((c) => fold(c).startsWith('chieu'));
      const accepted = col('Ngày chấp nhận', 'Thời gian chấp nhận', 'Ngày giờ chấp nhận');
      const status = col('Trạng thái', 'Tình trạng');
      expect(chieu).toBeGreaterThanOrEqual(0);
      expect(header.filter((c) => c !== '').length).toBeGreaterThanOrEqual(8);
      const truth = sim.truth('44', month);
      const badDirections = new Set(truth.badRows.filter((b) => b.reason === 'UNKNOWN_CODE').map((b) => b.rowNumber));
      let dataRows = 0;
      rows.slice(h + 1).forEach((r, k) => {
        const first = String(r[0] ?? '');
        if (r.every((c) => c === null || c === '') || /tong cong/.test(fold(first).replace(/(.)/g, '$1')) || fold(first).startsWith('tongcong')) return;
        dataRows++;
        const d = String(r[chieu] ?? '');
        if (!badDirections.has(h + 2 + k)) expect(DIRECTIONS).toContain(d);
        const a = r[accepted];
        if (accepted >= 0 && a !== null && a !== '' && !(a instanceof Date) && typeof a !== 'number') expect(String(a)).toMatch(DATE_TEXT);
        if (status >= 0 && r[status]) expect([...STATUSES, 'Chờ phát']).toContain(String(r[status]));
        const amount = r[header.findIndex((c) => fold(c).startsWith('cuoc'))];
        if (typeof amount === 'string' && amount !== '') expect(amount).toMatch(AMOUNT_TEXT);
      });
      expect(dataRows).toBe(truth.rows.length + truth.badRows.length);
    }
    // the contract's CSV encodings and separators and XLSX all occur over a year
    expect([...seen].some((s) => s === 'xlsx')).toBe(true);
    expect([...seen].some((s) => s.startsWith('csv/utf-8-bom'))).toBe(true);
    expect([...seen].some((s) => s.startsWith('csv/windows-1258'))).toBe(true);
    expect(CONTRACT_COLUMNS).toHaveLength(10);
  });
});
