import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { bufferStream, generateBcciFixture } from './bcci-fixtures.spec-helper';
import { directionOfSheet, joinHeaderRows } from './bcci-header-rows';
import { BcciReportFormatError, loadHeaderDictionary, openBcciReport } from './bcci-report.parser';
import { ParsedRow, ReportParseSummary } from './bcci-report.types';
import { isFooterLabel } from './bcci-values';

/**
 * Layouts of postal report files seen in practice, built here with exceljs (and as text): cover and summary
 * sheets, several data sheets, two-row merged headers, UTF-16 / tab / semicolon text, title and signature rows,
 * and broken files (truncated, password-protected, .xls, empty, another report sent by mistake).
 */

const dictionary = loadHeaderDictionary();

async function parse(bytes: Buffer, fileName: string): Promise<{ rows: ParsedRow[]; summary: ReportParseSummary }> {
  const report = openBcciReport(bufferStream(bytes, 4096), { fileName, dictionary });
  const rows: ParsedRow[] = [];
  for await (const row of report.rows) rows.push(row);
  return { rows, summary: report.summary() };
}

const HEADER = ['STT', 'Mã vận đơn', 'Mã hồ sơ', 'Mã TTHC', 'Chiều', 'Ngày chấp nhận', 'Ngày phát', 'Trạng thái', 'Cước (VNĐ)'];

function dataRow(i: number, direction: string | null = i % 2 === 0 ? 'Chiều đi' : 'Chiều về'): (string | number)[] {
  const row: (string | number)[] = [i + 1, `EB${700000000 + i}VN`, `H44.22-260114-${String(i).padStart(4, '0')}`, '1.001234'];
  if (direction !== null) row.push(direction);
  row.push(`0${1 + (i % 9)}/01/2026 08:30`, `1${i % 9}/01/2026 10:05`, 'Phát thành công', '25.000');
  return row;
}

const SIGNATURE_ROWS: (string | null)[][] = [
  ['Tổng cộng', null, null, null, null, null, null, null, '75.000'],
  [],
  [null, null, null, null, null, 'Quảng Ngãi, ngày 03 tháng 02 năm 2026'],
  [null, 'Người lập biểu', null, null, null, 'Thủ trưởng đơn vị'],
  [null, '(Ký, ghi rõ họ tên)', null, null, null, '(Ký tên, đóng dấu)'],
  [null, 'Nguyễn Văn A', null, null, null, 'Trần Thị B'],
];

async function workbook(build: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function good(rows: ParsedRow[]): Extract<ParsedRow, { ok: true }>[] {
  return rows.filter((r): r is Extract<ParsedRow, { ok: true }> => r.ok);
}

describe('header rows and footer labels', () => {
  it('joins a merged group header over its parts', () => {
    expect(joinHeaderRows(['STT', 'Mã vận đơn', 'Ngày', null, 'Trạng thái'], [null, null, 'Nhận', 'Trả', null])).toEqual(['STT', 'Mã vận đơn', 'Ngày Nhận', 'Ngày Trả', 'Trạng thái']);
    // a loaded workbook repeats a merged value in every cell of the merge
    expect(joinHeaderRows(['Mã vận đơn', 'Ngày', 'Ngày'], ['Mã vận đơn', 'Chấp nhận', 'Phát'])).toEqual(['Mã vận đơn', 'Ngày Chấp nhận', 'Ngày Phát']);
  });

  it('reads a direction from a sheet name', () => {
    expect(directionOfSheet('Chiều đi')).toBe('submission');
    expect(directionOfSheet('CHIEU VE - T01')).toBe('result');
    expect(directionOfSheet('Tổng hợp')).toBeNull();
  });

  it('recognises signature and footer labels, not waybill ids', () => {
    for (const t of ['Người lập biểu', 'NGUOI LAP BIEU', 'Thủ trưởng đơn vị', 'Kế toán trưởng', '(Ký, ghi rõ họ tên)', 'Hà Nội, ngày 3 tháng 2 năm 2026']) expect(isFooterLabel(t)).toBe(true);
    for (const t of ['EB123456789VN', 'Phát thành công', 'Chiều đi', '']) expect(isFooterLabel(t)).toBe(false);
  });
});

describe('workbook layouts', () => {
  it('skips a cover sheet before the data sheet, with a note', async () => {
    const bytes = await workbook((wb) => {
      const cover = wb.addWorksheet('Bìa');
      cover.addRow(['TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM']);
      cover.addRow(['BÁO CÁO KẾT QUẢ DỊCH VỤ BƯU CHÍNH CÔNG ÍCH']);
      cover.addRow(['Tháng 01 năm 2026']);
      const data = wb.addWorksheet('Chi tiết');
      data.addRow(HEADER);
      for (let i = 0; i < 4; i++) data.addRow(dataRow(i));
    });
    const { rows, summary } = await parse(bytes, 'BCCI_44_202601.xlsx');
    expect(good(rows)).toHaveLength(4);
    expect(summary).toMatchObject({ sheet: 'Chi tiết', headerRow: 1, goodRows: 4, badRows: 0 });
    expect(summary.sheets[0]).toMatchObject({ name: 'Bìa', headerRow: null, dataRows: 0 });
    expect(summary.sheets[0].note).toMatch(/cover or summary sheet, skipped/);
  });

  it('reads several data sheets (one per direction, without a direction column) and skips the summary sheet', async () => {
    const bytes = await workbook((wb) => {
      const summary = wb.addWorksheet('Tổng hợp');
      summary.addRow(['Chiều', 'Số lượng', 'Cước']);
      summary.addRow(['Chiều đi', 3, 75000]);
      for (const [name, n, offset] of [['Chiều đi', 3, 0], ['Chiều về', 2, 100]] as const) {
        const ws = wb.addWorksheet(name);
        ws.addRow(['BÁO CÁO ' + name.toUpperCase()]);
        ws.addRow(HEADER.filter((h) => h !== 'Chiều'));
        for (let i = 0; i < n; i++) ws.addRow(dataRow(offset + i, null));
      }
    });
    const { rows, summary } = await parse(bytes, 'BCCI_44_202601.xlsx');
    const read = good(rows);
    expect(read.map((r) => [r.sheet, r.waybill.direction, r.rowNumber])).toEqual([
      ['Chiều đi', 'submission', 3],
      ['Chiều đi', 'submission', 4],
      ['Chiều đi', 'submission', 5],
      ['Chiều về', 'result', 3],
      ['Chiều về', 'result', 4],
    ]);
    expect(summary.sheets.map((s) => [s.name, s.headerRow, s.dataRows])).toEqual([['Tổng hợp', null, 0], ['Chiều đi', 2, 3], ['Chiều về', 2, 2]]);
    expect(summary.sheets[1].note).toMatch(/from the sheet's name/);
  });

  it('joins a two-row merged header ("Ngày" over "Nhận" / "Trả"), loaded and streamed', async () => {
    for (const rowsInFile of [3, 30_000]) {
      const bytes = await workbook((wb) => {
        const ws = wb.addWorksheet('BaoCao');
        ws.addRow(['BÁO CÁO DỊCH VỤ BƯU CHÍNH CÔNG ÍCH']);
        ws.addRow(['STT', 'Mã vận đơn', 'Mã hồ sơ', 'Mã TTHC', 'Chiều', 'Ngày', null, 'Trạng thái', 'Cước (VNĐ)']);
        ws.addRow([null, null, null, null, null, 'Nhận', 'Trả', null, null]);
        for (const col of ['A', 'B', 'C', 'D', 'E', 'H', 'I']) ws.mergeCells(`${col}2:${col}3`);
        ws.mergeCells('F2:G2');
        for (let i = 0; i < rowsInFile; i++) ws.addRow(dataRow(i));
      });
      if (rowsInFile > 3) expect(bytes.length).toBeGreaterThan(1024 * 1024); // the streaming reader's path
      const { rows, summary } = await parse(bytes, 'BCCI_44_202601.xlsx');
      expect(summary).toMatchObject({ headerRow: 3, goodRows: rowsInFile, badRows: 0 });
      expect(summary.columns).toMatchObject({ acceptedAt: 'Ngày Nhận', deliveredAt: 'Ngày Trả', waybillId: 'Mã vận đơn' });
      const first = good(rows)[0];
      expect(first.rowNumber).toBe(4);
      expect(first.waybill.acceptedAt).toEqual(new Date('2026-01-01T01:30:00Z'));
      expect(first.waybill.deliveredAt).toEqual(new Date('2026-01-10T03:05:00Z'));
    }
  }, 60_000);

  it('skips the totals row and the signature block (labels, dates, signers) without quarantining them', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('BaoCao');
      ws.addRow(['BƯU ĐIỆN TỈNH QUẢNG NGÃI']);
      ws.addRow(['BÁO CÁO THÁNG 01/2026']);
      ws.addRow([]);
      ws.addRow(HEADER);
      for (let i = 0; i < 3; i++) ws.addRow(dataRow(i));
      for (const r of SIGNATURE_ROWS) ws.addRow(r);
    });
    const { rows, summary } = await parse(bytes, 'BCCI_44_202601.xlsx');
    expect(rows.every((r) => r.ok)).toBe(true);
    expect(summary).toMatchObject({ headerRow: 4, dataRows: 3, goodRows: 3, badRows: 0, totalsRowSkipped: true, footerRowsSkipped: 4 });
  });

  it('rejects a workbook whose data sheet lacks a required column, naming it', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('BaoCao');
      ws.addRow(HEADER.filter((h) => h !== 'Ngày phát'));
      ws.addRow(dataRow(0).filter((_, k) => k !== 6));
    });
    const err = await parse(bytes, 'BCCI_44_202601.xlsx').catch((e) => e);
    expect(err).toBeInstanceOf(BcciReportFormatError);
    expect(err).toMatchObject({ code: 'MISSING_COLUMNS' });
    expect(err.message).toMatch(/deliveredAt \(Ngày phát\)/);
  });

  it('rejects another report sent by mistake (no waybill column), naming the column', async () => {
    const bytes = await workbook((wb) => {
      const ws = wb.addWorksheet('Sheet1');
      ws.addRow(['STT', 'Mã hồ sơ', 'Mã TTHC', 'Chiều', 'Ngày chấp nhận', 'Trạng thái']);
      ws.addRow([1, 'H44.22-260114-0001', '1.001234', 'Chiều đi', '01/01/2026', 'Đã tiếp nhận']);
    });
    await expect(parse(bytes, 'BCCI_44_202601.xlsx')).rejects.toMatchObject({ code: 'MISSING_COLUMNS', message: expect.stringMatching(/waybillId/) });
  });
});

describe('text layouts', () => {
  const lines = (delimiter: string): string[] => [
    'BÁO CÁO DỊCH VỤ BƯU CHÍNH CÔNG ÍCH',
    '',
    HEADER.join(delimiter),
    ...[0, 1, 2].map((i) => dataRow(i).join(delimiter)),
    ['Tổng cộng', '', '', '', '', '', '', '', '75.000'].join(delimiter),
    ['', 'Người lập biểu', '', '', '', 'Thủ trưởng đơn vị'].join(delimiter),
    ['', 'Nguyễn Văn A', '', '', '', 'Trần Thị B'].join(delimiter),
  ];

  it('reads UTF-16 LE and BE with a byte-order mark, tab-separated ("Unicode text" from Excel)', async () => {
    const text = lines('\t').join('\r\n') + '\r\n';
    for (const [encoding, bytes] of [
      ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')])],
      ['utf-16be', Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf16be')])],
    ] as const) {
      const { rows, summary } = await parse(bytes, 'BCCI_44_202601.txt');
      expect(summary).toMatchObject({ format: 'csv', encoding, headerRow: 3, goodRows: 3, badRows: 0, totalsRowSkipped: true, footerRowsSkipped: 2 });
      expect(good(rows)[0].waybill).toMatchObject({ waybillId: 'EB700000000VN', direction: 'submission', statusText: 'Phát thành công', postage: 25000 });
    }
  });

  it('reads tab- and semicolon-separated UTF-8 text with title rows and a signature block', async () => {
    for (const delimiter of ['\t', ';']) {
      const { rows, summary } = await parse(Buffer.from(lines(delimiter).join('\n'), 'utf8'), 'BCCI_44_202601.csv');
      expect(rows.every((r) => r.ok)).toBe(true);
      expect(summary).toMatchObject({ headerRow: 3, goodRows: 3, totalsRowSkipped: true, footerRowsSkipped: 2 });
    }
  });

  it('joins a two-row header in text exported from a merged sheet', async () => {
    const text = ['STT,Mã vận đơn,Mã hồ sơ,Chiều,Ngày,,Trạng thái', ',,,,Chấp nhận,Phát,', '1,EB1VN,H1,Chiều về,01/01/2026 08:00,02/01/2026 09:00,Chuyển hoàn'].join('\n');
    const { rows, summary } = await parse(Buffer.from(text, 'utf8'), 'x.csv');
    expect(summary).toMatchObject({ headerRow: 2, goodRows: 1 });
    expect(good(rows)[0].waybill).toMatchObject({ direction: 'result', status: 'returned', deliveredAt: new Date('2026-01-02T02:00:00Z') });
  });
});

describe('broken files are refused with their reason', () => {
  it('a truncated workbook', async () => {
    for (const rows of [5, 20_000]) {
      const whole = await generateBcciFixture({ format: 'xlsx', rows });
      const err = await parse(whole.subarray(0, Math.floor(whole.length * 0.6)), 'BCCI_44_202601.xlsx').catch((e) => e);
      expect(err).toBeInstanceOf(BcciReportFormatError);
      expect(err.message).toMatch(/truncated or damaged|no worksheet/);
    }
  }, 60_000);

  it('a password-protected workbook, an Excel 97–2003 file, an empty file', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(2048, 0)]);
    await expect(parse(ole, 'BCCI_44_202601.xlsx')).rejects.toMatchObject({ code: 'ENCRYPTED', message: expect.stringMatching(/password-protected/) });
    await expect(parse(ole, 'BCCI_44_202601.xls')).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT', message: expect.stringMatching(/97–2003/) });
    await expect(parse(Buffer.alloc(0), 'BCCI_44_202601.csv')).rejects.toMatchObject({ code: 'EMPTY' });
  });

  it('a file named .xlsx that is not a workbook', async () => {
    await expect(parse(Buffer.from('<html>502 Bad Gateway</html>'), 'BCCI_44_202601.xlsx')).rejects.toMatchObject({ code: 'UNREADABLE' });
  });
});
