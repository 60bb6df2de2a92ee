import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { vietnamWallClockToDate } from '../../platform/time/vietnam-time';
import {
  ALL_COLUMNS,
  bufferStream,
  BcciFixtureOptions,
  expectedRow,
  generateBcciFixture,
  HEADER_VARIANTS,
  HeaderVariant,
} from './bcci-fixtures.spec-helper';
import {
  BcciReportFormatError,
  buildHeaderDictionary,
  HeaderDictionaryError,
  loadHeaderDictionary,
  matchHeader,
  openBcciReport,
  parseHeaderDictionaryYaml,
} from './bcci-report.parser';
import { ParsedRow, ReportParseSummary } from './bcci-report.types';
import { readDate, readDirection, readNumber, readStatus } from './bcci-values';

const dictionary = loadHeaderDictionary();

async function parse(
  source: Buffer | Readable,
  fileName: string,
  format?: 'csv' | 'xlsx',
): Promise<{ rows: ParsedRow[]; summary: ReportParseSummary }> {
  const stream = Buffer.isBuffer(source) ? bufferStream(source, 1000) : source;
  const report = openBcciReport(stream, { fileName, format, dictionary });
  const rows: ParsedRow[] = [];
  for await (const row of report.rows) rows.push(row);
  return { rows, summary: report.summary() };
}

async function parseFixture(options: BcciFixtureOptions, fileName?: string) {
  const buffer = await generateBcciFixture(options);
  return parse(buffer, fileName ?? `BCCI_44_202601.${options.format}`);
}

const wall = (w: number[]): Date => vietnamWallClockToDate(w[0], w[1], w[2], w[3], w[4])!;

function expectGood(row: ParsedRow, i: number): void {
  const e = expectedRow(i);
  expect(row.ok).toBe(true);
  if (!row.ok) return;
  expect(row.waybill.waybillId).toBe(e.waybillId);
  expect(row.waybill.direction).toBe(e.direction);
  expect(row.waybill.acceptedAt).toEqual(wall(e.accepted));
  expect(row.waybill.deliveredAt).toEqual(wall(e.delivered));
  expect(row.waybill.statusText).toBe(e.statusText);
  expect(row.waybill.postage).toBe(e.postage);
  expect(row.waybill.procedureCode).toBe('1.001234');
  expect(row.waybill.agencyCode).toBe('000.22.44.H44');
  expect(row.waybill.dossierId).toBe(i % 5 === 4 ? null : `H44.22-260114-${String(i).padStart(6, '0')}`);
}

const STATUS_OF = ['delivered', 'returned', 'in_transit', 'cancelled', null];

describe('header dictionary', () => {
  it.each([
    ['Mã vận đơn', 'waybillId'],
    ['MA VAN DON', 'waybillId'],
    ['Ma_van_don', 'waybillId'],
    ['Mã  vận   đơn ', 'waybillId'],
    ['Số vận đơn', 'waybillId'],
    ['Mã VĐ', 'waybillId'],
    ['ma van don'.normalize('NFD'), 'waybillId'],
    ['Mã vận đơn'.normalize('NFD'), 'waybillId'],
    ['Cước (VNĐ)', 'postage'],
    ['Cuoc phi', 'postage'],
    ['Cước phí (đồng)', 'postage'],
    ['CƯỚC PHÍ (VND)', 'postage'],
    ['Chiều', 'direction'],
    ['Ngày chấp nhận', 'acceptedAt'],
    ['NGÀY PHÁT', 'deliveredAt'],
    ['Trạng thái', 'status'],
    ['Mã TTHC', 'procedureCode'],
    ['Mã cơ quan', 'agencyCode'],
    ['Mã hồ sơ', 'dossierId'],
    ['STT', 'stt'],
  ])('matches %j as %s', (header, column) => {
    expect(matchHeader(dictionary, header)).toBe(column);
  });

  it('does not match unknown headers', () => {
    expect(matchHeader(dictionary, 'Ghi chú')).toBeNull();
    expect(matchHeader(dictionary, '')).toBeNull();
  });

  it('rejects a spelling listed for two columns and unknown columns', () => {
    expect(() => buildHeaderDictionary({ columns: { waybillId: ['Mã'], dossierId: ['MA'], direction: ['Chiều'] } })).toThrow(HeaderDictionaryError);
    expect(() => parseHeaderDictionaryYaml('columns:\n  foo: [x]\n', 'x.yaml')).toThrow(/columns\.foo/);
    expect(() => parseHeaderDictionaryYaml('columns:\n  direction: [Chiều]\n', 'x.yaml')).toThrow(/waybillId/);
  });
});

describe('values', () => {
  it('reads numbers', () => {
    expect(readNumber('25.000')).toEqual({ ok: true, value: 25000 });
    expect(readNumber('1.250.000')).toEqual({ ok: true, value: 1250000 });
    expect(readNumber('25000')).toEqual({ ok: true, value: 25000 });
    expect(readNumber(' 25.000 đ')).toEqual({ ok: true, value: 25000 });
    expect(readNumber(25000)).toEqual({ ok: true, value: 25000 });
    expect(readNumber('')).toEqual({ ok: true, value: null });
    expect(readNumber(null)).toEqual({ ok: true, value: null });
    expect(readNumber('25.0x0').ok).toBe(false);
    expect(readNumber('25.00.0').ok).toBe(false);
  });

  it('reads dates as Vietnam time', () => {
    expect(readDate('14/01/2026 08:30')).toEqual({ ok: true, value: new Date('2026-01-14T01:30:00Z') });
    expect(readDate('14/01/2026')).toEqual({ ok: true, value: new Date('2026-01-13T17:00:00Z') });
    expect(readDate('14/01/2026 08:30:15')).toEqual({ ok: true, value: new Date('2026-01-14T01:30:15Z') });
    // an Excel date cell: its fields are the wall-clock time
    expect(readDate(new Date(Date.UTC(2026, 0, 14, 8, 30)))).toEqual({ ok: true, value: new Date('2026-01-14T01:30:00Z') });
    // an Excel serial number (14/01/2026 08:30)
    expect(readDate(46036 + 8.5 / 24)).toEqual({ ok: true, value: new Date('2026-01-14T01:30:00Z') });
    expect(readDate('')).toEqual({ ok: true, value: null });
    expect(readDate('31/02/2026 08:30').ok).toBe(false);
    expect(readDate('14/01/2026 25:00').ok).toBe(false);
    expect(readDate('hôm qua').ok).toBe(false);
  });

  it('reads directions and statuses, diacritics-insensitive', () => {
    for (const t of ['Chiều đi', 'đi', 'Di', 'CHIEU DI', 'chieu  di']) expect(readDirection(t)).toBe('submission');
    for (const t of ['Chiều về', 'về', 'Ve', 'CHIỀU VỀ', 'Chiều về'.normalize('NFD')]) expect(readDirection(t)).toBe('result');
    expect(readDirection('Chiều ngang')).toBeNull();
    expect(readDirection('')).toBeNull();
    expect(readStatus('Phát thành công')).toBe('delivered');
    expect(readStatus('PHAT THANH CONG')).toBe('delivered');
    expect(readStatus('Chuyển hoàn')).toBe('returned');
    expect(readStatus('Đang vận chuyển')).toBe('in_transit');
    expect(readStatus('Hủy')).toBe('cancelled');
    expect(readStatus('Huỷ')).toBe('cancelled');
    expect(readStatus('Chờ phát')).toBeNull();
  });
});

describe('CSV', () => {
  it.each(['utf-8-bom', 'utf-8', 'windows-1258'] as const)('reads %s, NFC-normalised, across small chunks', async (encoding) => {
    const buffer = await generateBcciFixture({ format: 'csv', encoding, rows: 12 });
    const { rows, summary } = await parse(bufferStream(buffer, 5), 'BCCI_44_202601.csv');
    expect(summary).toMatchObject({ format: 'csv', encoding, sheet: 'BCCI_44_202601.csv', headerRow: 1, dataRows: 12, goodRows: 12, badRows: 0 });
    expect(summary.columns.waybillId).toBe('Mã vận đơn');
    expect(summary.columns.postage).toBe('Cước (VNĐ)');
    rows.forEach((row, i) => {
      expectGood(row, i);
      if (row.ok) expect(row.waybill.status).toBe(STATUS_OF[i % 5]);
      expect(row.rowNumber).toBe(i + 2);
    });
    const texts = rows.map((r) => (r.ok ? r.waybill.statusText : ''));
    expect(texts).toContain('Đang vận chuyển');
    expect(texts.every((t) => t === t?.normalize('NFC'))).toBe(true);
  });

  it('writes Windows-1258 with combining tone marks (the fixture really is Windows-1258)', async () => {
    const buffer = await generateBcciFixture({ format: 'csv', encoding: 'windows-1258', rows: 1 });
    expect(buffer.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(buffer)).toThrow();
    expect(buffer.includes(0x3f)).toBe(false); // nothing fell back to "?"
  });

  it('reads semicolon-separated files', async () => {
    const { rows, summary } = await parseFixture({ format: 'csv', delimiter: ';', encoding: 'utf-8', rows: 5, titleRows: ['BÁO CÁO; THÁNG 01/2026'] });
    expect(summary).toMatchObject({ headerRow: 2, goodRows: 5, badRows: 0 });
    rows.forEach((row, i) => expectGood(row, i));
  });

  it('detects the format from the content when the name has no extension', async () => {
    const { summary } = await parseFixture({ format: 'csv', rows: 3 }, 'download');
    expect(summary).toMatchObject({ format: 'csv', goodRows: 3 });
  });
});

describe('XLSX', () => {
  it('reads the data sheet and skips a summary sheet with a note: shared strings, numbers, text dates', async () => {
    const { rows, summary } = await parseFixture({ format: 'xlsx', rows: 12, sheetName: 'Báo cáo', secondSheet: true });
    expect(summary).toMatchObject({ format: 'xlsx', encoding: null, sheet: 'Báo cáo', headerRow: 1, dataRows: 12, goodRows: 12, badRows: 0 });
    expect(summary.sheets.map((s) => [s.name, s.headerRow, s.dataRows])).toEqual([['Báo cáo', 1, 12], ['Tong hop', null, 0]]);
    expect(summary.sheets[1].note).toMatch(/summary sheet, skipped/);
    rows.forEach((row, i) => {
      expectGood(row, i);
      expect(row.sheet).toBe('Báo cáo');
      expect(row.rowNumber).toBe(i + 2);
    });
  });

  it('reads Excel date cells as Vietnam wall-clock time', async () => {
    const { rows, summary } = await parseFixture({ format: 'xlsx', rows: 6, excelDates: true });
    expect(summary.goodRows).toBe(6);
    rows.forEach((row, i) => expectGood(row, i));
    const first = rows[0];
    expect(first.ok && first.waybill.acceptedAt).toEqual(new Date('2026-01-01T00:00:00Z')); // 01/01/2026 07:00 VN
  });

  // exceljs's reader keeps only the last run of an *inline* rich-text string; Excel writes rich text as shared
  // strings, which are read whole.
  it('reads rich text, formula results, text amounts and inline strings', async () => {
    const overrides = {
      0: { status: { richText: [{ text: 'Phát ' }, { text: 'thành công', font: { bold: true } }] } },
      1: { postage: { formula: '20000+6500', result: 26500 } },
      2: { postage: '28.000' },
    };
    for (const sharedStrings of [true, false]) {
      const { rows, summary } = await parseFixture({ format: 'xlsx', rows: 3, overrides: sharedStrings ? overrides : { 1: overrides[1], 2: overrides[2] }, sharedStrings });
      expect(summary.goodRows).toBe(3);
      rows.forEach((row, i) => expectGood(row, i));
      expect(rows[0].ok && rows[0].waybill.status).toBe('delivered');
    }
  });

  it('detects the format from the content when the name has no extension', async () => {
    const { summary } = await parseFixture({ format: 'xlsx', rows: 3 }, 'download');
    expect(summary).toMatchObject({ format: 'xlsx', goodRows: 3 });
  });
});

describe.each(['csv', 'xlsx'] as const)('%s', (format) => {
  it.each(Object.keys(HEADER_VARIANTS) as HeaderVariant[])('matches %s header spellings', async (headers) => {
    const { rows, summary } = await parseFixture({ format, rows: 4, headers });
    expect(summary.goodRows).toBe(4);
    expect(Object.keys(summary.columns).sort()).toEqual([...ALL_COLUMNS].sort());
    expect(summary.columns.waybillId).toBe(HEADER_VARIANTS[headers].waybillId.trim());
    rows.forEach((row, i) => expectGood(row, i));
  });

  it('skips title rows and the totals row', async () => {
    const { rows, summary } = await parseFixture({
      format,
      rows: 5,
      titleRows: ['BÁO CÁO DỊCH VỤ BƯU CHÍNH CÔNG ÍCH', 'Tháng 01/2026 – Bưu điện tỉnh', ''],
      totalsRow: true,
    });
    expect(summary).toMatchObject({ headerRow: 4, dataRows: 5, goodRows: 5, badRows: 0, totalsRowSkipped: true });
    expect(rows.map((r) => r.rowNumber)).toEqual([5, 6, 7, 8, 9]);
  });

  it('reports each bad row with its reason, field, sheet and row number, and goes on', async () => {
    const { rows, summary } = await parseFixture({
      format,
      rows: 8,
      titleRows: ['BÁO CÁO'],
      badRows: { 1: 'MISSING_ID', 2: 'UNKNOWN_CODE', 4: 'INVALID_DATE', 5: 'INVALID_TIME', 6: 'INVALID_NUMBER' },
    });
    const sheet = format === 'csv' ? 'BCCI_44_202601.csv' : 'BaoCao';
    expect(summary).toMatchObject({ headerRow: 2, dataRows: 8, goodRows: 3, badRows: 5, totalsRowSkipped: false });
    const bad = rows.filter((r) => !r.ok);
    expect(bad.map((r) => (r.ok ? null : [r.reason, r.field, r.sheet, r.rowNumber]))).toEqual([
      ['MISSING_ID', 'waybillId', sheet, 4],
      ['UNKNOWN_CODE', 'direction', sheet, 5],
      ['INVALID_DATE', 'acceptedAt', sheet, 7],
      ['INVALID_DATE', 'deliveredAt', sheet, 8],
      ['INVALID_NUMBER', 'postage', sheet, 9],
    ]);
    const unknown = bad[1];
    expect(!unknown.ok && unknown.raw).toMatchObject({ waybillId: expectedRow(2).waybillId, direction: 'Chiều ngang' });
    expect(!unknown.ok && unknown.detail).toContain('Chiều ngang');
    expect(rows.filter((r) => r.ok).map((r) => r.rowNumber)).toEqual([3, 6, 10]);
  });

  it('tells a totals row from a row without id whose status is "Phát thành công"', async () => {
    const { rows, summary } = await parseFixture({
      format,
      rows: 3,
      overrides: { 0: { waybillId: '' }, 2: { stt: 'Cộng:', waybillId: '', direction: '', acceptedAt: '', deliveredAt: '', status: '' } },
    });
    expect(summary).toMatchObject({ dataRows: 2, goodRows: 1, badRows: 1, totalsRowSkipped: true });
    expect(rows[0]).toMatchObject({ ok: false, reason: 'MISSING_ID', rowNumber: 2 });
  });

  it('stops cleanly when the consumer stops early', async () => {
    const buffer = await generateBcciFixture({ format, rows: 5000 });
    const source = bufferStream(buffer, 4096);
    const report = openBcciReport(source, { fileName: `x.${format}`, dictionary });
    let n = 0;
    for await (const row of report.rows) {
      expect(row.ok).toBe(true);
      if (++n === 5) break;
    }
    expect(report.summary().goodRows).toBe(5);
    expect(source.destroyed).toBe(true);
  });

  it('leaves absent optional columns null', async () => {
    const { rows, summary } = await parseFixture({ format, rows: 2, columns: ['waybillId', 'dossierId', 'direction', 'acceptedAt', 'deliveredAt', 'status'] });
    expect(summary.goodRows).toBe(2);
    expect(rows[0].ok && rows[0].waybill).toMatchObject({ procedureCode: null, agencyCode: null, postage: null });
  });

  it('refuses a file without a required column or without a header row', async () => {
    await expect(parseFixture({ format, rows: 2, columns: ['waybillId', 'acceptedAt', 'deliveredAt', 'status', 'postage'] })).rejects.toMatchObject({
      code: 'MISSING_COLUMNS',
    });
    const titles = Array.from({ length: 25 }, (_, i) => `Dòng tiêu đề ${i + 1}`);
    await expect(parseFixture({ format, rows: 2, titleRows: titles })).rejects.toBeInstanceOf(BcciReportFormatError);
    await expect(parseFixture({ format, rows: 2, titleRows: titles })).rejects.toMatchObject({ code: 'NO_HEADER' });
  });

  it('refuses bytes that are not a report', async () => {
    const junk = Buffer.from(format === 'xlsx' ? 'PK\x03\x04 this is not a zip file at all' : 'hello,world\n1,2\n');
    await expect(parse(junk, `junk.${format}`)).rejects.toBeInstanceOf(BcciReportFormatError);
  });
});

describe('200,000 rows, bounded memory', () => {
  const ROWS = 200_000;
  const MB = 1024 * 1024;
  // a forced collection measures the live heap (what the parser retains), not garbage awaiting collection
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  it.each(['csv', 'xlsx'] as const)('%s', async (format) => {
    const buffer = await generateBcciFixture({ format, rows: ROWS, titleRows: ['BÁO CÁO BCCI', ''], totalsRow: true, excelDates: format === 'xlsx', badRows: { 100: 'MISSING_ID' } });
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let livePeak = baseline;
    let good = 0;
    let bad = 0;
    let gcTime = 0;
    const started = process.hrtime.bigint();
    const report = openBcciReport(bufferStream(buffer), { fileName: `big.${format}`, dictionary });
    for await (const row of report.rows) {
      if (row.ok) good++;
      else bad++;
      const n = good + bad;
      if ((n & 0x3ff) === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (n % 25_000 === 0) {
        const t = process.hrtime.bigint();
        gc();
        livePeak = Math.max(livePeak, process.memoryUsage().heapUsed);
        gcTime += Number(process.hrtime.bigint() - t);
      }
    }
    const seconds = (Number(process.hrtime.bigint() - started) - gcTime) / 1e9;
    const summary = report.summary();
    const growthMB = (livePeak - baseline) / MB;
    console.log(
      `BCCI ${format}: ${ROWS} rows (${(buffer.length / MB).toFixed(1)} MB) in ${seconds.toFixed(2)} s = ${Math.round(ROWS / seconds)} rows/s; ` +
        `live heap growth ${growthMB.toFixed(1)} MB, peak heap growth incl. garbage ${((peak - baseline) / MB).toFixed(1)} MB`,
    );
    expect(good).toBe(ROWS - 1);
    expect(bad).toBe(1);
    expect(summary).toMatchObject({ dataRows: ROWS, goodRows: ROWS - 1, badRows: 1, totalsRowSkipped: true, headerRow: 3 });
    expect(growthMB).toBeLessThan(150);
  });
});
