import { basename, extname } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { BCCI_COLUMNS, BcciColumn, HeaderDictionary, matchHeader } from './bcci-header-dictionary';
import { ParsedRow, ReportParseSummary, Waybill } from './bcci-report.types';
import { Cell, cellText, isTotalsLabel, nfc, readDate, readDirection, readNumber, readStatus } from './bcci-values';

export type { BcciColumn, HeaderDictionary, HeaderDictionaryDefinition } from './bcci-header-dictionary';
export {
  BCCI_COLUMNS,
  DEFAULT_HEADER_DICTIONARY_PATH,
  HeaderDictionaryError,
  buildHeaderDictionary,
  foldText,
  loadHeaderDictionary,
  matchHeader,
  parseHeaderDictionaryYaml,
} from './bcci-header-dictionary';

/**
 * Streaming, bounded-memory parser of BCCI report files (XLSX first sheet, or CSV in UTF-8 with/without BOM or
 * Windows-1258). Rows are yielded one at a time; nothing but the header and counters is kept.
 */

export interface BcciParseOptions {
  fileName: string;
  format?: 'xlsx' | 'csv';
  dictionary: HeaderDictionary;
}

export type BcciReportErrorCode = 'NO_HEADER' | 'MISSING_COLUMNS' | 'UNREADABLE';

/** The file cannot be used at all (no header row, a required column missing, not a readable XLSX/CSV). */
export class BcciReportFormatError extends Error {
  constructor(
    readonly code: BcciReportErrorCode,
    readonly fileName: string,
    message: string,
  ) {
    super(`${fileName}: ${message}`);
    this.name = 'BcciReportFormatError';
  }
}

/** One row as read from the file, before the header is applied. */
interface SourceRow {
  /** 1-based in the sheet / file, title rows included */
  rowNumber: number;
  cells: Cell[];
}

const SNIFF_BYTES = 64 * 1024;
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Opens a report for streaming. `rows` can be iterated once; `summary()` is complete once `rows` is exhausted.
 * Bad rows are yielded with `ok: false`; a file that cannot be used makes the iteration throw
 * {@link BcciReportFormatError}.
 */
export function openBcciReport(
  source: Readable,
  options: BcciParseOptions,
): { rows: AsyncIterable<ParsedRow>; summary: () => ReportParseSummary } {
  const fileName = options.fileName;
  const state: ReportParseSummary = {
    format: options.format ?? formatFromName(fileName) ?? 'csv',
    encoding: null,
    sheet: '',
    headerRow: 0,
    columns: {},
    dataRows: 0,
    goodRows: 0,
    badRows: 0,
    totalsRowSkipped: false,
  };

  async function* run(): AsyncGenerator<ParsedRow> {
    const bytes = new ByteSource(source);
    try {
      let format = options.format ?? formatFromName(fileName);
      if (!format) {
        await bytes.fill(ZIP_MAGIC.length);
        format = bytes.head().subarray(0, 4).equals(ZIP_MAGIC) ? 'xlsx' : 'csv';
      }
      state.format = format;
      const engine = new RowEngine(options.dictionary, state, fileName);
      const rows = format === 'xlsx' ? xlsxRows(bytes, state, engine, fileName) : csvRows(bytes, state, options.dictionary, fileName);
      for await (const row of rows) {
        const parsed = engine.accept(row);
        if (parsed) yield parsed;
      }
      engine.finish();
    } finally {
      bytes.close();
    }
  }

  return { rows: run(), summary: () => ({ ...state, columns: { ...state.columns } }) };
}

function formatFromName(fileName: string): 'xlsx' | 'csv' | undefined {
  const ext = extname(fileName).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv') return 'csv';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// bytes: peek at the head of the source, then stream it all

class ByteSource {
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
// XLSX: the first worksheet, streamed

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

async function* xlsxRows(bytes: ByteSource, state: ReportParseSummary, engine: RowEngine, fileName: string): AsyncGenerator<SourceRow> {
  state.encoding = null;
  await bytes.fill(SMALL_XLSX_BYTES + 1);
  if (bytes.complete) {
    yield* smallXlsxRows(bytes.head(), state, engine, fileName);
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
  let seenSheet = false;
  try {
    for await (const worksheet of reader) {
      const ws = worksheet as unknown as ExcelJS.Worksheet & AsyncIterable<ExcelJS.Row>;
      // the first sheet in the workbook's order (when known), else the first sheet in the package
      const firstName = internals.model?.sheets?.[0]?.name;
      if (firstName !== undefined && ws.name !== firstName) continue;
      seenSheet = true;
      state.sheet = ws.name;
      engine.date1904 = internals.properties?.model?.date1904 === true;
      for await (const row of ws) {
        const values = row.values as unknown[];
        const cells: Cell[] = new Array(Math.max(0, values.length - 1));
        for (let i = 1; i < values.length; i++) cells[i - 1] = xlsxCell(values[i]);
        yield { rowNumber: row.number, cells };
      }
      break;
    }
  } catch (err) {
    if (err instanceof BcciReportFormatError) throw err;
    throw new BcciReportFormatError('UNREADABLE', fileName, `not a readable XLSX file (${(err as Error).message})`);
  }
  if (!seenSheet) throw new BcciReportFormatError('UNREADABLE', fileName, 'the XLSX file has no worksheet');
}

// ---------------------------------------------------------------------------------------------------------
// CSV: encoding and delimiter sniffed from the head, then streamed through csv-parse

const DELIMITERS = [',', ';', '\t'] as const;

function detectEncoding(head: Buffer): 'utf-8' | 'utf-8-bom' | 'windows-1258' {
  if (head.subarray(0, 3).equals(UTF8_BOM)) return 'utf-8-bom';
  try {
    // stream: true — a multi-byte sequence cut at the end of the sample is not an error
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1258';
  }
}

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

async function* csvRows(bytes: ByteSource, state: ReportParseSummary, dictionary: HeaderDictionary, fileName: string): AsyncGenerator<SourceRow> {
  await bytes.fill(SNIFF_BYTES);
  const head = bytes.head();
  const encoding = detectEncoding(head);
  state.encoding = encoding;
  state.sheet = basename(fileName);
  const iconvName = encoding === 'windows-1258' ? 'win1258' : 'utf8';
  const headText = nfc(iconv.decode(head, iconvName));
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
      yield { rowNumber, cells };
    }
  } catch (err) {
    if (err instanceof BcciReportFormatError) throw err;
    throw new BcciReportFormatError('UNREADABLE', fileName, `not a readable CSV file (${(err as Error).message})`);
  } finally {
    if (!parser.destroyed) parser.destroy();
  }
}

async function* smallXlsxRows(buffer: Buffer, state: ReportParseSummary, engine: RowEngine, fileName: string): AsyncGenerator<SourceRow> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (err) {
    throw new BcciReportFormatError('UNREADABLE', fileName, `not a readable XLSX file (${(err as Error).message})`);
  }
  // the first sheet in the workbook's order
  const ws = workbook.worksheets[0];
  if (!ws) throw new BcciReportFormatError('UNREADABLE', fileName, 'the XLSX file has no worksheet');
  state.sheet = ws.name;
  engine.date1904 = workbook.properties?.date1904 === true;
  for (let n = 1; n <= ws.rowCount; n++) {
    const row = ws.getRow(n);
    if (!row.hasValues) continue;
    const values = row.values as unknown[];
    const cells: Cell[] = new Array(Math.max(0, values.length - 1));
    for (let i = 1; i < values.length; i++) cells[i - 1] = xlsxCell(values[i]);
    yield { rowNumber: n, cells };
  }
}

// ---------------------------------------------------------------------------------------------------------
// rows → waybills

const FIELDS_OUT: readonly BcciColumn[] = BCCI_COLUMNS;

/** Finds the header row, then turns each data row into a waybill or a bad row, and keeps the counters. */
class RowEngine {
  date1904 = false;
  /** column index → canonical column */
  private header: (BcciColumn | null)[] | null = null;
  /** canonical column → column index */
  private index = new Map<BcciColumn, number>();

  constructor(
    private readonly dictionary: HeaderDictionary,
    private readonly state: ReportParseSummary,
    private readonly fileName: string,
  ) {}

  accept(row: SourceRow): ParsedRow | null {
    if (!this.header) {
      this.findHeader(row);
      return null;
    }
    return this.convert(row);
  }

  finish(): void {
    if (!this.header) {
      throw new BcciReportFormatError('NO_HEADER', this.fileName, `no header row (at least ${this.dictionary.minMatches} known column headers) in the file`);
    }
  }

  private findHeader(row: SourceRow): void {
    if (row.rowNumber > this.dictionary.headerSearchRows) {
      throw new BcciReportFormatError(
        'NO_HEADER',
        this.fileName,
        `no header row (at least ${this.dictionary.minMatches} known column headers) in the first ${this.dictionary.headerSearchRows} rows`,
      );
    }
    const header: (BcciColumn | null)[] = new Array(row.cells.length).fill(null);
    const found = new Map<BcciColumn, number>();
    row.cells.forEach((cell, i) => {
      if (typeof cell !== 'string') return;
      const column = matchHeader(this.dictionary, cell);
      if (column && !found.has(column)) {
        found.set(column, i);
        header[i] = column;
      }
    });
    if (found.size < this.dictionary.minMatches) return;
    const missing = this.dictionary.required.filter((c) => !found.has(c));
    if (missing.length > 0) {
      throw new BcciReportFormatError(
        'MISSING_COLUMNS',
        this.fileName,
        `header row ${row.rowNumber} lacks the required column(s) ${missing.join(', ')}`,
      );
    }
    this.header = header;
    this.index = found;
    this.state.headerRow = row.rowNumber;
    const columns: Record<string, string> = {};
    for (const column of FIELDS_OUT) {
      const i = found.get(column);
      if (i !== undefined) columns[column] = cellText(row.cells[i]);
    }
    this.state.columns = columns;
  }

  private cell(cells: Cell[], column: BcciColumn): Cell {
    const i = this.index.get(column);
    if (i === undefined) return null;
    const c = cells[i];
    return c === undefined ? null : c;
  }

  private text(cells: Cell[], column: BcciColumn): string {
    return cellText(this.cell(cells, column));
  }

  private convert(row: SourceRow): ParsedRow | null {
    const { cells, rowNumber } = row;
    let empty = true;
    for (const c of cells) {
      if (c !== null && c !== undefined && cellText(c) !== '') {
        empty = false;
        break;
      }
    }
    if (empty) return null;

    const sheet = this.state.sheet;
    const waybillId = this.text(cells, 'waybillId');
    if (waybillId === '' ? this.isTotalsRow(cells) : isTotalsLabel(waybillId, true)) {
      this.state.totalsRowSkipped = true;
      return null;
    }
    this.state.dataRows++;
    const bad = (reason: 'MISSING_ID' | 'UNKNOWN_CODE' | 'INVALID_DATE' | 'INVALID_NUMBER', field: BcciColumn, detail: string): ParsedRow => {
      this.state.badRows++;
      return { ok: false, sheet, rowNumber, reason, field, detail, raw: this.raw(cells) };
    };

    if (waybillId === '') return bad('MISSING_ID', 'waybillId', 'the waybill id is empty');
    const directionText = this.text(cells, 'direction');
    const direction = readDirection(directionText);
    if (!direction) return bad('UNKNOWN_CODE', 'direction', directionText === '' ? 'the direction is empty' : `unknown direction "${directionText}"`);
    const accepted = readDate(this.cell(cells, 'acceptedAt'), this.date1904);
    if (!accepted.ok) return bad('INVALID_DATE', 'acceptedAt', accepted.detail);
    const delivered = readDate(this.cell(cells, 'deliveredAt'), this.date1904);
    if (!delivered.ok) return bad('INVALID_DATE', 'deliveredAt', delivered.detail);
    const postage = readNumber(this.cell(cells, 'postage'));
    if (!postage.ok) return bad('INVALID_NUMBER', 'postage', postage.detail);

    const statusText = this.text(cells, 'status');
    const waybill: Waybill = {
      waybillId,
      dossierId: this.text(cells, 'dossierId') || null,
      procedureCode: this.text(cells, 'procedureCode') || null,
      agencyCode: this.text(cells, 'agencyCode') || null,
      direction,
      acceptedAt: accepted.value,
      deliveredAt: delivered.value,
      status: statusText === '' ? null : readStatus(statusText),
      statusText: statusText === '' ? null : statusText,
      postage: postage.value,
    };
    this.state.goodRows++;
    return { ok: true, sheet, rowNumber, waybill };
  }

  /** No waybill id, and a text cell (other than the status) reads "Tổng …"/"Cộng …"/"… tổng cộng …". */
  private isTotalsRow(cells: Cell[]): boolean {
    const statusIndex = this.index.get('status');
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (i === statusIndex || typeof c !== 'string') continue;
      if (isTotalsLabel(c.trim())) return true;
    }
    return false;
  }

  /** The mapped cells of a row as text, by canonical column. */
  private raw(cells: Cell[]): Record<string, string> {
    const raw: Record<string, string> = {};
    for (const [column, i] of this.index) raw[column] = cellText(cells[i] ?? null);
    return raw;
  }
}
