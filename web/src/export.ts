import { downloadBlob, downloadCsv } from './ui';

export interface ExportTable {
  name: string;
  header: string[];
  rows: Array<Array<string | number | null>>;
}

/** Exports what is on screen: CSV at once, XLSX through exceljs (loaded only when asked for). */
export async function exportTable(table: ExportTable, format: 'csv' | 'xlsx'): Promise<void> {
  if (format === 'csv') return downloadCsv(`${table.name}.csv`, table.header, table.rows);
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(table.name.slice(0, 31));
  sheet.addRow(table.header).font = { bold: true };
  for (const row of table.rows) sheet.addRow(row);
  const buffer = await book.xlsx.writeBuffer();
  downloadBlob(`${table.name}.xlsx`, new Blob([buffer], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
}
