import PDFDocument from 'pdfkit';
import { resolve } from 'node:path';

/**
 * DejaVu Sans (assets/fonts, with its licence) covers every Vietnamese letter and tone mark; the PDF core fonts
 * do not. The fonts are embedded (subset) in each document.
 */
const FONT_DIR = resolve(__dirname, '..', '..', 'assets', 'fonts');
export const FONTS = { body: resolve(FONT_DIR, 'DejaVuSans.ttf'), bold: resolve(FONT_DIR, 'DejaVuSans-Bold.ttf') };

export type Pdf = PDFKit.PDFDocument;

/** Builds an A4 PDF with the embedded fonts registered as `body` and `bold`; resolves with its bytes. */
export function renderPdf(info: { title: string; subject?: string }, draw: (doc: Pdf) => void): Promise<Buffer> {
  return new Promise((resolvePdf, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: info.title, ...(info.subject ? { Subject: info.subject } : {}), Creator: 'PAR Evidence Hub' }, bufferPages: true });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolvePdf(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('body', FONTS.body);
    doc.registerFont('bold', FONTS.bold);
    doc.font('body');
    try {
      draw(doc);
      // page numbers, once every page exists
      const range = doc.bufferedPageRange();
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        // inside the bottom margin: without this, pdfkit would open a new page for the footer
        const bottom = doc.page.margins.bottom;
        doc.page.margins.bottom = 0;
        doc.font('body').fontSize(8).fillColor('#555').text(`Trang ${i + 1}/${range.count}`, 40, doc.page.height - 30, { align: 'right', width: doc.page.width - 80, lineBreak: false });
        doc.page.margins.bottom = bottom;
      }
      doc.end();
    } catch (error) {
      reject(error);
    }
  });
}

/** A heading, then label: value lines. */
export function keyValues(doc: Pdf, pairs: ReadonlyArray<[string, string]>): void {
  for (const [k, v] of pairs) {
    doc.font('bold').fontSize(10).fillColor('black').text(`${k}: `, { continued: true });
    doc.font('body').text(v);
  }
}

export function heading(doc: Pdf, text: string, size = 12): void {
  doc.moveDown(0.6).font('bold').fontSize(size).fillColor('black').text(text).moveDown(0.3);
}

/**
 * A table with a bold header row (repeated on each new page); columns by width (points), cells wrapped.
 * Drawn by hand: pdfkit's own table layout took seconds for fifty rows.
 */
export function table(doc: Pdf, widths: number[], header: string[], rows: string[][]): void {
  const left = doc.page.margins.left;
  const pad = 3;
  const size = 8.5;
  const heightOf = (cells: string[], font: string) => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((c, i) => doc.heightOfString(c || ' ', { width: widths[i] - 2 * pad }))) + 2 * pad;
  };
  const drawRow = (cells: string[], font: string, fill?: string) => {
    const h = heightOf(cells, font);
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      if (cells !== header) drawRow(header, 'bold', HEADER_FILL);
    }
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      if (fill) doc.rect(x, y, widths[i], h).fill(fill);
      doc.lineWidth(0.5).strokeColor('#888').rect(x, y, widths[i], h).stroke();
      doc.fillColor('black').font(font).fontSize(size).text(c, x + pad, y + pad, { width: widths[i] - 2 * pad });
      x += widths[i];
    });
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(header, 'bold', HEADER_FILL);
  for (const row of rows) drawRow(row, 'body');
  doc.moveDown(0.3);
}

const HEADER_FILL = '#e8eef6';
