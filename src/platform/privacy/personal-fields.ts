/**
 * The one place that says which fields of each source are personal data (Decree 13/2023/NĐ-CP): names, ID
 * numbers, phone numbers, e-mail and postal addresses. Every view (test calls, previews, quarantine, runs) and the
 * log redaction use it; the unredacted bytes stay only in the raw archive.
 *
 * Sources: one-stop-shop contract (the dossier's `ChuHoSo`, `SoGiayToChuHoSo`, `SoDienThoai`, `Email`, marked
 * personal there); postal report files (no personal column in the contract, but sender / recipient columns
 * occur in real exports); declarative sources (any field whose name says it is one of the kinds above).
 */
export const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'one-stop-shop': ['ChuHoSo', 'SoGiayToChuHoSo', 'SoDienThoai', 'Email', 'DiaChi', 'DiaChiChuHoSo'],
  'vnpost-bcci': ['Người gửi', 'Người nhận', 'Địa chỉ', 'Địa chỉ người nhận', 'Điện thoại', 'Số điện thoại', 'Email'],
  'dvcqg-evaluation': [],
  'declarative-rest': [],
  'document-management': [],
};

/** Field names that are personal in any source (matched on the name without diacritics, case or separators). */
const PERSONAL_NAME_PARTS = [
  'chuhoso',
  'hoten',
  'hovaten',
  'fullname',
  'tennguoi',
  'nguoigui',
  'nguoinhan',
  'sogiayto',
  'cccd',
  'cmnd',
  'cancuoc',
  'nationalid',
  'identitynumber',
  'passport',
  'dienthoai',
  'sodienthoai',
  'sdt',
  'phone',
  'mobile',
  'email',
  'mail',
  'diachi',
  'address',
];

function fold(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

const FOLDED_PERSONAL = new Set(Object.values(PERSONAL_FIELDS).flat().map(fold));

/** Whether a field (a JSON key, a column header, or the last part of a path) holds personal data. */
export function isPersonalField(name: string): boolean {
  const last = name.split(/[.[\]/]/).filter(Boolean).pop() ?? name;
  const folded = fold(last);
  if (folded === '') return false;
  return FOLDED_PERSONAL.has(folded) || PERSONAL_NAME_PARTS.some((part) => folded === part || folded.startsWith(part) || folded.endsWith(part));
}

/** The masked form of a value: its kind and size, never its content. */
export function maskValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return `<text, ${[...value].length} characters>`;
  if (typeof value === 'number') return '<number>';
  if (typeof value === 'boolean') return '<boolean>';
  if (Array.isArray(value)) return `<list of ${value.length}>`;
  return '<object>';
}

const VALUE_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '<e-mail>'],
  // Vietnamese phone numbers (0xx… or +84…), with or without separators
  [/(?:\+84|\b0)(?:[\s.-]?\d){8,10}\b/g, '<phone>'],
  // ID numbers: 9 (old ID card) or 12 (citizen ID) digits standing alone
  [/\b\d{12}\b|\b\d{9}\b/g, '<id number>'],
];

/**
 * A free text (an error detail, an upstream message) with personal values masked: e-mail addresses, phone
 * numbers, ID numbers, and the value quoted after a personal field name (`ChuHoSo: "Nguyễn Văn A"`).
 */
export function redactText(text: string, maxLength = 500): string {
  // the value after a personal field name and a separator; names are scanned without consuming what follows
  const nameSep = /(\p{L}[\p{L}\p{N}_]*)(["']?\s*[:=]\s*)/gu;
  let out = '';
  let last = 0;
  for (let m = nameSep.exec(text); m !== null; m = nameSep.exec(text)) {
    const end = m.index + m[0].length;
    const previous = /(\p{L}+)\s$/u.exec(text.slice(Math.max(0, m.index - 40), m.index))?.[1];
    if (!isPersonalField(m[1]) && !(previous && isPersonalField(`${previous} ${m[1]}`))) continue;
    const value = /^("[^"]*"|'[^']*'|[^,;}\]\s]+)/.exec(text.slice(end))?.[1];
    if (!value) continue;
    out += text.slice(last, end) + maskValue(value.replace(/^["']|["']$/g, ''));
    last = end + value.length;
    nameSep.lastIndex = last;
  }
  out += text.slice(last);
  for (const [pattern, label] of VALUE_PATTERNS) out = out.replace(pattern, label);
  return [...out].length > maxLength ? `${[...out].slice(0, maxLength).join('')}…` : out;
}

/**
 * The detail of a record that could not be used, as every role may see it: personal values masked (see
 * `redactText`), every quoted value masked (details quote the value they refuse), and the record's subject and
 * personal-field values masked wherever the text repeats them. Reason, field and position stay readable.
 */
export function redactDetail(detail: string, record?: unknown): string {
  let out = detail;
  const known = new Set<string>();
  const walk = (v: unknown, key: string, depth: number): void => {
    if (depth > 5) return;
    if (typeof v === 'string' && v.length >= 2 && (key === 'subject' || isPersonalField(key))) known.add(v);
    else if (v !== null && typeof v === 'object') for (const [k, child] of Object.entries(v as Record<string, unknown>)) walk(child, Array.isArray(v) ? key : k, depth + 1);
  };
  walk(record, '', 0);
  for (const value of [...known].sort((a, b) => b.length - a.length)) out = out.split(value).join(maskValue(value));
  out = out.replace(/"((?:[^"\\]|\\.)*)"/g, (_m, inner: string) => maskValue(inner));
  return redactText(out);
}

/** Pino redaction paths for the personal fields of every source (one level deep in any logged object). */
export function personalLogPaths(): string[] {
  const names = [...new Set(Object.values(PERSONAL_FIELDS).flat())].filter((n) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(n));
  return names.map((n) => `*.${n}`);
}

const STRUCTURAL_KEYS = new Set(['period', 'endpoint', 'metric', 'metrics', 'code', 'reason', 'reasonCode', 'field', 'fields', 'kind', 'status', 'contentType', 'month', 'months', 'unit', 'window', 'from', 'to', 'format', 'sheet', 'direction']);

/**
 * A bounded, masked copy of what a test call or preview found: keys, counts (numbers) and structural labels
 * (periods, metric codes, reasons, field names) are kept; every other text, and every value of a personal field,
 * is masked; lists keep at most `maxItems` items and say how many there were.
 */
export function maskForView(value: unknown, key = '', depth = 0, maxItems = 20): unknown {
  if (key !== '' && isPersonalField(key)) return maskValue(value);
  // what the service itself sent (built from the connector's configuration), not what the source answered
  if (key === 'request' && depth === 1) return value;
  if (value === null || value === undefined || typeof value === 'boolean') return value ?? null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return STRUCTURAL_KEYS.has(key) ? redactText(value, 120) : maskValue(value);
  if (depth > 8) return maskValue(value);
  if (Array.isArray(value)) {
    // field names are the structure a test call is for: more of them are kept
    const limit = key === 'fields' ? Math.max(maxItems, 200) : maxItems;
    const items = value.slice(0, limit).map((v) => maskForView(v, key, depth + 1, maxItems));
    return value.length > limit ? [...items, `<${value.length - limit} more>`] : items;
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, 100)) out[k] = maskForView(v, k, depth + 1, maxItems);
    return out;
  }
  return maskValue(value);
}

/** The field names (dotted paths, lists as `[]`) of some records, sorted, at most `limit`: structure, no values. */
export function fieldPaths(records: readonly unknown[], limit = 200): string[] {
  const paths = new Set<string>();
  const walk = (v: unknown, path: string, depth: number): void => {
    if (paths.size >= limit || depth > 6) return;
    if (Array.isArray(v)) {
      for (const item of v.slice(0, 5)) walk(item, `${path}[]`, depth + 1);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        const p = path ? `${path}.${k}` : k;
        paths.add(p);
        walk(child, p, depth + 1);
      }
    }
  };
  for (const record of records.slice(0, 20)) walk(record, '', 0);
  return [...paths].sort().slice(0, limit);
}
