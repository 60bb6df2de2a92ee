import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HEADER_DICTIONARY_PATH, loadHeaderDictionary } from './bcci-header-dictionary';
import { openBcciReport } from './bcci-report.parser';

/**
 * Parse benchmark of BCCI report files: writes a report of `rows` rows in a temporary directory (CSV, UTF-8 with
 * BOM, and XLSX), parses each from disk and reports throughput and the process's peak resident memory while
 * parsing. Called by the project's bench script; the files are removed afterwards.
 */

export interface BcciParseBenchResult {
  format: 'csv' | 'xlsx';
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** peak resident set size of the process while parsing */
  peakRssMB: number;
  /** resident set size before the file was opened (the runtime and modules loaded) */
  baselineRssMB: number;
}

const HEADER = ['STT', 'Mã vận đơn', 'Mã hồ sơ', 'Mã TTHC', 'Mã cơ quan', 'Chiều', 'Ngày chấp nhận', 'Ngày phát', 'Trạng thái', 'Cước (VNĐ)'];
const STATUSES = ['Phát thành công', 'Chuyển hoàn', 'Đang vận chuyển', 'Hủy'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

function benchRow(i: number): string[] {
  const day = 1 + (i % 28);
  const hour = 7 + (i % 10);
  const minute = (i * 7) % 60;
  return [
    String(i + 1),
    `EB${100000000 + i}VN`,
    `H44.22-260114-${String(i).padStart(6, '0')}`,
    '1.001234',
    '000.22.44.H44',
    i % 2 === 0 ? 'Chiều đi' : 'Chiều về',
    `${pad2(day)}/01/2026 ${pad2(hour)}:${pad2(minute)}`,
    `${pad2(Math.min(day + 1, 28))}/01/2026 ${pad2(hour + 1)}:${pad2(minute)}`,
    STATUSES[i % STATUSES.length],
    `${25 + (i % 4)}.000`,
  ];
}

async function writeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('\ufeffBÁO CÁO DỊCH VỤ BƯU CHÍNH CÔNG ÍCH\r\n\r\n');
  out.write(`${HEADER.join(',')}\r\n`);
  let batch = '';
  for (let i = 0; i < rows; i++) {
    batch += `${benchRow(i).join(',')}\r\n`;
    if (batch.length > 64 * 1024) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.write(`Tổng cộng,,,,,,,,,${rows}\r\n`);
  out.end(batch);
  await once(out, 'finish');
}

/**
 * Writes the XLSX report in a child process: exceljs's writer keeps every shared string until the end, and that
 * memory (hundreds of MB for 200,000 rows) would otherwise be counted in the parser's peak RSS.
 */
const XLSX_WRITER = `
const [exceljsPath, file, rowsText] = process.argv.slice(1);
const ExcelJS = require(exceljsPath);
const rows = Number(rowsText);
const pad2 = (n) => String(n).padStart(2, '0');
const statuses = ${JSON.stringify(STATUSES)};
(async () => {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet('BaoCao');
  sheet.addRow(['BÁO CÁO DỊCH VỤ BƯU CHÍNH CÔNG ÍCH']).commit();
  sheet.addRow([]).commit();
  sheet.addRow(${JSON.stringify(HEADER)}).commit();
  for (let i = 0; i < rows; i++) {
    const day = 1 + (i % 28), hour = 7 + (i % 10), minute = (i * 7) % 60;
    const row = sheet.addRow([
      i + 1,
      'EB' + (100000000 + i) + 'VN',
      'H44.22-260114-' + String(i).padStart(6, '0'),
      '1.001234',
      '000.22.44.H44',
      i % 2 === 0 ? 'Chiều đi' : 'Chiều về',
      new Date(Date.UTC(2026, 0, day, hour, minute)),
      pad2(Math.min(day + 1, 28)) + '/01/2026 ' + pad2(hour + 1) + ':' + pad2(minute),
      statuses[i % statuses.length],
      25000 + (i % 4) * 1000,
    ]);
    row.getCell(7).numFmt = 'dd/mm/yyyy hh:mm';
    row.commit();
  }
  sheet.addRow(['Tổng cộng', null, null, null, null, null, null, null, null, rows]).commit();
  sheet.commit();
  await workbook.commit();
})().catch((err) => { console.error(err); process.exit(1); });
`;

async function writeXlsx(file: string, rows: number): Promise<void> {
  await new Promise<void>((resolvePromise, reject) => {
    execFile(process.execPath, ['-e', XLSX_WRITER, require.resolve('exceljs'), file, String(rows)], { maxBuffer: 1024 * 1024 }, (err, _out, stderr) =>
      err ? reject(new Error(`writing the XLSX bench file failed: ${stderr || err.message}`)) : resolvePromise(),
    );
  });
}

async function parseFile(file: string, format: 'csv' | 'xlsx', rows: number): Promise<BcciParseBenchResult> {
  const dictionary = loadHeaderDictionary(DEFAULT_HEADER_DICTIONARY_PATH);
  const baselineRss = process.memoryUsage.rss();
  let peakRss = baselineRss;
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 50);
  const started = process.hrtime.bigint();
  let count = 0;
  try {
    const { rows: parsed, summary } = openBcciReport(createReadStream(file), { fileName: file, format, dictionary });
    for await (const row of parsed) {
      if (row.ok) count++;
      if ((count & 0x3fff) === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
    }
    const s = summary();
    if (count !== rows || s.goodRows !== rows) throw new Error(`${format}: parsed ${count} of ${rows} rows (${s.badRows} bad)`);
  } finally {
    clearInterval(timer);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  return {
    format,
    rows,
    seconds: Math.round(seconds * 1000) / 1000,
    rowsPerSecond: Math.round(rows / seconds),
    peakRssMB: Math.round((peakRss / (1024 * 1024)) * 10) / 10,
    baselineRssMB: Math.round((baselineRss / (1024 * 1024)) * 10) / 10,
  };
}

/** Generates and parses a `rows`-row report in the given formats (default both); one result per format. */
export async function bcciParseBenchmark(rows: number, formats: Array<'csv' | 'xlsx'> = ['csv', 'xlsx']): Promise<BcciParseBenchResult[]> {
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`rows must be a positive whole number (got ${rows})`);
  const dir = mkdtempSync(join(tmpdir(), 'bcci-bench-'));
  try {
    const results: BcciParseBenchResult[] = [];
    const csv = join(dir, 'BCCI_44_202601.csv');
    const xlsx = join(dir, 'BCCI_44_202601.xlsx');
    await Promise.all([formats.includes('csv') ? writeCsv(csv, rows) : null, formats.includes('xlsx') ? writeXlsx(xlsx, rows) : null]);
    if (formats.includes('csv')) results.push(await parseFile(csv, 'csv', rows));
    if (formats.includes('xlsx')) results.push(await parseFile(xlsx, 'xlsx', rows));
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
