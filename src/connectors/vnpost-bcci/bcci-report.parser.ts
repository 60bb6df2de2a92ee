import { extname } from 'node:path';
import { Readable } from 'node:stream';
import { BCCI_COLUMNS, BcciColumn, HeaderDictionary } from './bcci-header-dictionary';
import { HeaderMatch, directionOfSheet, headerTexts, joinHeaderRows, matchHeaderCells } from './bcci-header-rows';
import { BcciReportFormatError } from './bcci-report.errors';
import { ByteSource, OLE_MAGIC, SourceInfo, SourceRow, ZIP_MAGIC, csvRows, xlsxRows } from './bcci-report.sources';
import { ParsedRow, ReportParseSummary, SheetSummary, Waybill, WaybillDirection } from './bcci-report.types';
import { Cell, cellText, isFooterLabel, isTotalsLabel, readDate, readDirection, readNumber, readStatus } from './bcci-values';

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
export { BcciReportFormatError } from './bcci-report.errors';
export type { BcciReportErrorCode } from './bcci-report.errors';

/**
 * Streaming, bounded-memory parser of BCCI report files: XLSX (every worksheet: cover and summary sheets are
 * skipped with a note, each data sheet is read) or CSV/text (UTF-8 with or without BOM, UTF-16 with BOM,
 * Windows-1258; comma, semicolon or tab). Rows are yielded one at a time; nothing but the header and counters
 * is kept.
 */

export interface BcciParseOptions {
  fileName: string;
  format?: 'xlsx' | 'csv';
  dictionary: HeaderDictionary;
}

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
    footerRowsSkipped: 0,
    sheets: [],
  };

  async function* run(): AsyncGenerator<ParsedRow> {
    const bytes = new ByteSource(source);
    try {
      await bytes.fill(OLE_MAGIC.length);
      const format = sniffFormat(bytes.head(), options.format ?? formatFromName(fileName), fileName);
      state.format = format;
      const info: SourceInfo = { encoding: null, date1904: false };
      const engine = new RowEngine(options.dictionary, state, info, fileName);
      const rows = format === 'xlsx' ? xlsxRows(bytes, info, fileName) : csvRows(bytes, info, options.dictionary, fileName);
      for await (const row of rows) {
        state.encoding = info.encoding;
        const parsed = engine.accept(row);
        if (parsed) yield parsed;
      }
      engine.finish();
    } finally {
      bytes.close();
    }
  }

  return { rows: run(), summary: () => ({ ...state, columns: { ...state.columns }, sheets: state.sheets.map((s) => ({ ...s })) }) };
}

function formatFromName(fileName: string): 'xlsx' | 'csv' | undefined {
  const ext = extname(fileName).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  return undefined;
}

/** The format from the first bytes: a ZIP package is XLSX; an OLE2 container is refused with the reason. */
function sniffFormat(head: Buffer, declared: 'xlsx' | 'csv' | undefined, fileName: string): 'xlsx' | 'csv' {
  if (head.length === 0) throw new BcciReportFormatError('EMPTY', fileName, 'the file is empty');
  if (head.subarray(0, OLE_MAGIC.length).equals(OLE_MAGIC)) {
    if (extname(fileName).toLowerCase() === '.xls') {
      throw new BcciReportFormatError('UNSUPPORTED_FORMAT', fileName, 'an Excel 97–2003 (.xls) workbook: not supported, the file must be sent as XLSX or CSV');
    }
    throw new BcciReportFormatError('ENCRYPTED', fileName, 'a password-protected (encrypted) workbook or an Excel 97–2003 file: cannot be read, the file must be sent unprotected as XLSX or CSV');
  }
  if (head.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) return 'xlsx';
  if (declared === 'xlsx') throw new BcciReportFormatError('UNREADABLE', fileName, 'not an XLSX file (no ZIP signature)');
  return 'csv';
}

// ---------------------------------------------------------------------------------------------------------
// rows → waybills

interface SheetState {
  summary: SheetSummary;
  /** column index → canonical column, once the header is known */
  index: Map<BcciColumn, number> | null;
  /** the direction the sheet's name states, used when the sheet has no direction column */
  direction: WaybillDirection | null;
  /** a one-row header found, kept until the next row shows whether it is the upper half of a two-row header */
  pending: { match: HeaderMatch; rowNumber: number } | null;
  previous: Cell[] | null;
  /** header search gave up: the rest of the sheet is ignored */
  skipped: boolean;
  /** below a totals or signature row: rows without a waybill are footer lines */
  inFooter: boolean;
}

/**
 * Per sheet: finds the header row (one row, or two joined rows) among the first rows, or skips the sheet with a
 * note; then turns each data row into a waybill or a bad row, and skips totals, signature and footer rows.
 */
class RowEngine {
  private sheet: SheetState | null = null;
  /** a sheet whose header lacks the waybill id column (reported when no sheet has data) */
  private lackingId: string | null = null;

  constructor(
    private readonly dictionary: HeaderDictionary,
    private readonly state: ReportParseSummary,
    private readonly info: SourceInfo,
    private readonly fileName: string,
  ) {}

  accept(row: SourceRow): ParsedRow | null {
    if (!this.sheet || this.sheet.summary.name !== row.sheet) this.startSheet(row.sheet);
    const sheet = this.sheet!;
    if (sheet.skipped) return null;
    if (!sheet.index) return this.findHeader(sheet, row);
    return this.convert(sheet, row);
  }

  finish(): void {
    const sheet = this.sheet;
    if (sheet && !sheet.index && sheet.pending) this.adopt(sheet, sheet.pending.match, sheet.pending.rowNumber);
    if (sheet && !sheet.index && !sheet.skipped) this.skipSheet(sheet, this.noHeaderNote());
    if (this.state.sheets.some((s) => s.headerRow !== null)) return;
    if (this.lackingId) {
      throw new BcciReportFormatError('MISSING_COLUMNS', this.fileName, `${this.lackingId}: the required column waybillId (Mã vận đơn) was not found`);
    }
    throw new BcciReportFormatError('NO_HEADER', this.fileName, `no data sheet: ${this.state.sheets.map((s) => `${s.name}: ${s.note}`).join('; ') || 'the file has no rows'}`);
  }

  private noHeaderNote(): string {
    return `no header row (at least ${this.dictionary.minMatches} known column headers) in the first ${this.dictionary.headerSearchRows} rows: cover or summary sheet, skipped`;
  }

  private startSheet(name: string): void {
    if (this.sheet) this.finishSheet(this.sheet);
    const summary: SheetSummary = { name, headerRow: null, dataRows: 0, note: null };
    this.state.sheets.push(summary);
    this.sheet = { summary, index: null, direction: directionOfSheet(name), pending: null, previous: null, skipped: false, inFooter: false };
  }

  private finishSheet(sheet: SheetState): void {
    if (!sheet.index && sheet.pending) this.adopt(sheet, sheet.pending.match, sheet.pending.rowNumber);
    if (!sheet.index && !sheet.skipped) this.skipSheet(sheet, this.noHeaderNote());
  }

  private skipSheet(sheet: SheetState, note: string): void {
    sheet.skipped = true;
    sheet.summary.note = note;
  }

  private findHeader(sheet: SheetState, row: SourceRow): ParsedRow | null {
    const single = matchHeaderCells(this.dictionary, headerTexts(row.cells));
    const joined = sheet.previous ? matchHeaderCells(this.dictionary, joinHeaderRows(sheet.previous, row.cells)) : null;
    if (sheet.pending) {
      // the row below a header: the lower half of a two-row header, or the first data row
      if (joined && joined.columns.size > sheet.pending.match.columns.size) {
        this.adopt(sheet, joined, row.rowNumber);
        return null;
      }
      this.adopt(sheet, sheet.pending.match, sheet.pending.rowNumber);
      return sheet.index ? this.convert(sheet, row) : null;
    }
    if (row.rowNumber > this.dictionary.headerSearchRows) {
      this.skipSheet(sheet, this.noHeaderNote());
      return null;
    }
    sheet.previous = row.cells;
    if (joined && joined.columns.size > single.columns.size && joined.columns.size >= this.dictionary.minMatches) {
      this.adopt(sheet, joined, row.rowNumber);
    } else if (single.columns.size >= this.dictionary.minMatches) {
      sheet.pending = { match: single, rowNumber: row.rowNumber };
    }
    return null;
  }

  /** Takes a header: checks the required columns (naming the missing ones), or skips a sheet without waybills. */
  private adopt(sheet: SheetState, match: HeaderMatch, rowNumber: number): void {
    sheet.pending = null;
    const where = `sheet "${sheet.summary.name}", header row ${rowNumber}`;
    if (!match.columns.has('waybillId')) {
      this.lackingId ??= where;
      this.skipSheet(sheet, `${where} has no waybill id column (Mã vận đơn): not a data sheet, skipped`);
      return;
    }
    const missing = this.dictionary.required.filter((c) => !match.columns.has(c) && !(c === 'direction' && sheet.direction));
    if (missing.length > 0) {
      const named = missing.map((c) => `${c} (${this.dictionary.columns[c][0] ?? c})`).join(', ');
      throw new BcciReportFormatError('MISSING_COLUMNS', this.fileName, `${where} lacks the required column(s) ${named}`);
    }
    sheet.index = match.columns;
    sheet.summary.headerRow = rowNumber;
    if (!match.columns.has('direction') && sheet.direction) sheet.summary.note = `no direction column: every row is ${sheet.direction} (from the sheet's name)`;
    if (this.state.headerRow === 0) {
      this.state.sheet = sheet.summary.name;
      this.state.headerRow = rowNumber;
      const columns: Record<string, string> = {};
      for (const column of BCCI_COLUMNS) {
        const text = match.texts.get(column);
        if (text !== undefined) columns[column] = text;
      }
      this.state.columns = columns;
    }
  }

  private cell(sheet: SheetState, cells: Cell[], column: BcciColumn): Cell {
    const i = sheet.index!.get(column);
    if (i === undefined) return null;
    const c = cells[i];
    return c === undefined ? null : c;
  }

  private text(sheet: SheetState, cells: Cell[], column: BcciColumn): string {
    return cellText(this.cell(sheet, cells, column));
  }

  private convert(sheet: SheetState, row: SourceRow): ParsedRow | null {
    const { cells, rowNumber } = row;
    let empty = true;
    for (const c of cells) {
      if (c !== null && c !== undefined && cellText(c) !== '') {
        empty = false;
        break;
      }
    }
    if (empty) return null;

    const name = sheet.summary.name;
    const waybillId = this.text(sheet, cells, 'waybillId');
    if (waybillId === '' ? this.isTotalsRow(sheet, cells) : isTotalsLabel(waybillId, true)) {
      this.state.totalsRowSkipped = true;
      sheet.inFooter = true;
      return null;
    }
    if (this.isFooterRow(sheet, cells, waybillId)) {
      this.state.footerRowsSkipped++;
      sheet.inFooter = true;
      return null;
    }
    this.state.dataRows++;
    sheet.summary.dataRows++;
    const bad = (reason: 'MISSING_ID' | 'UNKNOWN_CODE' | 'INVALID_DATE' | 'INVALID_NUMBER', field: BcciColumn, detail: string): ParsedRow => {
      this.state.badRows++;
      return { ok: false, sheet: name, rowNumber, reason, field, detail, raw: this.raw(sheet, cells) };
    };

    if (waybillId === '') return bad('MISSING_ID', 'waybillId', 'the waybill id is empty');
    let direction: WaybillDirection | null;
    if (sheet.index!.has('direction')) {
      const directionText = this.text(sheet, cells, 'direction');
      direction = readDirection(directionText);
      if (!direction) return bad('UNKNOWN_CODE', 'direction', directionText === '' ? 'the direction is empty' : `unknown direction "${directionText}"`);
    } else direction = sheet.direction!;
    const accepted = readDate(this.cell(sheet, cells, 'acceptedAt'), this.info.date1904);
    if (!accepted.ok) return bad('INVALID_DATE', 'acceptedAt', accepted.detail);
    const delivered = readDate(this.cell(sheet, cells, 'deliveredAt'), this.info.date1904);
    if (!delivered.ok) return bad('INVALID_DATE', 'deliveredAt', delivered.detail);
    const postage = readNumber(this.cell(sheet, cells, 'postage'));
    if (!postage.ok) return bad('INVALID_NUMBER', 'postage', postage.detail);

    const statusText = this.text(sheet, cells, 'status');
    const waybill: Waybill = {
      waybillId,
      dossierId: this.text(sheet, cells, 'dossierId') || null,
      procedureCode: this.text(sheet, cells, 'procedureCode') || null,
      agencyCode: this.text(sheet, cells, 'agencyCode') || null,
      direction,
      acceptedAt: accepted.value,
      deliveredAt: delivered.value,
      status: statusText === '' ? null : readStatus(statusText),
      statusText: statusText === '' ? null : statusText,
      postage: postage.value,
    };
    this.state.goodRows++;
    return { ok: true, sheet: name, rowNumber, waybill };
  }

  /** No waybill id, and a text cell (other than the status) reads "Tổng …"/"Cộng …"/"… tổng cộng …". */
  private isTotalsRow(sheet: SheetState, cells: Cell[]): boolean {
    const statusIndex = sheet.index!.get('status');
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (i === statusIndex || typeof c !== 'string') continue;
      if (isTotalsLabel(c.trim())) return true;
    }
    return false;
  }

  /**
   * A signature or footer line: a cell reads "Người lập biểu", "Thủ trưởng đơn vị", "(Ký, ghi rõ họ tên)", a
   * place and date line …, with no waybill id beside it; and, below the totals or a signature line, a row with
   * no known direction and no digit in its waybill cell (the signers' names).
   */
  private isFooterRow(sheet: SheetState, cells: Cell[], waybillId: string): boolean {
    if (waybillId === '' || isFooterLabel(waybillId)) {
      for (const c of cells) if (typeof c === 'string' && isFooterLabel(c.trim())) return true;
    }
    if (!sheet.inFooter) return false;
    return !/\d/.test(waybillId) && readDirection(this.text(sheet, cells, 'direction')) === null;
  }

  /** The mapped cells of a row as text, by canonical column. */
  private raw(sheet: SheetState, cells: Cell[]): Record<string, string> {
    const raw: Record<string, string> = {};
    for (const [column, i] of sheet.index!) raw[column] = cellText(cells[i] ?? null);
    return raw;
  }
}
