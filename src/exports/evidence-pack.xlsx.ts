import { Workbook } from 'exceljs';
import { APPRAISAL_STATE_VI, DIRECTION_VI, KIND_VI, STATUS_VI, label, vietnamTime } from './export-labels';
import { LineageRow, ProvinceYearExport } from './province-year-export.service';
import { INPUT_COLUMNS, addInfoSheet, addSheet, joinCapped, toBuffer } from './xlsx-sheet';

/** The evidence pack of a province-year as a workbook: information, scorecard, evidence, lineage and findings sheets. */
export async function evidencePackXlsx(data: ProvinceYearExport): Promise<Buffer> {
  const book = new Workbook();
  book.creator = 'PAR Evidence Hub';
  book.created = data.generatedAt;
  const { card, appraisal } = data;
  addInfoSheet(book, 'Thông tin', [
    ['Đơn vị', `Sở Nội vụ ${data.province.name} (mã ${data.province.code})`],
    ['Năm đánh giá', data.year],
    ['Bộ tiêu chí', `${data.catalogue.title} (${card.catalogue})`],
    ['Tổng điểm (từ dữ liệu và tài liệu được chấp nhận)', card.totals.points],
    ['Điểm tối đa', card.totals.maxPoints],
    ['Tỷ lệ điểm có dữ liệu', card.coverage.share],
    ['Trạng thái thẩm định', label(APPRAISAL_STATE_VI, appraisal.state)],
    ['Mã băm tập bằng chứng (SHA-256)', appraisal.evidenceSetDigest],
    ['Phê duyệt còn hiệu lực', appraisal.approval ? (appraisal.approval.stale ? 'Không — bằng chứng đã thay đổi sau phê duyệt' : 'Có') : 'Chưa phê duyệt'],
    ['Thời điểm xuất (giờ Việt Nam)', vietnamTime(data.generatedAt)],
  ]);
  type Item = (typeof card.items)[number] & { attachment?: { title: string; review: { decision: string; points: number | null; reason: string | null } | null } | null };
  addSheet<Item>(book, 'Bảng điểm', [
    { header: 'Mã tiêu chí', width: 10, value: (i) => i.subCriterion },
    { header: 'Tiêu chí thành phần', width: 60, value: (i) => i.title },
    { header: 'Lĩnh vực', width: 9, value: (i) => i.field },
    { header: 'Loại', width: 22, value: (i) => label(KIND_VI, i.kind) },
    { header: 'Trạng thái', width: 24, value: (i) => label(STATUS_VI, i.status) },
    { header: 'Giá trị', width: 10, value: (i) => i.value },
    { header: 'Điểm', width: 8, value: (i) => i.points },
    { header: 'Điểm tối đa', width: 11, value: (i) => i.maxPoints },
    { header: 'Số bằng chứng', width: 13, value: (i) => i.evidenceCount },
    { header: 'Tài liệu kiểm chứng', width: 40, value: (i) => i.attachment?.title ?? (i.kind === 'manual' ? '' : null) },
    { header: 'Kết quả thẩm định tài liệu', width: 40, value: (i) => (i.attachment?.review ? `${i.attachment.review.decision === 'accepted' ? 'Chấp nhận' : 'Từ chối'}${i.attachment.review.reason ? `: ${i.attachment.review.reason}` : ''}` : null) },
    { header: 'Mã băm quy tắc', width: 20, value: (i) => i.ruleDigest },
    { header: 'Thời điểm tính', width: 17, value: (i) => vietnamTime(i.computedAt) },
  ], card.items as Item[]);
  addSheet(book, 'Bằng chứng', [
    { header: 'Mã bằng chứng', width: 13, value: (e) => e.id },
    { header: 'Chỉ tiêu', width: 34, value: (e) => e.metric },
    { header: 'Kỳ', width: 10, value: (e) => e.periodKey },
    { header: 'Tử số', width: 10, value: (e) => e.numerator },
    { header: 'Mẫu số', width: 10, value: (e) => e.denominator },
    { header: 'Giá trị', width: 10, value: (e) => e.value },
    { header: 'Tình trạng', width: 16, value: (e) => (e.status === 'no_data' ? 'Không có dữ liệu' : 'Có dữ liệu') },
    { header: 'Quy tắc đếm', width: 22, value: (e) => e.ruleVersion },
    { header: 'Phiên bản', width: 10, value: (e) => e.version },
    { header: 'Số bản ghi nguồn', width: 15, value: (e) => e.recordCount },
    { header: 'Dữ liệu tính đến', width: 17, value: (e) => vietnamTime(e.asOf) },
    { header: 'Thời điểm tính', width: 17, value: (e) => vietnamTime(e.computedAt) },
  ], data.evidence);
  addSheet<LineageRow>(book, 'Nguồn gốc', [
    { header: 'Mã tiêu chí', width: 10, value: (r) => r.subCriterion },
    { header: 'Mã điểm', width: 9, value: (r) => r.scoreId },
    { header: 'Phiên bản điểm', width: 13, value: (r) => r.scoreVersion },
    { header: 'Mã băm điểm', width: 20, value: (r) => r.scoreDigest },
    { header: 'Mã băm quy tắc', width: 20, value: (r) => r.ruleDigest },
    ...INPUT_COLUMNS,
    { header: 'Lượt thu thập', width: 40, value: (r) => joinCapped(r.runIds) },
  ], data.lineage);
  addSheet(book, 'Phát hiện', [
    { header: 'Tháng', width: 10, value: (f) => f.monthKey },
    { header: 'Chiều', width: 26, value: (f) => label(DIRECTION_VI, f.direction) },
    { header: 'Khớp', width: 8, value: (f) => f.matched },
    { header: 'Khớp theo thủ tục và ngày', width: 22, value: (f) => f.matchedByFallback },
    { header: 'Vận đơn không khớp hồ sơ', width: 22, value: (f) => f.unmatchedWaybills },
    { header: 'Hồ sơ không khớp vận đơn', width: 22, value: (f) => f.unmatchedDossiers },
    { header: 'Quy tắc đối soát', width: 22, value: (f) => f.ruleVersion },
    { header: 'Phiên bản', width: 10, value: (f) => f.version },
    { header: 'Thời điểm tính', width: 17, value: (f) => vietnamTime(f.computedAt) },
  ], data.findings);
  return toBuffer(book);
}
