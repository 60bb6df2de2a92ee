import { basename } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { BcciColumn, HeaderDictionary, matchHeader } from './bcci-header-dictionary';
import { BcciReportFormatError } from './bcci-report.errors';
import { CsvEncoding } from './bcci-report.types';
import { Cell, nfc } from './bcci-values';

/**
 * The rows of a report file as read, before any header is applied: every worksheet of an XLSX workbook (streamed,
 * or loaded whole when small), or the lines of a CSV/text file (encoding and separator sniffed from its head).
 */

/** One row as read from the file. */
export interface SourceRow {
  /** worksheet name (XLSX) or file name (CSV) */
  sheet: string;
  /** 1-based in the sheet / file, title rows included */
  rowNumber: number;
  cells: Cell[];
}

export interface SourceInfo {
  encoding: CsvEncoding | null;
  /** XLSX: dates as serials from 1904 */
  date1904: boolean;
}

const SNIFF_BYTES = 64 * 1024;
export const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** Compound File (OLE2): Excel 97–2003 .xls, or an encrypted (password-protected) OOXML workbook */
export const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

// ---------------------------------------------------------------------------------------------------------
// bytes: peek at the head of the source, then stream it all

export class ByteSource {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private ended = false;
  private iterator: AsyncIterator<unknown> | null = null;

  constructor(private readonly source: Readable) {}

  /** Reads until at least `n` bytes are buffered or the source ends. */
  async fill(n: number): Promise<void> {
    this.iterator ??= this.source[Symbol.asyncIterator]();
    while (this.size < n && !this.ended) {
      const next = await this.iterator.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      const chunk = toBuffer(next.value);
      this.chunks.push(chunk);
      this.size += chunk.length;
    }
  }

  /** true once the whole source is buffered */
  get complete(): boolean {
    return this.ended;
  }

  head(): Buffer {
    if (this.chunks.length > 1) {
      const all = Buffer.concat(this.chunks);
      this.chunks.length = 0;
      this.chunks.push(all);
    }
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** The whole source as a stream: the buffered head, then the rest. */
  stream(): Readable {
    if (!this.iterator && this.chunks.length === 0) return this.source;
    const chunks = this.chunks.splice(0);
    const iterator = (this.iterator ??= this.source[Symbol.asyncIterator]());
    const ended = this.ended;
    async function* all(): AsyncGenerator<Buffer> {
      for (const c of chunks) yield c;
      if (ended) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield toBuffer(next.value);
      }
    }
    return Readable.from(all(), { objectMode: false });
  }

  /** Stops reading the source (the rest of it is not needed, or the consumer stopped). */
  close(): void {
    if (!this.source.destroyed) this.source.destroy();
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new TypeError('the report source must yield bytes');
}

// ---------------------------------------------------------------------------------------------------------
// XLSX: every worksheet, streamed

interface ExcelRichText {
  richText: { text?: string }[];
}

/** exceljs cell value → Cell: shared/inline/rich text, numbers, dates, formula results, hyperlinks. */
function xlsxCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return nfc(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'object': {
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
      const v = value as Record<string, unknown>;
      if (Array.isArray(v.richText)) return nfc((v as unknown as ExcelRichText).richText.map((r) => r.text ?? '').join(''));
      if ('formula' in v || 'sharedFormula' in v) return xlsxCell(v.result);
      if ('error' in v) return null;
      if ('text' in v) return xlsxCell(v.text);
      return null;
    }
    default:
      return null;
  }
}

interface WorkbookReaderInternals {
  model?: { sheets?: { name?: string }[] };
  properties?: { model?: { date1904?: boolean } };
}

/** The parts of exceljs's WorkbookReader this module relies on (internal methods included). */
interface ExcelWorkbookReader extends AsyncIterable<unknown> {
  _parseRels(entry: Readable): unknown;
  _parseWorkbook(entry: Readable): unknown;
  _parseSharedStrings(entry: Readable): unknown;
  _parseStyles(entry: Readable): unknown;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): unknown;
}
type ExcelWorkbookReaderClass = new (input: Readable, options: Record<string, string>) => ExcelWorkbookReader;

/** Re-chunks XML bytes into strings without splitting a multi-byte UTF-8 character. */
async function* utf8Strings(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const tail = decoder.end();
  if (tail) yield tail;
}

/**
 * exceljs's streaming reader decodes each zip chunk to text on its own, so a Vietnamese letter (2–3 bytes in
 * UTF-8) cut by a chunk boundary turns into U+FFFD (exceljs issues #2084, #2316). This reader hands the XML
 * parser whole characters: part entries are switched to string mode, worksheet chunks go through a
 * StringDecoder.
 */
class Utf8SafeWorkbookReader extends (ExcelJS.stream.xlsx.WorkbookReader as unknown as ExcelWorkbookReaderClass) {
  override _parseRels(entry: Readable): unknown {
    entry.setEncoding('utf8');
    return super._parseRels(entry);
  }

  override _parseWorkbook(entry: Readable): unknown {
    entry.setEncoding('utf8');
    return super._parseWorkbook(entry);
  }

  override _parseSharedStrings(entry: Readable): unknown {
    entry.setEncoding('utf8');
    return super._parseSharedStrings(entry);
  }

  override _parseStyles(entry: Readable): unknown {
    entry.setEncoding('utf8');
    return super._parseStyles(entry);
  }

  override _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): unknown {
    return super._parseWorksheet(utf8Strings(iterator), sheetNo);
  }
}

/**
 * Files up to this size are read whole (exceljs's in-memory loader: a few tens of MB at most, and deterministic);
 * larger ones stream, in bounded memory. Monthly reports of one province are usually far below it.
 */
const SMALL_XLSX_BYTES = 1024 * 1024;

export async function* xlsxRows(bytes: ByteSource, info: SourceInfo, fileName: string): AsyncGenerator<SourceRow> {
  info.encoding = null;
  await bytes.fill(SMALL_XLSX_BYTES + 1);
  if (bytes.complete) {
    yield* smallXlsxRows(bytes.head(), info, fileName);
    return;
  }
  const reader = new Utf8SafeWorkbookReader(bytes.stream(), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const internals = reader as unknown as WorkbookReaderInternals;
  let sheets = 0;
  try {
    for await (const worksheet of reader) {
      const ws = worksheet as unknown as ExcelJS.Worksheet & AsyncIterable<ExcelJS.Row>;
      sheets++;
      info.date1904 = internals.properties?.model?.date1904 === true;
      for await (const row of ws) {
        const values = row.values as unknown[];
        const cells: Cell[] = new Array(Math.max(0, values.length - 1));
        for (let i = 1; i < values.length; i++) cells[i - 1] = xlsxCell(values[i]);
        yield { sheet: ws.name, rowNumber: row.number, cells };
      }
    }
  } catch (err) {
    if (err instanceof BcciReportFormatError) throw err;
    throw new BcciReportFormatError('UNREADABLE', fileName, `not a readable XLSX file, truncated or damaged (${(err as Error).message})`);
  }
  if (sheets === 0) throw new BcciReportFormatError('UNREADABLE', fileName, 'the XLSX file has no worksheet');
}

// ---------------------------------------------------------------------------------------------------------
// CSV: encoding and delimiter sniffed from the head, then streamed through csv-parse

const DELIMITERS = [',', ';', '\t'] as const;

function detectEncoding(head: Buffer): CsvEncoding {
  if (head.subarray(0, 3).equals(UTF8_BOM)) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  try {
    // stream: true — a multi-byte sequence cut at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1258';
  }
}

const ICONV_NAMES: Record<CsvEncoding, string> = { 'utf-8': 'utf8', 'utf-8-bom': 'utf8', 'windows-1258': 'win1258', 'utf-16le': 'utf16le', 'utf-16be': 'utf16be' };

/** Splits one CSV line (quotes honoured, no line breaks inside). */
function splitLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"' && cur.trim() === '') {
      quoted = true;
    } else if (ch === delimiter) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/**
 * The delimiter that makes a line of the head a header row (and that line, 1-based), else the most frequent
 * delimiter of the first lines (header line unknown: the row engine looks for it).
 */
function sniffCsvLayout(text: string, dictionary: HeaderDictionary): { delimiter: string; headerLine: number | null } {
  const lines = text.split(/\r\n|\n|\r/).slice(0, dictionary.headerSearchRows);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    let best: string | null = null;
    let bestCount = 0;
    for (const d of DELIMITERS) {
      if (!line.includes(d)) continue;
      const found = new Set<BcciColumn>();
      for (const cell of splitLine(line, d)) {
        const column = matchHeader(dictionary, cell);
        if (column) found.add(column);
      }
      if (found.size >= dictionary.minMatches && found.size > bestCount) {
        best = d;
        bestCount = found.size;
      }
    }
    if (best) return { delimiter: best, headerLine: n + 1 };
  }
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const count = lines.reduce((sum, l) => sum + l.split(d).length - 1, 0);
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return { delimiter: best, headerLine: null };
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

export async function* csvRows(bytes: ByteSource, info: SourceInfo, dictionary: HeaderDictionary, fileName: string): AsyncGenerator<SourceRow> {
  await bytes.fill(SNIFF_BYTES);
  const head = bytes.head();
  const encoding = detectEncoding(head);
  info.encoding = encoding;
  const sheet = basename(fileName);
  const iconvName = ICONV_NAMES[encoding];
  // an even number of bytes for UTF-16; the BOM is not text
  const sample = encoding.startsWith('utf-16') ? head.subarray(2, head.length - (head.length % 2)) : head;
  const headText = nfc(iconv.decode(sample, iconvName)).replace(/^\ufeff/, '');
  const { delimiter, headerLine } = sniffCsvLayout(headText, dictionary);
  // Title rows above the header are skipped by the CSV parser itself: its record-length check counts from the
  // first record, and a short title line would make every data row an (expensive) inconsistent-length error.
  // Their lines still count in row numbers.
  const fromLine = headerLine ?? 1;

  const parser = parseCsv({
    delimiter,
    from_line: fromLine,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: false,
  });
  // errors of any stage end up in the parser, hence in the iteration below
  pipeline(bytes.stream(), iconv.decodeStream(iconvName), parser, () => undefined);

  let lastLine = fromLine - 1;
  try {
    for await (const item of parser as AsyncIterable<CsvRecord>) {
      const rowNumber = lastLine + 1;
      lastLine = item.info.lines;
      const record = item.record;
      const cells: Cell[] = new Array(record.length);
      for (let i = 0; i < record.length; i++) cells[i] = nfc(record[i]);
      yield { sheet, rowNumber, cells };
    }
  } catch (err) {
    if (err instanceof BcciReportFormatError) throw err;
    throw new BcciReportFormatError('UNREADABLE', fileName, `not a readable CSV file (${(err as Error).message})`);
  } finally {
    if (!parser.destroyed) parser.destroy();
  }
}

async function* smallXlsxRows(buffer: Buffer, info: SourceInfo, fileName: string): AsyncGenerator<SourceRow> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (err) {
    throw new BcciReportFormatError('UNREADABLE', fileName, `not a readable XLSX file, truncated or damaged (${(err as Error).message})`);
  }
  if (workbook.worksheets.length === 0) throw new BcciReportFormatError('UNREADABLE', fileName, 'the XLSX file has no worksheet');
  info.date1904 = workbook.properties?.date1904 === true;
  // every sheet, in the workbook's order
  for (const ws of workbook.worksheets) {
    for (let n = 1; n <= ws.rowCount; n++) {
      const row = ws.getRow(n);
      if (!row.hasValues) continue;
      const values = row.values as unknown[];
      const cells: Cell[] = new Array(Math.max(0, values.length - 1));
      for (let i = 1; i < values.length; i++) cells[i - 1] = xlsxCell(values[i]);
      yield { sheet: ws.name, rowNumber: n, cells };
    }
  }
}
