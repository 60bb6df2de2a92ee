import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { BcciColumn } from './bcci-header-dictionary';

/**
 * Builds BCCI report files in memory for the parser specs: CSV (UTF-8, UTF-8 with BOM, Windows-1258; comma or
 * semicolon) and XLSX (exceljs streaming writer), with title rows, a totals row, header spellings and bad rows.
 */

export type FixtureBadKind = 'MISSING_ID' | 'UNKNOWN_CODE' | 'INVALID_DATE' | 'INVALID_NUMBER' | 'INVALID_TIME';

export type HeaderVariant = 'usual' | 'upper-ascii' | 'snake' | 'spaced' | 'alternative';

export const HEADER_VARIANTS: Record<HeaderVariant, Record<BcciColumn, string>> = {
  usual: {
    stt: 'STT',
    waybillId: 'Mã vận đơn',
    dossierId: 'Mã hồ sơ',
    procedureCode: 'Mã TTHC',
    agencyCode: 'Mã cơ quan',
    direction: 'Chiều',
    acceptedAt: 'Ngày chấp nhận',
    deliveredAt: 'Ngày phát',
    status: 'Trạng thái',
    postage: 'Cước (VNĐ)',
  },
  'upper-ascii': {
    stt: 'STT',
    waybillId: 'MA VAN DON',
    dossierId: 'MA HO SO',
    procedureCode: 'MA TTHC',
    agencyCode: 'MA CO QUAN',
    direction: 'CHIEU',
    acceptedAt: 'NGAY CHAP NHAN',
    deliveredAt: 'NGAY PHAT',
    status: 'TRANG THAI',
    postage: 'CUOC PHI',
  },
  snake: {
    stt: 'stt',
    waybillId: 'Ma_van_don',
    dossierId: 'ma_ho_so',
    procedureCode: 'Ma_TTHC',
    agencyCode: 'ma_co_quan',
    direction: 'chieu',
    acceptedAt: 'ngay_chap_nhan',
    deliveredAt: 'ngay_phat',
    status: 'trang_thai',
    postage: 'cuoc_vnd',
  },
  spaced: {
    stt: ' S T T',
    waybillId: 'Mã  vận   đơn ',
    dossierId: ' Mã hồ  sơ',
    procedureCode: 'Mã  TTHC',
    agencyCode: 'Mã cơ   quan',
    direction: ' Chiều ',
    acceptedAt: 'Ngày  chấp nhận',
    deliveredAt: 'Ngày phát ',
    status: 'Trạng  thái',
    postage: 'Cước phí (đồng)',
  },
  alternative: {
    stt: 'Số TT',
    waybillId: 'Số vận đơn',
    dossierId: 'Số hồ sơ',
    procedureCode: 'Mã thủ tục',
    agencyCode: 'Mã CQ',
    direction: 'Chiều vận chuyển',
    acceptedAt: 'Thời gian chấp nhận',
    deliveredAt: 'Thời gian phát',
    status: 'Tình trạng',
    postage: 'Cuoc phi',
  },
};

export const ALL_COLUMNS: BcciColumn[] = [
  'stt',
  'waybillId',
  'dossierId',
  'procedureCode',
  'agencyCode',
  'direction',
  'acceptedAt',
  'deliveredAt',
  'status',
  'postage',
];

export type FixtureValue = string | number | Date | null | { richText: { text: string; font?: { bold?: boolean } }[] } | { formula: string; result: number };

export interface BcciFixtureOptions {
  format: 'csv' | 'xlsx';
  /** csv only (default utf-8-bom) */
  encoding?: 'utf-8' | 'utf-8-bom' | 'windows-1258';
  /** csv only (default ',') */
  delimiter?: ',' | ';';
  /** data rows (default 10) */
  rows?: number;
  /** lines above the header, e.g. ['BÁO CÁO BCCI THÁNG 01/2026', ''] */
  titleRows?: string[];
  /** header spelling (default usual) or explicit texts per column */
  headers?: HeaderVariant | Partial<Record<BcciColumn, string>>;
  /** the columns, in order (default all ten) */
  columns?: BcciColumn[];
  /** append a "Tổng cộng" row */
  totalsRow?: boolean;
  /** data-row index (0-based) → bad value */
  badRows?: Record<number, FixtureBadKind>;
  /** data-row index (0-based) → overriding cell values */
  overrides?: Record<number, Partial<Record<BcciColumn, FixtureValue>>>;
  /** xlsx: dates as Excel date cells (default: text) */
  excelDates?: boolean;
  /** xlsx: postage as numbers (default true); false writes "25.000" texts */
  numericPostage?: boolean;
  /** xlsx: worksheet name (default "BaoCao") */
  sheetName?: string;
  /** xlsx: add a summary worksheet after the report sheet */
  secondSheet?: boolean;
  /** xlsx: shared strings (default true) */
  sharedStrings?: boolean;
}

const STATUS_TEXTS = ['Phát thành công', 'Chuyển hoàn', 'Đang vận chuyển', 'Hủy', 'Chờ phát'];

export interface ExpectedRow {
  waybillId: string;
  direction: 'submission' | 'result';
  /** wall clock (Vietnam) */
  accepted: [number, number, number, number, number];
  delivered: [number, number, number, number, number];
  statusText: string;
  postage: number;
}

/** The deterministic content of data row `i` (before bad-row changes and overrides). */
export function expectedRow(i: number): ExpectedRow {
  const day = 1 + (i % 28);
  const hour = 7 + (i % 10);
  const minute = (i * 7) % 60;
  return {
    waybillId: `EB${String(100000000 + i)}VN`,
    direction: i % 2 === 0 ? 'submission' : 'result',
    accepted: [2026, 1, day, hour, minute],
    delivered: [2026, 1, Math.min(day + 1, 28), hour + 1, minute],
    statusText: STATUS_TEXTS[i % STATUS_TEXTS.length],
    postage: 25000 + (i % 4) * 1500,
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const dmy = (w: number[]): string => `${pad2(w[2])}/${pad2(w[1])}/${w[0]} ${pad2(w[3])}:${pad2(w[4])}`;
const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');

function rowValues(i: number, options: BcciFixtureOptions): Record<BcciColumn, FixtureValue> {
  const e = expectedRow(i);
  const xlsx = options.format === 'xlsx';
  const date = (w: number[]): FixtureValue => (xlsx && options.excelDates ? new Date(Date.UTC(w[0], w[1] - 1, w[2], w[3], w[4])) : dmy(w));
  const values: Record<BcciColumn, FixtureValue> = {
    stt: xlsx ? i + 1 : String(i + 1),
    waybillId: e.waybillId,
    dossierId: i % 5 === 4 ? '' : `H44.22-260114-${String(i).padStart(6, '0')}`,
    procedureCode: '1.001234',
    agencyCode: '000.22.44.H44',
    direction: [i % 4 < 2 ? 'Chiều đi' : 'đi', i % 4 < 2 ? 'Chiều về' : 'Ve'][i % 2],
    acceptedAt: date(e.accepted),
    deliveredAt: date(e.delivered),
    status: e.statusText,
    postage: xlsx && options.numericPostage !== false ? e.postage : thousands(e.postage),
  };
  const bad = options.badRows?.[i];
  if (bad === 'MISSING_ID') values.waybillId = '';
  if (bad === 'UNKNOWN_CODE') values.direction = 'Chiều ngang';
  if (bad === 'INVALID_DATE') values.acceptedAt = '31/02/2026 08:30';
  if (bad === 'INVALID_TIME') values.deliveredAt = '14/01/2026 25:00';
  if (bad === 'INVALID_NUMBER') values.postage = '25.0x0';
  Object.assign(values, options.overrides?.[i] ?? {});
  return values;
}

function headerTexts(options: BcciFixtureOptions): Record<BcciColumn, string> {
  const h = options.headers ?? 'usual';
  return typeof h === 'string' ? HEADER_VARIANTS[h] : { ...HEADER_VARIANTS.usual, ...h };
}

/** Windows-1258 writes tone marks as combining characters after a (possibly precomposed) base letter. */
export function toWindows1258Form(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    const d = ch.normalize('NFD');
    const tones = d.replace(/[^\u0300\u0301\u0303\u0309\u0323]/g, '');
    const base = d.replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '').normalize('NFC');
    out += base + tones;
  }
  return out;
}

function csvCell(value: FixtureValue, delimiter: string): string {
  let text: string;
  if (value === null) text = '';
  else if (value instanceof Date) text = dmy([value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(), value.getUTCHours(), value.getUTCMinutes()]);
  else if (typeof value === 'object') text = 'richText' in value ? value.richText.map((r) => r.text).join('') : String(value.result);
  else text = String(value);
  return text.includes(delimiter) || text.includes('"') || text.includes('\n') ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV lines of the fixture, produced lazily. */
function* csvLines(options: BcciFixtureOptions): Generator<string> {
  const delimiter = options.delimiter ?? ',';
  const columns = options.columns ?? ALL_COLUMNS;
  const headers = headerTexts(options);
  for (const title of options.titleRows ?? []) yield csvCell(title, delimiter);
  yield columns.map((c) => csvCell(headers[c], delimiter)).join(delimiter);
  const rows = options.rows ?? 10;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const values = rowValues(i, options);
    if (typeof values.postage === 'number') total += values.postage;
    yield columns.map((c) => csvCell(values[c], delimiter)).join(delimiter);
  }
  if (options.totalsRow) yield columns.map((c, k) => (k === 0 ? 'Tổng cộng' : c === 'postage' ? csvCell(thousands(total), delimiter) : '')).join(delimiter);
}

function encodeText(text: string, encoding: 'utf-8' | 'utf-8-bom' | 'windows-1258'): Buffer {
  return encoding === 'windows-1258' ? iconv.encode(toWindows1258Form(text), 'win1258') : Buffer.from(text, 'utf8');
}

/** Builds a fixture file in memory. */
export async function generateBcciFixture(options: BcciFixtureOptions): Promise<Buffer> {
  if (options.format === 'csv') {
    const encoding = options.encoding ?? 'utf-8-bom';
    const parts: Buffer[] = encoding === 'utf-8-bom' ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
    let batch: string[] = [];
    for (const line of csvLines(options)) {
      batch.push(line);
      if (batch.length >= 2000) {
        parts.push(encodeText(batch.join('\r\n') + '\r\n', encoding));
        batch = [];
      }
    }
    if (batch.length > 0) parts.push(encodeText(batch.join('\r\n') + '\r\n', encoding));
    return Buffer.concat(parts);
  }
  return xlsxFixture(options);
}

async function xlsxFixture(options: BcciFixtureOptions): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: options.sharedStrings !== false, useStyles: true });
  const sheet = workbook.addWorksheet(options.sheetName ?? 'BaoCao');
  const columns = options.columns ?? ALL_COLUMNS;
  const headers = headerTexts(options);
  for (const title of options.titleRows ?? []) sheet.addRow(title === '' ? [] : [title]).commit();
  sheet.addRow(columns.map((c) => headers[c])).commit();
  const rows = options.rows ?? 10;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const values = rowValues(i, options);
    if (typeof values.postage === 'number') total += values.postage;
    const row = sheet.addRow(columns.map((c) => values[c] as ExcelJS.CellValue));
    columns.forEach((c, k) => {
      if (values[c] instanceof Date) row.getCell(k + 1).numFmt = 'dd/mm/yyyy hh:mm';
      else if (c === 'postage' && typeof values[c] === 'number') row.getCell(k + 1).numFmt = '#,##0';
    });
    row.commit();
  }
  if (options.totalsRow) sheet.addRow(columns.map((c, k) => (k === 0 ? 'Tổng cộng' : c === 'postage' ? total : null))).commit();
  sheet.commit();
  if (options.secondSheet) {
    // a summary sheet after the data: counts per direction, no waybills
    const other = workbook.addWorksheet('Tong hop');
    other.addRow(['Chiều', 'Số lượng', 'Trạng thái', 'Cước']).commit();
    other.addRow(['Chiều đi', rows, 'Phát thành công', 1]).commit();
    other.commit();
  }
  await workbook.commit();
  await done;
  return Buffer.concat(chunks);
}

/** A stream over a buffer in chunks of `chunkSize` bytes (small chunks exercise split characters and lines). */
export function bufferStream(buffer: Buffer, chunkSize = 64 * 1024): Readable {
  function* slices(): Generator<Buffer> {
    for (let i = 0; i < buffer.length; i += chunkSize) yield buffer.subarray(i, i + chunkSize);
  }
  return Readable.from(slices(), { objectMode: false });
}
