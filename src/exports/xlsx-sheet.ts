import { Workbook, Worksheet } from 'exceljs';
import type { LineageRow } from './province-year-export.service';

export interface SheetColumn<T> {
  header: string;
  width: number;
  value: (row: T) => string | number | null;
}

/** Adds a sheet with a bold, frozen header row and one row per item; null cells stay empty (missing is not zero). */
export function addSheet<T>(book: Workbook, name: string, columns: ReadonlyArray<SheetColumn<T>>, rows: readonly T[]): Worksheet {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(columns.map((c) => c.value(row) ?? null));
  return sheet;
}

/** A two-column sheet of labelled values (title page of a document). */
export function addInfoSheet(book: Workbook, name: string, pairs: ReadonlyArray<[string, string | number | null]>): Worksheet {
  const sheet = book.addWorksheet(name);
  sheet.columns = [{ width: 34 }, { width: 90 }];
  for (const [k, v] of pairs) sheet.addRow([k, v ?? null]);
  sheet.getColumn(1).font = { bold: true };
  return sheet;
}

/** Excel cells hold at most 32,767 characters: long lists are cut with a count of what was left out. */
export function joinCapped(items: readonly string[], max = 30_000): string {
  let text = '';
  for (let i = 0; i < items.length; i++) {
    const next = text ? `${text} ${items[i]}` : items[i];
    if (next.length > max) return `${text} … (+${items.length - i})`;
    text = next;
  }
  return text;
}

export async function toBuffer(book: Workbook): Promise<Buffer> {
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The columns describing one input of a score (evidence record or imported value), in every workbook that lists them. */
export const INPUT_COLUMNS: ReadonlyArray<SheetColumn<LineageRow>> = [
  { header: 'Loại đầu vào', width: 14, value: (r) => (r.inputKind === 'evidence' ? 'Bằng chứng' : 'Giá trị nhập') },
  { header: 'Mã đầu vào', width: 11, value: (r) => r.inputId },
  { header: 'Chỉ tiêu', width: 34, value: (r) => r.metric },
  { header: 'Kỳ', width: 8, value: (r) => r.periodKey },
  { header: 'Phiên bản đầu vào', width: 15, value: (r) => r.inputVersion },
  { header: 'Mã băm bằng chứng', width: 66, value: (r) => r.inputDigest },
  { header: 'Quy tắc đếm', width: 22, value: (r) => r.countingRule },
  { header: 'Nguồn', width: 22, value: (r) => r.sourceKind },
  { header: 'Số bản ghi nguồn', width: 15, value: (r) => r.recordCount },
  { header: 'Dữ liệu gốc (SHA-256)', width: 70, value: (r) => joinCapped(r.rawDigests) },
];
