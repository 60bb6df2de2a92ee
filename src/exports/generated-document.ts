import { Workbook } from 'exceljs';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../scoring/catalogue/canonical-json';
import { SubCriterion } from '../scoring/catalogue';
import { KIND_VI, STATUS_VI, label, vietnamTime, viNumber } from './export-labels';
import { heading, keyValues, renderPdf, table } from './pdf-document';
import { CatalogueCard, LineageRow } from './province-year-export.service';
import { INPUT_COLUMNS, addInfoSheet, addSheet, toBuffer } from './xlsx-sheet';

/** Sub-criteria a document can be generated for: filled from data (evidence or imported values), with a score. */
export const GENERATED_STATUSES = ['auto_filled', 'stale', 'no_data'] as const;

export interface SourceRun {
  id: string;
  connectorName: string;
  kind: string;
  windowFrom: Date;
  windowTo: Date;
  status: string;
  fetched: number;
  normalised: number;
  quarantined: number;
}

/** What a generated evidence document states, and the digest that binds it to the stored evidence. */
export interface GeneratedDocument {
  fileBase: string;
  provinceCode: string;
  provinceName: string;
  year: number;
  catalogue: string;
  item: CatalogueCard['items'][number];
  rule: unknown;
  inputs: LineageRow[];
  runs: SourceRun[];
  /** SHA-256 of the canonical JSON of the score and input digests this document states */
  evidenceDigest: string;
  /** the transparency-log checkpoint covering the score, when a log is configured */
  checkpoint: string | null;
  generatedAt: Date;
}

export function documentFileBase(code: string, provinceCode: string, year: number): string {
  return `TCTP-${code}_${provinceCode}_${year}`;
}

export function generatedDocument(args: Omit<GeneratedDocument, 'fileBase' | 'evidenceDigest' | 'rule'> & { subCriterion: SubCriterion }): GeneratedDocument {
  const { subCriterion, ...rest } = args;
  const evidenceDigest = createHash('sha256')
    .update(canonicalJson({ score: { id: args.item.scoreId, version: args.item.version, ruleDigest: args.item.ruleDigest }, inputs: args.inputs.map((i) => [i.inputKind, i.inputId, i.inputVersion, i.inputDigest, i.rawDigests]) }))
    .digest('hex');
  return { ...rest, fileBase: documentFileBase(args.item.subCriterion, args.provinceCode, args.year), rule: subCriterion.rule ?? null, evidenceDigest };
}

const period = (d: GeneratedDocument) => `năm ${d.year} (01/01/${d.year} – 31/12/${d.year}, giờ Việt Nam)`;

function facts(d: GeneratedDocument): Array<[string, string]> {
  return [
    ['Đơn vị', `Sở Nội vụ ${d.provinceName} (mã ${d.provinceCode})`],
    ['Tiêu chí thành phần', `${d.item.subCriterion} — ${d.item.title}`],
    ['Bộ tiêu chí', d.catalogue],
    ['Kỳ đánh giá', period(d)],
    ['Loại', label(KIND_VI, d.item.kind)],
    ['Trạng thái', label(STATUS_VI, d.item.status)],
    ['Giá trị', d.item.value === null ? 'không có dữ liệu' : viNumber(d.item.value)],
    ['Điểm', `${d.item.points === null ? '—' : viNumber(d.item.points)} / ${viNumber(d.item.maxPoints)}`],
    ['Quy tắc (mã băm)', d.item.ruleDigest ?? ''],
    ['Mã băm bằng chứng (SHA-256)', d.evidenceDigest],
    ['Điểm kiểm tra sổ cái', d.checkpoint ?? 'chưa cấu hình sổ cái minh bạch'],
    ['Thời điểm tạo (giờ Việt Nam)', vietnamTime(d.generatedAt)],
  ];
}

/** The generated evidence document as a PDF. */
export function generatedDocumentPdf(d: GeneratedDocument): Promise<Buffer> {
  return renderPdf({ title: `Tài liệu kiểm chứng ${d.item.subCriterion} — ${d.provinceName} — ${d.year}`, subject: d.catalogue }, (doc) => {
    doc.font('bold').fontSize(14).text('TÀI LIỆU KIỂM CHỨNG TỰ ĐỘNG', { align: 'center' });
    doc.font('body').fontSize(10).text(`Tiêu chí thành phần ${d.item.subCriterion} — Chỉ số cải cách hành chính năm ${d.year}`, { align: 'center' }).moveDown(0.8);
    keyValues(doc, facts(d));
    heading(doc, 'Quy tắc tính điểm');
    doc.font('body').fontSize(8).text(canonicalJson(d.rule));
    heading(doc, 'Số liệu đầu vào');
    table(
      doc,
      [150, 55, 90, 60, 160],
      ['Chỉ tiêu', 'Kỳ', 'Nguồn', 'Số bản ghi', 'Mã băm'],
      d.inputs.map((i) => [i.metric, i.periodKey, i.sourceKind, viNumber(i.recordCount), i.inputDigest ?? i.rawDigests[0] ?? '']),
    );
    heading(doc, 'Nguồn dữ liệu (lượt thu thập)');
    table(
      doc,
      [110, 90, 150, 60, 105],
      ['Kết nối', 'Loại', 'Khoảng thời gian', 'Bản ghi', 'Mã lượt'],
      d.runs.map((r) => [r.connectorName, r.kind, `${vietnamTime(r.windowFrom)} – ${vietnamTime(r.windowTo)}`, `${r.normalised} (${r.quarantined} cách ly)`, r.id]),
    );
    doc.moveDown(0.5).font('body').fontSize(8).text('Tài liệu này được tạo tự động từ dữ liệu lưu trữ; mỗi số liệu truy được đến dữ liệu gốc theo mã băm SHA-256.');
  });
}

/** The generated evidence document as a workbook (summary, inputs, source runs). */
export async function generatedDocumentXlsx(d: GeneratedDocument): Promise<Buffer> {
  const book = new Workbook();
  book.creator = 'PAR Evidence Hub';
  addInfoSheet(book, 'Tài liệu kiểm chứng', [...facts(d), ['Quy tắc tính điểm', canonicalJson(d.rule)]]);
  addSheet<LineageRow>(book, 'Số liệu đầu vào', INPUT_COLUMNS, d.inputs);
  addSheet<SourceRun>(book, 'Nguồn dữ liệu', [
    { header: 'Mã lượt thu thập', width: 38, value: (r) => r.id },
    { header: 'Kết nối', width: 24, value: (r) => r.connectorName },
    { header: 'Loại', width: 18, value: (r) => r.kind },
    { header: 'Từ', width: 17, value: (r) => vietnamTime(r.windowFrom) },
    { header: 'Đến', width: 17, value: (r) => vietnamTime(r.windowTo) },
    { header: 'Trạng thái', width: 12, value: (r) => r.status },
    { header: 'Đã nhận', width: 10, value: (r) => r.fetched },
    { header: 'Đã chuẩn hoá', width: 13, value: (r) => r.normalised },
    { header: 'Cách ly', width: 9, value: (r) => r.quarantined },
  ], d.runs);
  return toBuffer(book);
}
