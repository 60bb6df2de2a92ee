/**
 * Deterministic content of the VNPost BCCI monthly reports (see shared/contracts/vnpost-bcci-reports.md): the
 * rows of each (province, month, version) as data, the file variant of each (province, month), and the
 * encoders to XLSX / CSV bytes.
 *
 * Rows are a pure function of (seed, province, month) for version 1, and of the previous version for each
 * correction. With a one-stop-shop source, the rows reference the province's postal dossiers received that
 * month (KenhThucHien=3 → a "Chiều đi" waybill, HinhThuc=1 → a "Chiều về" waybill), except a few dossiers left
 * without a waybill on purpose, plus a few rows with a blank or unknown Mã hồ sơ.
 */
import { Workbook } from 'exceljs';
import type { BadRowReason, Direction as WaybillDirection, ReportedWaybill as Waybill } from './bcci-contract.types';
import { parseCompact, VIETNAM_OFFSET_SECONDS } from '../one-stop-shop/dossier-generator';
import { hashOf, hashString, pick, streamOf } from '../one-stop-shop/prng';
import { encodeWin1258, fixZipTimestamps } from './encoding';

const HOUR = 3600;
const DAY = 86400;

const SALT_FORMAT = 0xb001;
const SALT_TITLE = 0xb002;
const SALT_TOTALS = 0xb003;
const SALT_HEADER = 0xb004;
const SALT_FILE = 0xb005;
const SALT_REQ = 0xb006;
const SALT_ROW = 0xb007;
const SALT_EXTRA = 0xb008;
const SALT_BAD = 0xb009;
const SALT_CORRECTION = 0xb00a;
const SALT_WAYBILL = 0xb00b;
const SALT_SYNTH = 0xb00c;

export type ReportFormat = 'xlsx' | 'csv-utf8-bom' | 'csv-win1258';
export type HeaderStyle = 'usual' | 'upper' | 'ascii' | 'spaced' | 'mixed';
export const REPORT_FORMATS: readonly ReportFormat[] = ['xlsx', 'csv-utf8-bom', 'csv-win1258'];
export const HEADER_STYLES: readonly HeaderStyle[] = ['usual', 'upper', 'ascii', 'spaced', 'mixed'];

export const DIRECTION_TEXT: Record<WaybillDirection, string> = { submission: 'Chiều đi', result: 'Chiều về' };
export const STATUS_TEXT = { delivered: 'Phát thành công', returned: 'Chuyển hoàn', in_transit: 'Đang vận chuyển', cancelled: 'Hủy' } as const;
const STATUS_OF_TEXT = new Map<string, Waybill['status']>(Object.entries(STATUS_TEXT).map(([k, v]) => [v, k as Waybill['status']]));

/** Canonical columns, in file order. */
export const COLUMNS = ['stt', 'waybillId', 'dossierId', 'procedureCode', 'agencyCode', 'direction', 'acceptedAt', 'deliveredAt', 'status', 'postage'] as const;
export type Column = (typeof COLUMNS)[number];

export const USUAL_HEADERS: Record<Column, string> = {
  stt: 'STT',
  waybillId: 'Mã vận đơn',
  dossierId: 'Mã hồ sơ',
  procedureCode: 'Mã TTHC',
  agencyCode: 'Mã cơ quan',
  direction: 'Chiều',
  acceptedAt: 'Ngày chấp nhận',
  deliveredAt: 'Ngày phát',
  status: 'Trạng thái',
  postage: 'Cước (VNĐ)',
};

export const TITLE_TEXT = 'BÁO CÁO DỊCH VỤ BƯU CHÍNH CÔNG ÍCH';
export const TOTALS_TEXT = 'Tổng cộng';

/** How one (province, month) report file looks; the same for every version of that month. */
export interface ReportVariant {
  format: ReportFormat;
  /** csv only */
  encoding: 'utf-8-bom' | 'windows-1258' | null;
  /** title lines above the header (0 when none) */
  titleRows: string[];
  /** an empty line between the titles and the header */
  blankAfterTitle: boolean;
  totalsRow: boolean;
  headerStyle: HeaderStyle;
  /** the header text of each column as written */
  headers: Record<Column, string>;
  /** xlsx: postage as text "25.000" instead of a number cell */
  postageAsText: boolean;
  /** xlsx: a second sheet after the report */
  extraSheet: boolean;
  /** csv: every field quoted */
  quoteAll: boolean;
  /** 1-based line/row of the header in the file/sheet */
  headerRow: number;
}

/** One row of a report as data (the text written plus what it means). */
export interface ReportRow {
  /** '' when the row is bad for a missing id */
  waybillId: string;
  dossierId: string | null;
  procedureCode: string | null;
  agencyCode: string | null;
  direction: WaybillDirection;
  directionText: string;
  /** epoch seconds, whole minutes */
  acceptedAt: number | null;
  acceptedText: string;
  deliveredAt: number | null;
  deliveredText: string;
  statusText: string;
  postage: number | null;
  /** why the row is bad (null for good rows) */
  bad: { reason: BadRowReason; field: string } | null;
}

/** What the simulator needs to know about one postal dossier (from the one-stop shop). */
export interface PostalDossier {
  dossierId: string;
  procedureCode: string | null;
  agencyCode: string | null;
  received: number;
  ended: number | null;
  returned: number | null;
  submissionByPost: boolean;
  resultByPost: boolean;
}

export interface Requirement {
  dossier: PostalDossier;
  direction: WaybillDirection;
}

export interface ReportModel {
  province: string;
  month: string;
  version: number;
  rows: ReportRow[];
  /** every (postal dossier, direction) of the month that should have a waybill */
  requirements: Requirement[];
}

export interface GeneratorOptions {
  seed: number | string;
  waybillsPerProvinceMonth: number;
  badRowRate: number;
}

// ---------------------------------------------------------------------------------------------------------
// time

const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function wall(sec: number): Date {
  return new Date((sec + VIETNAM_OFFSET_SECONDS) * 1000);
}

/** `dd/MM/yyyy HH:mm`, Vietnam time. */
export function formatReportDate(sec: number): string {
  const d = wall(sec);
  return `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`;
}

/** `yyyy-MM` of an instant, Vietnam time. */
export function monthOf(sec: number): string {
  const d = wall(sec);
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}`;
}

/** Start of a Vietnam-time month (`yyyy-MM`), epoch seconds. */
export function monthStart(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return Date.UTC(y, m - 1, 1) / 1000 - VIETNAM_OFFSET_SECONDS;
}

export function monthEnd(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return Date.UTC(y, m, 1) / 1000 - VIETNAM_OFFSET_SECONDS;
}

export function isMonth(text: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}

function monthIndex(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return y * 12 + m - 1;
}

/** Parses the one-stop shop's `yyyyMMddHHmmss` or `dd/MM/yyyy HH:mm:ss` (Vietnam time) to epoch seconds. */
export function parseDossierDate(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (/^\d{14}$/.test(text)) return parseCompact(text);
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [d, mo, y, h, mi, s] = m.slice(1);
  return parseCompact(`${y}${mo}${d}${h}${mi}${s}`);
}

const toMinute = (sec: number): number => Math.floor(sec / 60) * 60;

// ---------------------------------------------------------------------------------------------------------
// one-stop-shop dossiers

function flag(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) return Number(value);
  return null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The postal dossiers (submitted by post and/or result returned by post) among raw one-stop-shop records. */
export function postalDossiers(raw: Record<string, unknown>[]): PostalDossier[] {
  const out: PostalDossier[] = [];
  for (const r of raw) {
    const id = text(r.MaHoSo);
    const received = parseDossierDate(r.NgayTiepNhan);
    if (id === null || received === null) continue;
    const submissionByPost = flag(r.KenhThucHien) === 3;
    const resultByPost = flag(r.HinhThuc) === 1;
    if (!submissionByPost && !resultByPost) continue;
    out.push({
      dossierId: id,
      procedureCode: text(r.MaTTHC),
      agencyCode: text(r.MaDonViXuLy),
      received,
      ended: parseDossierDate(r.NgayKetThucXuLy),
      returned: parseDossierDate(r.NgayTra),
      submissionByPost,
      resultByPost,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// variants

function stripDiacritics(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
}

function spaced(s: string): string {
  const words = s.split(' ');
  return ` ${words.length > 1 ? `${words[0]}  ${words.slice(1).join(' ')}` : s} `;
}

function headersFor(style: HeaderStyle, r: () => number): Record<Column, string> {
  const out = {} as Record<Column, string>;
  for (const c of COLUMNS) {
    const usual = USUAL_HEADERS[c];
    switch (style) {
      case 'usual':
        out[c] = usual;
        break;
      case 'upper':
        out[c] = usual.toUpperCase();
        break;
      case 'ascii':
        out[c] = stripDiacritics(usual);
        break;
      case 'spaced':
        out[c] = spaced(usual);
        break;
      case 'mixed': {
        if (c === 'waybillId') out[c] = pick(r, ['Mã VĐ', 'Số vận đơn']);
        else if (c === 'postage') out[c] = pick(r, ['Cước phí (đồng)', 'Cước phí (đồng) ']);
        else out[c] = pick(r, [usual, usual.toLowerCase(), stripDiacritics(usual), usual.toUpperCase(), spaced(usual)]);
        break;
      }
    }
  }
  return out;
}

/**
 * The variant of a (province, month) file. Format, title rows, totals row and header style rotate with the
 * month (periods 3, 2, 4 and 5 from a seeded offset per province), so every province sees every format within
 * any 3 consecutive months and every (format, title rows) pair within 6; the rest is seeded per file.
 */
export function reportVariant(seed: number | string, province: string, month: string): ReportVariant {
  const s = hashString(String(seed));
  const p = Number(province);
  const mi = monthIndex(month);
  const rot = (salt: number, period: number): number => (hashOf(s, p, salt) + mi) % period;
  const format = REPORT_FORMATS[rot(SALT_FORMAT, 3)];
  const hasTitles = rot(SALT_TITLE, 2) === 0;
  const totalsRow = rot(SALT_TOTALS, 4) !== 0;
  const headerStyle = HEADER_STYLES[rot(SALT_HEADER, 5)];
  const r = streamOf(s, p, mi, SALT_FILE);
  const [y, m] = month.split('-');
  const titleRows = hasTitles ? [TITLE_TEXT, `Tháng ${m}/${y}`, ...(r() < 0.5 ? [`Đơn vị: Bưu điện tỉnh mã ${province}`] : [])] : [];
  const blankAfterTitle = hasTitles && r() < 0.5;
  const headers = headersFor(headerStyle, r);
  const postageAsText = format === 'xlsx' && r() < 0.3;
  const extraSheet = format === 'xlsx' && r() < 0.3;
  const quoteAll = format !== 'xlsx' && r() < 0.3;
  return {
    format,
    encoding: format === 'csv-utf8-bom' ? 'utf-8-bom' : format === 'csv-win1258' ? 'windows-1258' : null,
    titleRows,
    blankAfterTitle,
    totalsRow,
    headerStyle,
    headers,
    postageAsText,
    extraSheet,
    quoteAll,
    headerRow: titleRows.length + (blankAfterTitle ? 1 : 0) + 1,
  };
}

// ---------------------------------------------------------------------------------------------------------
// rows

const POSTAGE = [16500, 18000, 22000, 25000, 27500, 32000, 35000, 45000];

/** S10 waybill id (`EB123456789VN`) with its check digit. */
function waybillId(r: () => number): string {
  const digits = Array.from({ length: 8 }, () => Math.floor(r() * 10));
  const weights = [8, 6, 4, 2, 3, 5, 9, 7];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += digits[i] * weights[i];
  let check = 11 - (sum % 11);
  if (check === 10) check = 0;
  else if (check === 11) check = 5;
  const letter = String.fromCharCode(65 + Math.floor(r() * 26));
  return `E${letter}${digits.join('')}${check}VN`;
}

function uniqueWaybill(r: () => number, used: Set<string>): string {
  for (;;) {
    const id = waybillId(r);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}

function statusFor(r: () => number): keyof typeof STATUS_TEXT {
  const u = r();
  return u < 0.88 ? 'delivered' : u < 0.93 ? 'returned' : u < 0.98 ? 'in_transit' : 'cancelled';
}

function makeRow(
  fields: { waybillId: string; dossierId: string | null; procedureCode: string | null; agencyCode: string | null; direction: WaybillDirection },
  accepted: number,
  delivered: number,
  status: keyof typeof STATUS_TEXT,
  postage: number,
): ReportRow {
  const acceptedAt = toMinute(accepted);
  const deliveredAt = status === 'delivered' || status === 'returned' ? Math.max(acceptedAt + 60, toMinute(delivered)) : null;
  return {
    ...fields,
    directionText: DIRECTION_TEXT[fields.direction],
    acceptedAt,
    acceptedText: formatReportDate(acceptedAt),
    deliveredAt,
    deliveredText: deliveredAt === null ? '' : formatReportDate(deliveredAt),
    statusText: STATUS_TEXT[status],
    postage,
    bad: null,
  };
}

/** A waybill row for one postal dossier and direction. */
function requirementRow(req: Requirement, r: () => number, used: Set<string>): ReportRow {
  const d = req.dossier;
  const fields = { waybillId: uniqueWaybill(r, used), dossierId: d.dossierId, procedureCode: d.procedureCode, agencyCode: d.agencyCode, direction: req.direction };
  const status = statusFor(r);
  const postage = pick(r, POSTAGE);
  if (req.direction === 'submission') {
    // collected from the citizen a few hours to a day before the agency received it
    const accepted = d.received - Math.floor((2 + 28 * r()) * HOUR);
    return makeRow(fields, accepted, d.received - Math.floor(r() * 1800), status, postage);
  }
  const ready = d.ended ?? d.returned ?? d.received + Math.floor((1 + 4 * r()) * DAY);
  const accepted = ready + Math.floor((1 + 5 * r()) * HOUR);
  return makeRow(fields, accepted, accepted + Math.floor((1 + 2 * r()) * DAY), status, postage);
}

/** A waybill row that references no known dossier (blank, unknown or, without a one-stop shop, made-up id). */
function looseRow(province: string, month: string, r: () => number, used: Set<string>, kind: 'blank' | 'unknown' | 'synthetic'): ReportRow {
  const start = monthStart(month);
  const span = monthEnd(month) - start;
  const accepted = start + Math.floor(r() * (span - 3 * DAY)) + 7 * HOUR;
  const direction: WaybillDirection = r() < 0.35 ? 'submission' : 'result';
  const unit = 1 + Math.floor(r() * 40);
  const w = wall(accepted);
  const yymmdd = `${p2(w.getUTCFullYear() % 100)}${p2(w.getUTCMonth() + 1)}${p2(w.getUTCDate())}`;
  const dossierId =
    kind === 'blank'
      ? null
      : kind === 'unknown'
        ? `H${province}.00-${yymmdd}-${String(9000 + Math.floor(r() * 1000))}`
        : `H${province}.${p2(unit)}-${yymmdd}-${String(1 + Math.floor(r() * 9999)).padStart(4, '0')}`;
  const fields = {
    waybillId: uniqueWaybill(r, used),
    dossierId,
    procedureCode: `${r() < 0.35 ? '2' : '1'}.${String(1000 + Math.floor(r() * 300)).padStart(6, '0')}`,
    agencyCode: `000.00.${p2(unit)}.H${province}`,
    direction,
  };
  return makeRow(fields, accepted, accepted + Math.floor((1 + 2 * r()) * DAY), statusFor(r), pick(r, POSTAGE));
}

/** Turns a loose row into a bad one. */
function spoil(row: ReportRow, r: () => number, month: string): ReportRow {
  const u = r();
  if (u < 1 / 3) return { ...row, waybillId: '', bad: { reason: 'MISSING_ID', field: 'waybillId' } };
  if (u < 2 / 3) return { ...row, directionText: 'Chiều ngang', bad: { reason: 'UNKNOWN_CODE', field: 'direction' } };
  const year = month.slice(0, 4);
  return { ...row, acceptedAt: null, acceptedText: `31/02/${year} 10:00`, bad: { reason: 'INVALID_DATE', field: 'acceptedAt' } };
}

function byAccepted(a: ReportRow, b: ReportRow): number {
  return (a.acceptedAt ?? 0) - (b.acceptedAt ?? 0) || (a.waybillId < b.waybillId ? -1 : a.waybillId > b.waybillId ? 1 : 0);
}

/** Inserts bad rows at `badRowRate` per good row. */
function withBadRows(rows: ReportRow[], province: string, month: string, seedHash: number, version: number, rate: number, used: Set<string>): ReportRow[] {
  if (rate <= 0) return rows;
  const p = Number(province);
  const mi = monthIndex(month);
  const out: ReportRow[] = [];
  rows.forEach((row, i) => {
    out.push(row);
    const r = streamOf(seedHash, p, mi, version, i, SALT_BAD);
    if (r() < rate) out.push(spoil(looseRow(province, month, r, used, r() < 0.5 ? 'blank' : 'unknown'), r, month));
  });
  return out;
}

/**
 * The (postal dossier, direction) pairs of a month, in receipt order: dossiers submitted by post that were
 * received in the month, and dossiers whose result went back by post (HinhThuc = 1) that were returned in the
 * month (the contract's "results it collected from the agency and delivered to citizens" in that month).
 */
export function requirementsOf(dossiers: PostalDossier[], month: string): Requirement[] {
  const out: Requirement[] = [];
  const list = [...dossiers].sort((a, b) => a.received - b.received || (a.dossierId < b.dossierId ? -1 : 1));
  for (const d of list) {
    if (d.submissionByPost && monthOf(d.received) === month) out.push({ dossier: d, direction: 'submission' });
    if (d.resultByPost && d.returned !== null && monthOf(d.returned) === month) out.push({ dossier: d, direction: 'result' });
  }
  return out;
}

const reqKey = (dossierId: string, direction: WaybillDirection): string => `${direction}|${dossierId}`;

/** Version 1 of a month's report. `dossiers` null: no one-stop shop, made-up dossier ids. */
export function firstVersion(options: GeneratorOptions, province: string, month: string, dossiers: PostalDossier[] | null, used: Set<string>): ReportModel {
  const s = hashString(String(options.seed));
  const p = Number(province);
  const mi = monthIndex(month);
  const rows: ReportRow[] = [];
  const requirements = dossiers ? requirementsOf(dossiers, month) : [];
  if (dossiers) {
    // a few postal dossiers get no waybill at all
    const omitted = requirements.map((req) => streamOf(s, hashString(reqKey(req.dossier.dossierId, req.direction)), SALT_REQ)() < 0.05);
    if (requirements.length >= 3 && !omitted.some(Boolean)) omitted[Math.floor(streamOf(s, p, mi, SALT_REQ)() * requirements.length)] = true;
    requirements.forEach((req, i) => {
      if (!omitted[i]) rows.push(requirementRow(req, streamOf(s, p, mi, i, SALT_ROW), used));
    });
    // a few waybills with a blank Mã hồ sơ, and a few with one the one-stop shop does not know
    const r = streamOf(s, p, mi, SALT_EXTRA);
    const blank = rows.length > 0 ? 1 + Math.floor(r() * Math.max(1, rows.length * 0.05)) : 0;
    const unknown = rows.length > 0 ? Math.floor(r() * Math.max(1, rows.length * 0.04)) : 0;
    for (let i = 0; i < blank; i++) rows.push(looseRow(province, month, r, used, 'blank'));
    for (let i = 0; i < unknown; i++) rows.push(looseRow(province, month, r, used, 'unknown'));
  } else {
    const r = streamOf(s, p, mi, SALT_SYNTH);
    for (let i = 0; i < options.waybillsPerProvinceMonth; i++) rows.push(looseRow(province, month, r, used, r() < 0.04 ? 'blank' : 'synthetic'));
  }
  rows.sort(byAccepted);
  return { province, month, version: 1, rows: withBadRows(rows, province, month, s, 1, options.badRowRate, used), requirements };
}

/**
 * The next version of a report: some rows changed (status settled, postage corrected), a few removed, some
 * added (waybills for postal dossiers that had none, and new loose rows). Bad rows stay as they are.
 */
export function nextVersion(options: GeneratorOptions, prev: ReportModel, hasDossiers: boolean, used: Set<string>): ReportModel {
  const s = hashString(String(options.seed));
  const version = prev.version + 1;
  const r = streamOf(s, Number(prev.province), monthIndex(prev.month), version, SALT_CORRECTION);
  let changed = 0;
  const rows: ReportRow[] = [];
  for (const row of prev.rows) {
    if (row.bad) {
      rows.push(row);
      continue;
    }
    const u = r();
    if (u < 0.03) {
      changed++;
      continue; // removed
    }
    if (u < 0.13) {
      rows.push(changeRow(row, r));
      changed++;
    } else rows.push(row);
  }
  const good = rows.filter((x) => !x.bad);
  if (changed === 0 && good.length > 0) {
    const i = rows.indexOf(good[Math.floor(r() * good.length)]);
    rows[i] = changeRow(rows[i], r);
  }
  const covered = new Set(rows.filter((x) => !x.bad && x.dossierId !== null).map((x) => reqKey(x.dossierId!, x.direction)));
  const added: ReportRow[] = [];
  prev.requirements.forEach((req) => {
    if (!covered.has(reqKey(req.dossier.dossierId, req.direction)) && r() < 0.5) added.push(requirementRow(req, r, used));
  });
  const loose = 1 + Math.floor(r() * 3);
  for (let i = 0; i < loose; i++) added.push(looseRow(prev.province, prev.month, r, used, hasDossiers ? 'blank' : 'synthetic'));
  // new rows go where their date puts them among the good rows; bad rows keep their neighbours
  const merged: ReportRow[] = [];
  added.sort(byAccepted);
  let k = 0;
  for (const row of rows) {
    while (k < added.length && !row.bad && byAccepted(added[k], row) < 0) merged.push(added[k++]);
    merged.push(row);
  }
  while (k < added.length) merged.push(added[k++]);
  return { province: prev.province, month: prev.month, version, rows: merged, requirements: prev.requirements };
}

function changeRow(row: ReportRow, r: () => number): ReportRow {
  if (row.statusText === STATUS_TEXT.in_transit && row.acceptedAt !== null) {
    const deliveredAt = toMinute(row.acceptedAt + Math.floor((1 + r()) * DAY));
    return { ...row, statusText: STATUS_TEXT.delivered, deliveredAt, deliveredText: formatReportDate(deliveredAt) };
  }
  if (r() < 0.5 || row.postage === null) return { ...row, postage: (row.postage ?? 0) + pick(r, [1500, 2000, 5000, -1500]) };
  return { ...row, statusText: STATUS_TEXT.returned };
}

// ---------------------------------------------------------------------------------------------------------
// truth

export interface BcciTruth {
  province: string;
  month: string;
  version: number;
  /** the good rows of the newest version, normalised, in file order */
  rows: Waybill[];
  /** the bad rows, with their 1-based row/line number in the file and why they are bad */
  badRows: Array<{ rowNumber: number; reason: BadRowReason; field: string; waybillId: string; directionText: string; acceptedText: string }>;
  /** distinct MaHoSo of postal dossiers referenced by a good row of the right direction, sorted */
  matchedDossierIds: string[];
  /** good rows whose Mã hồ sơ is blank or not a postal dossier of that direction this month */
  unmatchedWaybills: Array<{ waybillId: string; direction: WaybillDirection; dossierId: string | null }>;
  /** postal dossiers (and direction) of the month with no good row */
  postalDossiersWithoutWaybill: Array<{ dossierId: string; direction: WaybillDirection }>;
  /** every (postal dossier, direction) of the month that should have a waybill */
  postalRequirements: number;
  /** the sum of the postage of the good rows */
  totalPostage: number;
  variant: ReportVariant;
}

function waybillOf(row: ReportRow): Waybill {
  const status = STATUS_OF_TEXT.get(row.statusText) ?? null;
  return {
    waybillId: row.waybillId,
    dossierId: row.dossierId,
    procedureCode: row.procedureCode,
    agencyCode: row.agencyCode,
    direction: row.direction,
    acceptedAt: row.acceptedAt === null ? null : new Date(row.acceptedAt * 1000),
    deliveredAt: row.deliveredAt === null ? null : new Date(row.deliveredAt * 1000),
    status,
    statusText: row.statusText === '' ? null : row.statusText,
    postage: row.postage,
  };
}

export function truthOf(model: ReportModel, variant: ReportVariant): BcciTruth {
  const wanted = new Set(model.requirements.map((q) => reqKey(q.dossier.dossierId, q.direction)));
  const matched = new Set<string>();
  const covered = new Set<string>();
  const unmatched: BcciTruth['unmatchedWaybills'] = [];
  const badRows: BcciTruth['badRows'] = [];
  const rows: Waybill[] = [];
  let totalPostage = 0;
  model.rows.forEach((row, i) => {
    if (row.bad) {
      badRows.push({ rowNumber: variant.headerRow + 1 + i, ...row.bad, waybillId: row.waybillId, directionText: row.directionText, acceptedText: row.acceptedText });
      return;
    }
    rows.push(waybillOf(row));
    totalPostage += row.postage ?? 0;
    const key = row.dossierId === null ? null : reqKey(row.dossierId, row.direction);
    if (key !== null && wanted.has(key)) {
      matched.add(row.dossierId!);
      covered.add(key);
    } else unmatched.push({ waybillId: row.waybillId, direction: row.direction, dossierId: row.dossierId });
  });
  return {
    province: model.province,
    month: model.month,
    version: model.version,
    rows,
    badRows,
    matchedDossierIds: [...matched].sort(),
    unmatchedWaybills: unmatched,
    postalDossiersWithoutWaybill: model.requirements
      .filter((q) => !covered.has(reqKey(q.dossier.dossierId, q.direction)))
      .map((q) => ({ dossierId: q.dossier.dossierId, direction: q.direction })),
    postalRequirements: model.requirements.length,
    totalPostage,
    variant,
  };
}

// ---------------------------------------------------------------------------------------------------------
// encoding to bytes

/** `25000` → `25.000` */
export function formatThousands(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(Math.round(n))).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

function cellsOf(row: ReportRow, stt: number): Record<Column, string> {
  return {
    stt: String(stt),
    waybillId: row.waybillId,
    dossierId: row.dossierId ?? '',
    procedureCode: row.procedureCode ?? '',
    agencyCode: row.agencyCode ?? '',
    direction: row.directionText,
    acceptedAt: row.acceptedText,
    deliveredAt: row.deliveredText,
    status: row.statusText,
    postage: row.postage === null ? '' : formatThousands(row.postage),
  };
}

function csvField(value: string, quoteAll: boolean): string {
  return quoteAll || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function totalPostage(rows: ReportRow[]): number {
  return rows.reduce((sum, r) => sum + (r.bad ? 0 : (r.postage ?? 0)), 0);
}

export function encodeCsv(model: ReportModel, variant: ReportVariant): Buffer {
  const width = COLUMNS.length;
  const line = (cells: string[]): string => cells.map((c) => csvField(c, variant.quoteAll)).join(',');
  const pad = (first: string): string[] => [first, ...Array<string>(width - 1).fill('')];
  const lines: string[] = [];
  for (const t of variant.titleRows) lines.push(line(pad(t)));
  if (variant.blankAfterTitle) lines.push(line(pad('')));
  lines.push(line(COLUMNS.map((c) => variant.headers[c])));
  model.rows.forEach((row, i) => {
    const cells = cellsOf(row, i + 1);
    lines.push(line(COLUMNS.map((c) => cells[c])));
  });
  if (variant.totalsRow) {
    const cells = pad(TOTALS_TEXT);
    cells[COLUMNS.indexOf('postage')] = formatThousands(totalPostage(model.rows));
    lines.push(line(cells));
  }
  const text = `${lines.join('\r\n')}\r\n`;
  if (variant.encoding === 'windows-1258') return encodeWin1258(text);
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export async function encodeXlsx(model: ReportModel, variant: ReportVariant, createdAt: Date): Promise<Buffer> {
  const wb = new Workbook();
  wb.creator = 'Tổng công ty Bưu điện Việt Nam';
  wb.lastModifiedBy = 'BCCI';
  wb.created = createdAt;
  wb.modified = createdAt;
  const ws = wb.addWorksheet('BaoCao');
  let n = 1;
  for (const t of variant.titleRows) {
    ws.getRow(n).getCell(1).value = t;
    if (n === 1) ws.getRow(n).getCell(1).font = { bold: true, size: 14 };
    n++;
  }
  if (variant.blankAfterTitle) n++;
  ws.getRow(n).values = COLUMNS.map((c) => variant.headers[c]);
  ws.getRow(n).font = { bold: true };
  n++;
  model.rows.forEach((row, i) => {
    const cells = cellsOf(row, i + 1);
    const r = ws.getRow(n++);
    COLUMNS.forEach((c, j) => {
      const cell = r.getCell(j + 1);
      if (c === 'stt') cell.value = i + 1;
      else if (c === 'postage' && !variant.postageAsText && row.postage !== null) {
        cell.value = row.postage;
        cell.numFmt = '#,##0';
      } else if (cells[c] !== '') cell.value = cells[c];
    });
  });
  if (variant.totalsRow) {
    const r = ws.getRow(n);
    r.getCell(1).value = TOTALS_TEXT;
    const total = totalPostage(model.rows);
    const cell = r.getCell(COLUMNS.indexOf('postage') + 1);
    if (variant.postageAsText) cell.value = formatThousands(total);
    else {
      cell.value = total;
      cell.numFmt = '#,##0';
    }
    r.font = { bold: true };
  }
  if (variant.extraSheet) {
    const notes = wb.addWorksheet('Ghi chu');
    notes.getRow(1).values = ['Ghi chú'];
    notes.getRow(2).values = ['Số liệu do Bưu điện tỉnh cung cấp; cước tính theo bảng giá BCCI hiện hành.'];
  }
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return fixZipTimestamps(buffer, new Date(createdAt.getTime() + VIETNAM_OFFSET_SECONDS * 1000));
}

export async function encodeReport(model: ReportModel, variant: ReportVariant, createdAt: Date): Promise<Buffer> {
  return variant.format === 'xlsx' ? encodeXlsx(model, variant, createdAt) : encodeCsv(model, variant);
}
