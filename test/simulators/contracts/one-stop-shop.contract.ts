/**
 * The one-stop-shop dossier API contract as checkable rules, written from the contract text (the project's
 * copy of "One-stop-shop dossier API (provincial dossier-handling system, via LGSP)" and the code lists of the
 * domain notes), NOT from the connector: a simulator answer is checked against these, so a misreading of the
 * contract in the connector cannot hide here. Imports nothing from `src/`.
 */
import { z } from 'zod';

/** error_code values the contract names ("00" is success). */
export const OSS_ERROR_CODES = ['00', '100', '101', '106', '500', '503'] as const;
export const OSS_MAX_PAGE_SIZE = 1000;

/** Codes of the domain notes. */
export const KENH_THUC_HIEN = [1, 2, 3] as const; // in person, online, postal
export const HINH_THUC = [0, 1] as const; // result in person, by post
export const MUC_DO = [2, 3, 4] as const;
export const TRANG_THAI = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;

const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const DISPLAY = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/;

/**
 * A contract date (`yyyyMMddHHmmss`, occasionally `dd/MM/yyyy HH:mm:ss`, Vietnam wall time, no zone) as a
 * sortable `yyyyMMddHHmmss`; null when it is neither form or not a real calendar time.
 */
export function contractStamp(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  let parts: number[];
  const c = COMPACT.exec(value);
  const d = DISPLAY.exec(value);
  if (c) parts = c.slice(1).map(Number);
  else if (d) parts = [d[3], d[2], d[1], d[4], d[5], d[6]].map(Number);
  else return null;
  const [y, mo, da, h, mi, s] = parts;
  const t = new Date(Date.UTC(y, mo - 1, da, h, mi, s));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== da || h > 23 || mi > 59 || s > 59) return null;
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(y, 4)}${p(mo)}${p(da)}${p(h)}${p(mi)}${p(s)}`;
}

/** "Numbers sometimes arrive as strings": a code given as a number or a digit string. */
const looseCode = (allowed: readonly number[]) =>
  z.union([z.number(), z.string().regex(/^\d+$/)]).refine((v) => allowed.includes(Number(v)), { message: `not one of ${allowed.join(', ')}` });
/** "missing values as "" or null" */
const missing = z.union([z.literal(''), z.null()]);
const stamp = z.string().refine((v) => contractStamp(v) !== null, { message: 'not yyyyMMddHHmmss nor dd/MM/yyyy HH:mm:ss' });
const optionalStamp = z.union([stamp, missing]).optional();
const looseNumber = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/)]);
const flag = z.union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1')]);
const looseList = <T extends z.ZodTypeAny>(item: T) => z.union([z.array(item), missing]).optional();

/** A dossier as the contract shows it, with the quirks it lists (strings for numbers, "" or null for missing). */
export const contractDossier = z
  .object({
    MaHoSo: z.string().min(1),
    MaTTHC: z.string().min(1),
    TenTTHC: z.string().optional(),
    MaLinhVuc: z.string().optional(),
    MaDonViXuLy: z.string().min(1),
    CapDonViXuLy: z.enum(['TINH', 'XA']),
    KenhThucHien: looseCode(KENH_THUC_HIEN),
    HinhThuc: looseCode(HINH_THUC),
    NgayTiepNhan: stamp,
    NgayHenTra: optionalStamp,
    NgayKetThucXuLy: optionalStamp,
    NgayTra: optionalStamp,
    TrangThaiHoSo: looseCode(TRANG_THAI),
    DuocThanhToanTrucTuyen: z.union([looseNumber, missing]).optional(),
    DanhSachLePhi: looseList(z.object({ MaPhiLePhi: z.string(), Gia: looseNumber })),
    TaiLieuNop: looseList(z.object({ MaThanhPhanHoSo: z.string(), DuocSoHoa: flag, DuocTaiSuDung: flag, DuocLayTuKhoDMQG: flag })),
    DanhSachGiayToKetQua: looseList(z.object({ MaGiayToKetQua: z.string(), DuongDanTepTinKetQua: z.string() })),
    DanhSachHoSoBoSung: looseList(z.object({ NgayBoSung: stamp, NgayTiepNhanBoSung: optionalStamp })),
    HoSoCoThanhPhanSoHoa: z.union([flag, missing]).optional(),
    ChuHoSo: z.string().optional(),
    SoGiayToChuHoSo: z.string().optional(),
    SoDienThoai: z.string().optional(),
    Email: z.string().optional(),
    NgayCapNhat: stamp,
  })
  .strict();

export const contractProcedure = z
  .object({
    MaTTHC: z.string().min(1),
    TenTTHC: z.string().min(1),
    MaLinhVuc: z.string().min(1),
    MucDo: looseCode(MUC_DO),
    CapThucHien: z.array(z.enum(['TINH', 'XA'])).min(1),
    CoPhiLePhi: z.union([z.boolean(), flag]),
    DuDieuKienToanTrinh: z.union([z.boolean(), flag]),
    CoKetQuaGiay: z.union([z.boolean(), flag]),
  })
  .strict();

export const contractToken = z.object({ access_token: z.string().min(1), token_type: z.literal('Bearer'), expires_in: z.number().int().positive() });

/** `{"error_code","message","data"}` with one of the contract's codes. */
export const contractEnvelope = z.object({ error_code: z.enum(OSS_ERROR_CODES), message: z.string(), data: z.unknown() }).strict();

export const contractPage = z.object({
  tongSoBanGhi: z.number().int().nonnegative(),
  trang: z.number().int().min(1),
  soBanGhi: z.number().int().min(1).max(OSS_MAX_PAGE_SIZE),
  danhSach: z.array(z.unknown()),
});

/** Field-level problems of a value against a schema, as readable lines (empty when it conforms). */
export function violations(schema: z.ZodTypeAny, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}
