/**
 * Turns one raw one-stop-shop record (dossier or procedure) into its normalised form, or says why it must be
 * quarantined. Pure and allocation-light: it runs once per record of every sync (millions of times in the
 * benchmark), so there is no regex compilation per call, no exception used for control flow and no
 * JSON.stringify. Personal data (ChuHoSo, SoGiayToChuHoSo, SoDienThoai, Email) is never read: the output is
 * built field by field, never by spreading the raw record.
 */
import { parseSourceDate } from '../../platform/time/vietnam-time';
import { DossierParseResult, HandlingLevel, NormalisedDossier, QuarantineReason } from './dossier.model';

type RawRecord = Record<string, unknown>;

export type { NormalisedProcedure } from '../../evidence/records/dossier.record';
import type { NormalisedProcedure } from '../../evidence/records/dossier.record';

export type ProcedureParseResult =
  | { ok: true; procedure: NormalisedProcedure }
  | { ok: false; reason: QuarantineReason; field?: string; detail: string; procedureCode: string | null };

/** A quarantine verdict before the record key is attached. */
interface Failure {
  reason: QuarantineReason;
  field: string;
  detail: string;
}

function failure(reason: QuarantineReason, field: string, detail: string): Failure {
  return { reason, field, detail };
}

function isRecord(value: unknown): value is RawRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/** A short, printable rendering of an offending (non-personal) value for quarantine details. */
function show(value: unknown): string {
  if (typeof value === 'string') return value.length > 64 ? `"${value.slice(0, 64)}…"` : `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** A trimmed non-empty string; numbers are accepted as their decimal text. Anything else is null. */
function readText(value: unknown): string | null {
  if (typeof value === 'string') {
    const text = value.trim();
    return text === '' ? null : text;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * A loose number: numbers and numeric strings are read, `""`/null/undefined/blank are empty (null), and
 * anything else is NaN (the caller reports INVALID_NUMBER). Returning NaN instead of throwing keeps the hot
 * path exception-free.
 */
function readNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    if (value.length === 0) return null;
    const n = Number(value); // Number() trims surrounding whitespace itself
    if (n === 0 && value.trim() === '') return null;
    return Number.isFinite(n) ? n : NaN;
  }
  return NaN;
}

function invalidNumber(field: string, value: unknown): Failure {
  return failure('INVALID_NUMBER', field, `${field} ${show(value)} is not a number`);
}

// ---------------------------------------------------------------------------------------------------------
// Dates

/** Where readDate leaves the instant it read (null when empty): one reused slot, no wrapper per call. */
interface DateSlot {
  date: Date | null;
}

/** Reads a loose source date into `out`; returns false when a value is present but is not a real date. */
function readDateInto(value: unknown, out: DateSlot): boolean {
  out.date = null;
  if (value === null || value === undefined) return true;
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const parsed = parseSourceDate(value);
  if (parsed.kind === 'invalid') return false;
  if (parsed.kind === 'ok') out.date = parsed.date;
  return true;
}

function invalidDate(field: string, value: unknown): Failure {
  return failure('INVALID_DATE', field, `${field} ${show(value)} is not a valid Vietnam-time date`);
}

/** Reads raw[key] as a date into `out`; a failure when present but invalid. */
function readDate(raw: RawRecord, key: string, out: DateSlot): Failure | null {
  const value = raw[key];
  return readDateInto(value, out) ? null : invalidDate(key, value);
}

// ---------------------------------------------------------------------------------------------------------
// Lists

/** `""`/null/undefined → empty list; an array → itself; anything else → null (a structural error). */
function readList(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (isEmpty(value)) return EMPTY_LIST;
  return null;
}

const EMPTY_LIST: unknown[] = [];

function notAList(field: string, value: unknown): Failure {
  return failure('NOT_AN_OBJECT', field, `${field} is ${show(value)}, expected a list`);
}

function notAnEntry(field: string, index: number, value: unknown): Failure {
  return failure('NOT_AN_OBJECT', `${field}[${index}]`, `${field}[${index}] is ${show(value)}, expected an object`);
}

/** A 0/1 flag: 1 when it reads as 1 (or true), 0 otherwise, NaN when not a number. */
function readFlagIsOne(value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  const n = readNumber(value);
  if (n === null) return 0;
  if (Number.isNaN(n)) return NaN;
  return n === 1 ? 1 : 0;
}

interface Fees {
  total: number | null;
}

function readFees(raw: RawRecord, out: Fees): Failure | null {
  const value = raw.DanhSachLePhi;
  const list = readList(value);
  if (list === null) return notAList('DanhSachLePhi', value);
  out.total = null;
  if (list.length === 0) return null;
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (!isRecord(entry)) return notAnEntry('DanhSachLePhi', i, entry);
    const price = readNumber(entry.Gia);
    if (price === null) continue; // a fee line with no price contributes nothing
    if (Number.isNaN(price)) return invalidNumber(`DanhSachLePhi[${i}].Gia`, entry.Gia);
    total += price;
  }
  // fee_total is a bigint column of VND: there are no fractions of a đồng.
  out.total = Math.round(total);
  return null;
}

interface Components {
  count: number;
  digitised: number;
  reused: number;
}

function readComponents(raw: RawRecord, out: Components): Failure | null {
  const value = raw.TaiLieuNop;
  const list = readList(value);
  if (list === null) return notAList('TaiLieuNop', value);
  out.count = list.length;
  out.digitised = 0;
  out.reused = 0;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (!isRecord(entry)) return notAnEntry('TaiLieuNop', i, entry);
    const digitised = readFlagIsOne(entry.DuocSoHoa);
    if (Number.isNaN(digitised)) return invalidNumber(`TaiLieuNop[${i}].DuocSoHoa`, entry.DuocSoHoa);
    const reused = readFlagIsOne(entry.DuocTaiSuDung);
    if (Number.isNaN(reused)) return invalidNumber(`TaiLieuNop[${i}].DuocTaiSuDung`, entry.DuocTaiSuDung);
    const fromStore = readFlagIsOne(entry.DuocLayTuKhoDMQG);
    if (Number.isNaN(fromStore)) return invalidNumber(`TaiLieuNop[${i}].DuocLayTuKhoDMQG`, entry.DuocLayTuKhoDMQG);
    out.digitised += digitised;
    if (reused === 1 || fromStore === 1) out.reused++;
  }
  return null;
}

interface ResultFiles {
  count: number;
}

function readResultFiles(raw: RawRecord, out: ResultFiles): Failure | null {
  const value = raw.DanhSachGiayToKetQua;
  const list = readList(value);
  if (list === null) return notAList('DanhSachGiayToKetQua', value);
  out.count = 0;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (!isRecord(entry)) return notAnEntry('DanhSachGiayToKetQua', i, entry);
    if (readText(entry.DuongDanTepTinKetQua) !== null) out.count++;
  }
  return null;
}

interface Supplements {
  count: number;
  pauseSeconds: number;
}

/**
 * Supplement requests. Every present date is validated; the pause is taken from the first entry of the list
 * (the first request, which stops the clock): NgayTiepNhanBoSung − NgayBoSung in whole seconds, 0 when
 * either date is missing or the difference is negative.
 */
function readSupplements(raw: RawRecord, out: Supplements, scratch: DateSlot): Failure | null {
  const value = raw.DanhSachHoSoBoSung;
  const list = readList(value);
  if (list === null) return notAList('DanhSachHoSoBoSung', value);
  out.count = list.length;
  out.pauseSeconds = 0;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i];
    if (!isRecord(entry)) return notAnEntry('DanhSachHoSoBoSung', i, entry);
    if (!readDateInto(entry.NgayBoSung, scratch)) {
      return invalidDate(`DanhSachHoSoBoSung[${i}].NgayBoSung`, entry.NgayBoSung);
    }
    const requestedAt = scratch.date;
    if (!readDateInto(entry.NgayTiepNhanBoSung, scratch)) {
      return invalidDate(`DanhSachHoSoBoSung[${i}].NgayTiepNhanBoSung`, entry.NgayTiepNhanBoSung);
    }
    const resubmittedAt = scratch.date;
    if (i === 0 && requestedAt !== null && resubmittedAt !== null) {
      const seconds = Math.floor((resubmittedAt.getTime() - requestedAt.getTime()) / 1000);
      out.pauseSeconds = seconds > 0 ? seconds : 0;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// Codes

function readChannel(raw: RawRecord): 1 | 2 | 3 | Failure {
  const value = raw.KenhThucHien;
  const n = readNumber(value);
  if (n !== null && Number.isNaN(n)) return invalidNumber('KenhThucHien', value);
  if (n === 1 || n === 2 || n === 3) return n;
  return failure('UNKNOWN_CODE', 'KenhThucHien', `KenhThucHien ${n === null ? 'is missing' : show(value) + ' is not 1, 2 or 3'}`);
}

function readResultDelivery(raw: RawRecord): 0 | 1 | null | Failure {
  const value = raw.HinhThuc;
  const n = readNumber(value);
  if (n === null) return null;
  if (Number.isNaN(n)) return invalidNumber('HinhThuc', value);
  if (n === 0 || n === 1) return n;
  return failure('UNKNOWN_CODE', 'HinhThuc', `HinhThuc ${show(value)} is not 0 or 1`);
}

function readStatus(raw: RawRecord): number | Failure {
  const value = raw.TrangThaiHoSo;
  const n = readNumber(value);
  if (n !== null && Number.isNaN(n)) return invalidNumber('TrangThaiHoSo', value);
  if (n !== null && Number.isInteger(n) && n >= 1 && n <= 10) return n;
  return failure('UNKNOWN_CODE', 'TrangThaiHoSo', `TrangThaiHoSo ${n === null ? 'is missing' : show(value) + ' is not 1..10'}`);
}

function readHandlingLevel(raw: RawRecord): HandlingLevel | null | Failure {
  const value = raw.CapDonViXuLy;
  if (isEmpty(value)) return null;
  if (typeof value === 'string') {
    const text = value.trim().toUpperCase();
    if (text === 'TINH' || text === 'XA') return text;
    if (text === '') return null;
  }
  return failure('UNKNOWN_CODE', 'CapDonViXuLy', `CapDonViXuLy ${show(value)} is not TINH or XA`);
}

function readPaymentChannel(raw: RawRecord): 1 | 2 | null | Failure {
  const value = raw.DuocThanhToanTrucTuyen;
  const n = readNumber(value);
  if (n !== null && Number.isNaN(n)) return invalidNumber('DuocThanhToanTrucTuyen', value);
  return n === 1 || n === 2 ? n : null;
}

function readDigitisedFlag(raw: RawRecord): boolean | Failure {
  const value = raw.HoSoCoThanhPhanSoHoa;
  const flag = readFlagIsOne(value);
  if (Number.isNaN(flag)) return invalidNumber('HoSoCoThanhPhanSoHoa', value);
  return flag === 1;
}

function isFailure(value: unknown): value is Failure {
  return typeof value === 'object' && value !== null && 'reason' in value;
}

// ---------------------------------------------------------------------------------------------------------
// Dossier

function quarantine(f: Failure, dossierId: string | null): DossierParseResult {
  return { ok: false, reason: f.reason, field: f.field, detail: f.detail, dossierId };
}

/** Parses one dossier of the one-stop-shop API (see one-stop-shop.types.ts `OssDossier`). */
export function parseDossier(raw: unknown, provinceCode: string): DossierParseResult {
  if (!isRecord(raw)) {
    return { ok: false, reason: 'NOT_AN_OBJECT', detail: `dossier is ${show(raw)}, expected an object`, dossierId: null };
  }
  const dossierId = readText(raw.MaHoSo);
  if (dossierId === null) return quarantine(failure('MISSING_ID', 'MaHoSo', 'MaHoSo is missing or empty'), null);

  const d: DateSlot = { date: null };
  let f = readDate(raw, 'NgayCapNhat', d);
  if (f) return quarantine(f, dossierId);
  const sourceUpdatedAt = d.date;
  if (sourceUpdatedAt === null) {
    return quarantine(failure('MISSING_UPDATED_AT', 'NgayCapNhat', 'NgayCapNhat is missing or empty'), dossierId);
  }
  f = readDate(raw, 'NgayTiepNhan', d);
  if (f) return quarantine(f, dossierId);
  const receivedAt = d.date;
  if (receivedAt === null) {
    return quarantine(failure('MISSING_RECEIVED_AT', 'NgayTiepNhan', 'NgayTiepNhan is missing or empty'), dossierId);
  }
  f = readDate(raw, 'NgayHenTra', d);
  if (f) return quarantine(f, dossierId);
  const dueAt = d.date;
  f = readDate(raw, 'NgayKetThucXuLy', d);
  if (f) return quarantine(f, dossierId);
  const processedAt = d.date;
  f = readDate(raw, 'NgayTra', d);
  if (f) return quarantine(f, dossierId);
  const returnedAt = d.date;

  const supplements: Supplements = { count: 0, pauseSeconds: 0 };
  f = readSupplements(raw, supplements, d);
  if (f) return quarantine(f, dossierId);

  const channel = readChannel(raw);
  if (isFailure(channel)) return quarantine(channel, dossierId);
  const resultDelivery = readResultDelivery(raw);
  if (isFailure(resultDelivery)) return quarantine(resultDelivery, dossierId);
  const status = readStatus(raw);
  if (isFailure(status)) return quarantine(status, dossierId);
  const handlingLevel = readHandlingLevel(raw);
  if (isFailure(handlingLevel)) return quarantine(handlingLevel, dossierId);
  const onlinePaymentChannel = readPaymentChannel(raw);
  if (isFailure(onlinePaymentChannel)) return quarantine(onlinePaymentChannel, dossierId);
  const digitised = readDigitisedFlag(raw);
  if (isFailure(digitised)) return quarantine(digitised, dossierId);

  const fees: Fees = { total: null };
  f = readFees(raw, fees);
  if (f) return quarantine(f, dossierId);
  const components: Components = { count: 0, digitised: 0, reused: 0 };
  f = readComponents(raw, components);
  if (f) return quarantine(f, dossierId);
  const results: ResultFiles = { count: 0 };
  f = readResultFiles(raw, results);
  if (f) return quarantine(f, dossierId);

  const dossier: NormalisedDossier = {
    provinceCode,
    dossierId,
    procedureCode: readText(raw.MaTTHC),
    fieldCode: readText(raw.MaLinhVuc),
    handlingUnitCode: readText(raw.MaDonViXuLy),
    handlingLevel,
    channel,
    resultDelivery,
    status,
    receivedAt,
    dueAt,
    processedAt,
    returnedAt,
    sourceUpdatedAt,
    onlinePaymentChannel,
    feeTotal: fees.total,
    hasFee: fees.total !== null && fees.total > 0,
    componentCount: components.count,
    digitisedComponentCount: components.digitised,
    reusedComponentCount: components.reused,
    resultFileCount: results.count,
    digitised,
    supplementCount: supplements.count,
    supplementPauseSeconds: supplements.pauseSeconds,
  };
  return { ok: true, dossier };
}

// ---------------------------------------------------------------------------------------------------------
// Procedure

/** true/false, 1/0, "1"/"0", "true"/"false" (any case); empty → null; anything else → undefined (unknown). */
function readBoolean(value: unknown): boolean | null | undefined {
  if (typeof value === 'boolean') return value;
  if (isEmpty(value)) return null;
  if (value === 1) return true;
  if (value === 0) return false;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === '1' || text === 'true') return true;
    if (text === '0' || text === 'false') return false;
    if (text === '') return null;
  }
  return undefined;
}

function readOnlineLevel(raw: RawRecord): 2 | 3 | 4 | null | Failure {
  const value = raw.MucDo;
  const n = readNumber(value);
  if (n === null) return null;
  if (Number.isNaN(n)) return invalidNumber('MucDo', value);
  if (n === 2 || n === 3 || n === 4) return n;
  return failure('UNKNOWN_CODE', 'MucDo', `MucDo ${show(value)} is not 2, 3 or 4`);
}

/** CapThucHien: a list of level codes (a comma-separated string is accepted too); blanks are dropped. */
function readLevels(value: unknown): string[] {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : EMPTY_LIST;
  const levels: string[] = [];
  for (const item of items) {
    const text = readText(item);
    if (text !== null) levels.push(text.toUpperCase());
  }
  return levels;
}

const PROCEDURE_FLAGS = [
  ['CoPhiLePhi', 'hasFee'],
  ['DuDieuKienToanTrinh', 'fullyOnlineEligible'],
  ['CoKetQuaGiay', 'hasPaperResult'],
] as const;

/** Parses one entry of the procedures catalogue (see one-stop-shop.types.ts `OssProcedure`). */
export function parseProcedure(raw: unknown, provinceCode: string): ProcedureParseResult {
  if (!isRecord(raw)) {
    return { ok: false, reason: 'NOT_AN_OBJECT', detail: `procedure is ${show(raw)}, expected an object`, procedureCode: null };
  }
  const procedureCode = readText(raw.MaTTHC);
  if (procedureCode === null) {
    return { ok: false, reason: 'MISSING_ID', field: 'MaTTHC', detail: 'MaTTHC is missing or empty', procedureCode: null };
  }
  const onlineLevel = readOnlineLevel(raw);
  if (isFailure(onlineLevel)) return { ok: false, ...onlineLevel, procedureCode };

  const flags: Record<(typeof PROCEDURE_FLAGS)[number][1], boolean | null> = {
    hasFee: null,
    fullyOnlineEligible: null,
    hasPaperResult: null,
  };
  for (const [key, name] of PROCEDURE_FLAGS) {
    const flag = readBoolean(raw[key]);
    if (flag === undefined) {
      return { ok: false, reason: 'UNKNOWN_CODE', field: key, detail: `${key} ${show(raw[key])} is not a boolean`, procedureCode };
    }
    flags[name] = flag;
  }

  return {
    ok: true,
    procedure: {
      provinceCode,
      procedureCode,
      name: readText(raw.TenTTHC),
      fieldCode: readText(raw.MaLinhVuc),
      onlineLevel,
      levels: readLevels(raw.CapThucHien),
      hasFee: flags.hasFee,
      fullyOnlineEligible: flags.fullyOnlineEligible,
      hasPaperResult: flags.hasPaperResult,
    },
  };
}
