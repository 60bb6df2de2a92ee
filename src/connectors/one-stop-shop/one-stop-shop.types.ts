/**
 * Wire shapes of the one-stop-shop dossier API (provincial dossier-handling system via LGSP), as the contract
 * describes them. Everything is `unknown`-ish on purpose where sources are sloppy: numbers may come as strings,
 * missing values as "" or null, dates as `yyyyMMddHHmmss` or `dd/MM/yyyy HH:mm:ss`.
 */
export type Loose<T> = T | string | null | undefined;

export interface OssEnvelope<T> {
  error_code: string;
  message?: string;
  data?: T;
}

export interface OssPage<T> {
  tongSoBanGhi: Loose<number>;
  trang: Loose<number>;
  soBanGhi: Loose<number>;
  danhSach: T[];
}

export interface OssTokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

export interface OssProcedure {
  MaTTHC: string;
  TenTTHC?: string;
  MaLinhVuc?: string;
  MucDo?: Loose<number>;
  CapThucHien?: string[];
  CoPhiLePhi?: boolean | Loose<number>;
  DuDieuKienToanTrinh?: boolean | Loose<number>;
  CoKetQuaGiay?: boolean | Loose<number>;
}

export interface OssDossier {
  MaHoSo?: Loose<string>;
  MaTTHC?: Loose<string>;
  TenTTHC?: Loose<string>;
  MaLinhVuc?: Loose<string>;
  MaDonViXuLy?: Loose<string>;
  CapDonViXuLy?: Loose<string>;
  KenhThucHien?: Loose<number>;
  HinhThuc?: Loose<number>;
  NgayTiepNhan?: Loose<string>;
  NgayHenTra?: Loose<string>;
  NgayKetThucXuLy?: Loose<string>;
  NgayTra?: Loose<string>;
  TrangThaiHoSo?: Loose<number>;
  DuocThanhToanTrucTuyen?: Loose<number>;
  DanhSachLePhi?: Array<{ MaPhiLePhi?: Loose<string>; Gia?: Loose<number> }> | null | '';
  TaiLieuNop?: Array<{ MaThanhPhanHoSo?: Loose<string>; DuocSoHoa?: Loose<number>; DuocTaiSuDung?: Loose<number>; DuocLayTuKhoDMQG?: Loose<number> }> | null | '';
  DanhSachGiayToKetQua?: Array<{ MaGiayToKetQua?: Loose<string>; DuongDanTepTinKetQua?: Loose<string> }> | null | '';
  DanhSachHoSoBoSung?: Array<{ NgayBoSung?: Loose<string>; NgayTiepNhanBoSung?: Loose<string> }> | null | '';
  HoSoCoThanhPhanSoHoa?: Loose<number>;
  /** personal data: never copied out of the raw archive */
  ChuHoSo?: unknown;
  SoGiayToChuHoSo?: unknown;
  SoDienThoai?: unknown;
  Email?: unknown;
  NgayCapNhat?: Loose<string>;
  [extra: string]: unknown;
}

/** Error codes inside HTTP 200 envelopes. */
export const OSS_ERROR_CODES = {
  OK: '00',
  AUTHEN_ERROR: '100',
  IP_DISALLOWED: '101',
  AGENCY_ID_INCORRECT: '106',
  DATA_INCORRECT: '500',
  SYSTEM_BUSY: '503',
} as const;
