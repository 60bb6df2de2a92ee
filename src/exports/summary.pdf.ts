import { APPRAISAL_STATE_VI, STATUS_VI, label, vietnamTime, viNumber } from './export-labels';
import { heading, keyValues, renderPdf, table } from './pdf-document';
import { ProvinceYearExport } from './province-year-export.service';

/** The one-document summary of a province-year's evidence pack, in Vietnamese. */
export function summaryPdf(data: ProvinceYearExport): Promise<Buffer> {
  const { card, appraisal } = data;
  return renderPdf({ title: `Báo cáo tóm tắt bằng chứng — ${data.province.name} — ${data.year}`, subject: card.catalogue }, (doc) => {
    doc.font('bold').fontSize(15).text('BÁO CÁO TÓM TẮT BẰNG CHỨNG', { align: 'center' });
    doc.font('body').fontSize(11).text(`Chỉ số cải cách hành chính năm ${data.year}`, { align: 'center' }).moveDown(0.8);
    keyValues(doc, [
      ['Đơn vị', `Sở Nội vụ ${data.province.name} (mã ${data.province.code})`],
      ['Bộ tiêu chí', `${data.catalogue.title} — ${card.catalogue}`],
      ['Tổng điểm', `${viNumber(card.totals.points)} / ${viNumber(card.totals.maxPoints)} điểm (tài liệu được chấp nhận: ${viNumber(card.totals.manualAcceptedPoints)})`],
      ['Điểm có dữ liệu tự động', `${card.coverage.filledFromData}/${card.coverage.subCriteria} tiêu chí thành phần, ${viNumber(card.coverage.pointsFromData)} điểm (${viNumber(card.coverage.share === null ? null : card.coverage.share * 100, 1)}%)`],
      ['Còn cần tài liệu', card.totals.stillManual.length > 0 ? card.totals.stillManual.join(', ') : 'không'],
      ['Trạng thái thẩm định', label(APPRAISAL_STATE_VI, appraisal.state)],
    ]);
    if (appraisal.approval) {
      keyValues(doc, [
        ['Phê duyệt', `${vietnamTime(appraisal.approval.approvedAt)} bởi ${appraisal.approval.approvedBy}`],
        ['Hiệu lực', appraisal.approval.stale ? `KHÔNG CÒN HIỆU LỰC: ${appraisal.approval.changes.length} thay đổi sau phê duyệt` : 'Còn hiệu lực (bằng chứng không đổi)'],
      ]);
    }
    heading(doc, 'Điểm theo lĩnh vực');
    table(doc, [50, 300, 80, 85], ['Lĩnh vực', 'Tên lĩnh vực', 'Điểm', 'Điểm tối đa'], card.fields.map((f) => [f.code, f.title, viNumber(f.points), viNumber(f.maxPoints)]));
    heading(doc, 'Tiêu chí thành phần');
    table(
      doc,
      [45, 260, 110, 50, 50],
      ['Mã', 'Tiêu chí thành phần', 'Trạng thái', 'Điểm', 'Tối đa'],
      card.items.map((i) => [i.subCriterion, i.title, label(STATUS_VI, i.status), viNumber(i.points), viNumber(i.maxPoints)]),
    );
    heading(doc, 'Kiểm chứng');
    doc.font('body').fontSize(8.5).text(
      `Mã băm tập bằng chứng (SHA-256 của JSON chuẩn hoá gồm điểm, bằng chứng, giá trị nhập, phiên bản quy tắc, tài liệu và kết quả thẩm định): ${appraisal.evidenceSetDigest}. ` +
        `Bằng chứng: ${data.evidence.length} bản ghi; nguồn gốc: ${data.lineage.length} liên kết; phát hiện đối soát: ${data.findings.length}. ` +
        `Chi tiết trong tệp Excel cùng gói. Xuất lúc ${vietnamTime(data.generatedAt)} (giờ Việt Nam).`,
    );
  });
}
