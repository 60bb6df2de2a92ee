import { BcciColumn, HeaderDictionary, foldText, matchHeader } from './bcci-header-dictionary';
import { Cell, cellText } from './bcci-values';

/**
 * Header rows of BCCI report sheets: one row of column headers, or two rows where a merged group header sits
 * above its parts ("Ngày" over "Chấp nhận" / "Phát", or over "Nhận" / "Trả"). Pure functions: the parser's row
 * engine decides which rows to try.
 */

export interface HeaderMatch {
  /** canonical column → column index */
  columns: Map<BcciColumn, number>;
  /** canonical column → header text as read (joined for two-row headers) */
  texts: Map<BcciColumn, string>;
}

/** Matches each cell of a row against the dictionary; the first cell naming a column wins. */
export function matchHeaderCells(dictionary: HeaderDictionary, cells: readonly string[]): HeaderMatch {
  const columns = new Map<BcciColumn, number>();
  const texts = new Map<BcciColumn, string>();
  cells.forEach((text, i) => {
    if (text === '') return;
    const column = matchHeader(dictionary, text);
    if (column && !columns.has(column)) {
      columns.set(column, i);
      texts.set(column, text);
    }
  });
  return { columns, texts };
}

/**
 * Joins a two-row header into one row of texts. Below a group header the parts are prefixed with it; a group
 * header merged across several columns is carried to the right over the empty cells of the upper row (a
 * streamed workbook leaves merged cells empty; a loaded one repeats the value). A cell merged down (empty below,
 * or the same text below) keeps the upper text; a part with no group above keeps its own text.
 */
export function joinHeaderRows(upper: readonly Cell[], lower: readonly Cell[]): string[] {
  const n = Math.max(upper.length, lower.length);
  const out: string[] = new Array(n);
  let group: string | null = null;
  for (let i = 0; i < n; i++) {
    const u = cellText(upper[i] ?? null);
    const l = cellText(lower[i] ?? null);
    if (u !== '' && l !== '' && u !== l) {
      group = u;
      out[i] = `${u} ${l}`;
    } else if (u !== '') {
      group = null;
      out[i] = u;
    } else if (l !== '') {
      out[i] = group ? `${group} ${l}` : l;
    } else {
      group = null;
      out[i] = '';
    }
  }
  return out;
}

/** The row's cells as trimmed texts (for header matching). */
export function headerTexts(cells: readonly Cell[]): string[] {
  return cells.map((c) => (typeof c === 'string' ? c.trim() : c === null || c === undefined ? '' : cellText(c)));
}

const SUBMISSION_SHEET = /(?:^| )chieu (?:di|gui)(?: |$)/;
const RESULT_SHEET = /(?:^| )chieu (?:ve|tra)(?: |$)/;

/**
 * The direction a sheet's name states, for workbooks that split the month into one sheet per direction
 * ("Chiều đi", "CHIEU VE - T01"), else null.
 */
export function directionOfSheet(sheetName: string): 'submission' | 'result' | null {
  const folded = foldText(sheetName);
  if (SUBMISSION_SHEET.test(folded)) return 'submission';
  if (RESULT_SHEET.test(folded)) return 'result';
  return null;
}
