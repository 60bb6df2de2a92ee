/** Vietnamese labels used in the exported documents (headers, statuses, states). */
export const STATUS_VI: Readonly<Record<string, string>> = {
  auto_filled: 'Tự động từ dữ liệu',
  no_data: 'Không có dữ liệu',
  manual_needed: 'Cần tài liệu kiểm chứng',
  manual_accepted: 'Tài liệu được chấp nhận',
  manual_rejected: 'Tài liệu bị từ chối',
  stale: 'Đang tính lại',
  not_computed: 'Chưa tính',
};

export const KIND_VI: Readonly<Record<string, string>> = { rule: 'Tính từ dữ liệu', manual: 'Tài liệu thủ công', imported: 'Giá trị nhập (điều tra)' };

export const APPRAISAL_STATE_VI: Readonly<Record<string, string>> = {
  self_assessment: 'Đang tự đánh giá',
  submitted: 'Đã gửi thẩm định',
  in_appraisal: 'Đang thẩm định',
  approved: 'Đã phê duyệt',
  returned: 'Trả lại để hoàn thiện',
};

export const DIRECTION_VI: Readonly<Record<string, string>> = { submission: 'Tiếp nhận qua bưu chính', result: 'Trả kết quả qua bưu chính' };

export const label = (labels: Readonly<Record<string, string>>, key: string | null | undefined): string => (key ? labels[key] ?? key : '');

/** Vietnam time, as people there read it: dd/MM/yyyy HH:mm (UTC+7). */
export function vietnamTime(t: Date | string | null | undefined): string {
  if (t === null || t === undefined) return '';
  const d = new Date(new Date(t).getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
}

/** A number as Vietnamese readers write it (comma decimal), or '' for missing (missing is not zero). */
export function viNumber(n: number | null | undefined, digits = 4): string {
  if (n === null || n === undefined) return '';
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(n);
}
