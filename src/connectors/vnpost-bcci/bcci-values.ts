import { vietnamWallClockToDate } from '../../platform/time/vietnam-time';
import { foldText } from './bcci-header-dictionary';
import { WaybillDirection, WaybillStatus } from './bcci-report.types';

/**
 * Cell values of BCCI report files and their reading: texts (NFC), numbers with `.` thousands separators,
 * Vietnam-time dates (text or Excel dates), directions and statuses.
 */

/** One cell as read from a file: CSV cells are strings; XLSX cells keep their type. */
export type Cell = string | number | boolean | Date | null;

const NON_ASCII = /[^\x00-\x7f]/;

/** NFC-normalises text that may carry combining marks (Windows-1258, NFD sources). */
export function nfc(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFC') : text;
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** The cell as trimmed text; Excel dates as their wall-clock `dd/MM/yyyy HH:mm:ss`. */
export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'string') return cell.trim();
  if (cell instanceof Date) {
    const d = roundToSecond(cell);
    return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  }
  return String(cell);
}

function roundToSecond(date: Date): Date {
  return new Date(Math.round(date.getTime() / 1000) * 1000);
}

export type ValueResult<T> = { ok: true; value: T | null } | { ok: false; detail: string };

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/;
/** Excel serials of 1900-01-01 … 2999-12-31 */
const MIN_SERIAL = 1;
const MAX_SERIAL = 401768;

/**
 * A Vietnam-time date: text `dd/MM/yyyy[ HH:mm[:ss]]` (also `yyyy-MM-dd …`), an Excel date cell or an Excel serial
 * number. Excel dates carry the wall-clock time of the report (Vietnam time): their fields are read, not their
 * UTC instant. Empty → null; impossible dates (31/02, 25:00) → not ok.
 */
export function readDate(cell: Cell, date1904 = false): ValueResult<Date> {
  if (cell === null) return { ok: true, value: null };
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return { ok: false, detail: 'invalid Excel date' };
    return wallClockOf(roundToSecond(cell), cellText(cell));
  }
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < MIN_SERIAL || cell > MAX_SERIAL) return { ok: false, detail: `not a date: ${cell}` };
    const ms = Math.round((cell - 25569 + (date1904 ? 1462 : 0)) * 86400) * 1000;
    return wallClockOf(new Date(ms), String(cell));
  }
  if (typeof cell === 'boolean') return { ok: false, detail: `not a date: ${cell}` };
  const text = cell.trim();
  if (text === '') return { ok: true, value: null };
  let m = DMY.exec(text);
  let parts: number[] | null = null;
  if (m) parts = [+m[3], +m[2], +m[1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  else if ((m = YMD.exec(text))) parts = [+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0)];
  if (!parts) return { ok: false, detail: `not a date: "${text}"` };
  const date = vietnamWallClockToDate(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5]);
  return date ? { ok: true, value: date } : { ok: false, detail: `impossible date: "${text}"` };
}

function wallClockOf(d: Date, shown: string): ValueResult<Date> {
  const date = vietnamWallClockToDate(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
  return date ? { ok: true, value: date } : { ok: false, detail: `impossible date: ${shown}` };
}

const CURRENCY = /\s*(?:₫|đ|đồng|vnđ|vnd)\.?$/i;
const SPACES = /[\s\u00a0]+/g;
const INTEGER = /^[-+]?\d+$/;
const DOT_THOUSANDS = /^[-+]?\d{1,3}(?:\.\d{3})+$/;
const DOT_THOUSANDS_COMMA_DECIMAL = /^[-+]?\d{1,3}(?:\.\d{3})*,\d+$/;
const COMMA_THOUSANDS = /^[-+]?\d{1,3}(?:,\d{3})+$/;
const PLAIN_DECIMAL = /^[-+]?\d+\.\d{1,2}$/;

/**
 * An amount: a numeric cell, or text with `.` as thousands separator ("25.000" → 25000), optionally `,` decimals
 * ("1.250,5"), a plain integer, `,` thousands ("25,000"), or a short plain decimal ("12.5"); a trailing
 * "đ"/"VNĐ"/"đồng" is ignored. Empty → null.
 */
export function readNumber(cell: Cell): ValueResult<number> {
  if (cell === null) return { ok: true, value: null };
  if (typeof cell === 'number') return Number.isFinite(cell) ? { ok: true, value: cell } : { ok: false, detail: `not a number: ${cell}` };
  if (typeof cell !== 'string') return { ok: false, detail: `not a number: ${cellText(cell)}` };
  const text = cell.trim();
  if (text === '') return { ok: true, value: null };
  const s = text.replace(CURRENCY, '').replace(SPACES, '');
  let n: number;
  if (INTEGER.test(s)) n = Number(s);
  else if (DOT_THOUSANDS.test(s)) n = Number(s.replace(/\./g, ''));
  else if (DOT_THOUSANDS_COMMA_DECIMAL.test(s)) n = Number(s.replace(/\./g, '').replace(',', '.'));
  else if (COMMA_THOUSANDS.test(s)) n = Number(s.replace(/,/g, ''));
  else if (PLAIN_DECIMAL.test(s)) n = Number(s);
  else return { ok: false, detail: `not a number: "${text}"` };
  return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, detail: `not a number: "${text}"` };
}

const DIRECTIONS: ReadonlyMap<string, WaybillDirection> = new Map([
  ['chieudi', 'submission'],
  ['di', 'submission'],
  ['chieuguidi', 'submission'],
  ['submission', 'submission'],
  ['chieuve', 'result'],
  ['ve', 'result'],
  ['chieutrave', 'result'],
  ['result', 'result'],
]);

/** "Chiều đi"/"đi"/"CHIEU DI" → submission, "Chiều về"/"về"/"Ve" → result; anything else (blank too) null. */
export function readDirection(text: string): WaybillDirection | null {
  return DIRECTIONS.get(foldText(text).replace(/ /g, '')) ?? null;
}

const STATUSES: ReadonlyMap<string, WaybillStatus> = new Map([
  ['phatthanhcong', 'delivered'],
  ['chuyenhoan', 'returned'],
  ['dangvanchuyen', 'in_transit'],
  ['huy', 'cancelled'],
  ['dahuy', 'cancelled'],
]);

/** "Phát thành công" → delivered, "Chuyển hoàn" → returned, "Đang vận chuyển" → in_transit, "Hủy"/"Huỷ" → cancelled. */
export function readStatus(text: string): WaybillStatus | null {
  return STATUSES.get(foldText(text).replace(/ /g, '')) ?? null;
}

const TOTALS_WORD = /(?:^| )(?:tong|cong)(?: |$)/;
const TOTALS_START = /^(?:tong|cong)(?: |$)/;

/** A label of a totals row: "Tổng cộng", "TONG CONG", "Cộng:", "Tổng số vận đơn: 120" … */
export function isTotalsLabel(text: string, atStart = false): boolean {
  if (text === '') return false;
  return (atStart ? TOTALS_START : TOTALS_WORD).test(foldText(text));
}

const FOOTER_LABEL = new RegExp(
  [
    '^nguoi lap(?: bieu| bang| bao cao)?(?: |$)',
    '^thu truong(?: don vi| co quan)?(?: |$)',
    '^ke toan(?: truong)?(?: |$)',
    '^(?:pho )?giam doc(?: |$)',
    '^xac nhan(?: |$)',
    '^(?:ky|ky va) (?:ghi ro )?(?:ho ten|ten|dong dau)',
    '^(?:.* )?ngay \\d{1,2} thang \\d{1,2} nam \\d{4}$',
  ].join('|'),
);

/**
 * A signature or footer line below the data: "Người lập biểu", "Thủ trưởng đơn vị", "Kế toán trưởng",
 * "(Ký, ghi rõ họ tên)", "Quảng Ngãi, ngày 03 tháng 02 năm 2026" …
 */
export function isFooterLabel(text: string): boolean {
  if (text === '') return false;
  return FOOTER_LABEL.test(foldText(text));
}
