/**
 * API error messages in the caller's language: English by default, Vietnamese for `Accept-Language: vi`. Messages
 * are made in English where the error is raised; here each known message shape has its Vietnamese form (the
 * parts taken from the message — field names, codes, numbers — are kept). A message with no Vietnamese form yet
 * stays in English (the reason phrase is still translated).
 */
export type ApiLanguage = 'en' | 'vi';

/** The preferred supported language of an `Accept-Language` header (q-values honoured); English by default. */
export function negotiateLanguage(header: string | string[] | undefined): ApiLanguage {
  const value = Array.isArray(header) ? header.join(',') : header ?? '';
  let best: { lang: ApiLanguage; q: number } = { lang: 'en', q: 0 };
  for (const part of value.split(',').slice(0, 20)) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const q = Number(params.map((p) => p.trim()).find((p) => p.startsWith('q='))?.slice(2) ?? '1');
    const lang: ApiLanguage | null = tag === 'vi' || tag.startsWith('vi-') ? 'vi' : tag === 'en' || tag.startsWith('en-') || tag === '*' ? 'en' : null;
    if (lang && Number.isFinite(q) && q > best.q) best = { lang, q };
  }
  return best.lang;
}

const PHRASES_VI: Readonly<Record<string, string>> = {
  'Bad Request': 'Yêu cầu không hợp lệ',
  Unauthorized: 'Chưa xác thực',
  Forbidden: 'Không có quyền',
  'Not Found': 'Không tìm thấy',
  Conflict: 'Xung đột dữ liệu',
  'Payload Too Large': 'Dữ liệu quá lớn',
  'Unsupported Media Type': 'Kiểu dữ liệu không được hỗ trợ',
  'Unprocessable Entity': 'Không xử lý được dữ liệu',
  'Too Many Requests': 'Quá nhiều yêu cầu',
  'Internal Server Error': 'Lỗi hệ thống',
  'Service Unavailable': 'Dịch vụ tạm thời không sẵn sàng',
  'Test call failed': 'Gọi thử thất bại',
  'Method Not Allowed': 'Phương thức không được phép',
};

type Rule = [RegExp, (...groups: string[]) => string];

const MESSAGES_VI: readonly Rule[] = [
  [/^authentication required/, () => 'Cần xác thực: gửi Authorization: Bearer <token> hoặc X-API-Key'],
  [/^invalid or expired credentials/, () => 'Thông tin xác thực không hợp lệ hoặc đã hết hạn'],
  [/^the (\w+) role may read the queue dashboard but not change jobs/, (role) => `Vai trò ${role} chỉ được xem bảng hàng đợi, không được thay đổi công việc (queues.manage: quản trị viên)`],
  [/^the (\w+) role may not do this \(([\w.]+)\)/, (role, p) => `Vai trò ${role} không được phép thực hiện thao tác này (${p})`],
  [/^your account is limited to province (\S+)/, (p) => `Tài khoản của bạn chỉ được truy cập tỉnh ${p}`],
  [/^(?:\S+: )?property (\S+) should not exist$/, (f) => `Trường ${f} không được chấp nhận`],
  [/^(\S+?):? (?:must not be empty|should not be empty)$/, (f) => `${f} không được để trống`],
  [/^(\S+?):? must be a string$/, (f) => `${f} phải là chuỗi ký tự`],
  [/^(\S+?):? must be a boolean value$/, (f) => `${f} phải là true hoặc false`],
  [/^(\S+?):? must be an object$/, (f) => `${f} phải là một đối tượng JSON`],
  [/^(\S+?):? must be a URL address$/, (f) => `${f} phải là một địa chỉ URL`],
  [/^(\S+?):? must be a two-digit province code$/, (f) => `${f} phải là mã tỉnh gồm hai chữ số`],
  [/^(\S+?):? must be a four-digit year$/, (f) => `${f} phải là năm gồm bốn chữ số`],
  [/^(\S+?):? must be a UUID$/, (f) => `${f} phải là một UUID`],
  [/^(\S+): changing it needs the credentials again in the same request/, (f) =>
    `${f}: thay đổi trường này cần nhập lại thông tin xác thực (credentials) trong cùng yêu cầu; thông tin đã lưu chỉ dùng cho loại và địa chỉ đã khai báo`],
  [/^provinceCode: connector (.+) has already run for province (\S+), .* for (\S+) instead$/, (name, from, to) =>
    `provinceCode: bộ kết nối ${name} đã chạy cho tỉnh ${from}, dữ liệu đã thu thập thuộc về tỉnh đó; hãy tạo bộ kết nối mới cho tỉnh ${to}`],
  [/^connector (.+) already reads this (\S+) source for province (\S+):/, (name, kind, p) =>
    `Bộ kết nối ${name} đã đọc nguồn ${kind} này cho tỉnh ${p}: hãy sửa bộ kết nối đó, hoặc gửi allowDuplicate: true với một tên khác để cố ý thêm bộ thứ hai`],
  [/^a connector named (.+) already exists$/, (name) => `Đã có bộ kết nối tên ${name}`],
  [/^(\S+: )?outbound call to (\S+) refused: (.+); an administrator may allow it with EGRESS_ALLOW$/, (code, host, why) =>
    `${code ?? ''}cuộc gọi ra ngoài tới ${host} bị từ chối (${why}); quản trị viên có thể cho phép bằng EGRESS_ALLOW`],
  [/^request body too large: the limit is (\d+) KB/, (kb) => `Nội dung yêu cầu quá lớn: giới hạn là ${kb} KB`],
  [/^malformed JSON body/, () => 'Nội dung JSON không đọc được: kiểm tra cú pháp'],
  [/^file: (.+) holds (\d+) entries; at most (\d+) are accepted$/, (_l, n, max) => `file: tệp nén có ${n} mục; chỉ chấp nhận tối đa ${max}`],
  [/^file: (.+) unpacks to more than (.+); refused before unpacking$/, (_l, size) => `file: tệp giải nén ra hơn ${size}; bị từ chối trước khi giải nén`],
  [/^file: .*(?:zip bomb|inflates beyond)/, () => 'file: tệp nén có tỷ lệ nén hoặc kích thước khai báo bất thường (có thể là bom nén); bị từ chối'],
  [/^file: .*not a readable ZIP archive/, () => 'file: tệp không phải là tệp nén ZIP đọc được'],
  [/^file: the file is empty$/, () => 'file: tệp rỗng'],
  [/^no (.+?) with (id|digest) (\S+)$/, (what, _k, id) => `Không tìm thấy ${what} ${id}`],
  [/^connector (\S+) not found$/, (id) => `Không tìm thấy bộ kết nối ${id}`],
  [/^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (.+)$/, (m, path) => `Không có đường dẫn ${m} ${path}`],
  [/^kind (\S+) has no test call$/, (k) => `Loại ${k} không hỗ trợ gọi thử`],
  [/^an internal error occurred/, () => 'Đã xảy ra lỗi hệ thống; báo mã yêu cầu (X-Request-Id) cho quản trị viên'],
];

/** A reason phrase (`Bad Request`) in the language. */
export function translatePhrase(phrase: string, lang: ApiLanguage): string {
  return lang === 'vi' ? PHRASES_VI[phrase] ?? phrase : phrase;
}

/** One message in the language (unchanged when there is no translation of its shape). */
export function translateMessage(message: string, lang: ApiLanguage): string {
  if (lang !== 'vi') return message;
  for (const [pattern, render] of MESSAGES_VI) {
    const m = pattern.exec(message);
    if (m) return render(...m.slice(1));
  }
  return message;
}
