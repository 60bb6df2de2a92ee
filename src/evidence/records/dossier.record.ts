/**
 * A dossier as stored in the normalised `dossier` table: typed, Vietnam-time dates resolved to instants, and no
 * personal data (ChuHoSo, SoGiayToChuHoSo, SoDienThoai, Email are dropped).
 */
export type HandlingLevel = 'TINH' | 'XA';

export interface NormalisedDossier {
  provinceCode: string;
  dossierId: string;
  procedureCode: string | null;
  fieldCode: string | null;
  handlingUnitCode: string | null;
  handlingLevel: HandlingLevel | null;
  /** KenhThucHien: 1 in person, 2 online, 3 public postal service */
  channel: 1 | 2 | 3;
  /** HinhThuc: 0 in person, 1 by post; null when not given */
  resultDelivery: 0 | 1 | null;
  /** TrangThaiHoSo 1..10 */
  status: number;
  receivedAt: Date;
  dueAt: Date | null;
  /** NgayKetThucXuLy */
  processedAt: Date | null;
  /** NgayTra */
  returnedAt: Date | null;
  /** NgayCapNhat: the version of this dossier; the newest wins */
  sourceUpdatedAt: Date;
  /** DuocThanhToanTrucTuyen: 1 on DVCQG, 2 on the provincial portal, otherwise null */
  onlinePaymentChannel: 1 | 2 | null;
  /** sum of DanhSachLePhi[].Gia in VND; null when no fee list */
  feeTotal: number | null;
  hasFee: boolean;
  componentCount: number;
  digitisedComponentCount: number;
  reusedComponentCount: number;
  resultFileCount: number;
  /** HoSoCoThanhPhanSoHoa = 1 */
  digitised: boolean;
  supplementCount: number;
  /** seconds the first supplement request stopped the clock (0 when none) */
  supplementPauseSeconds: number;
}

export type QuarantineReason =
  | 'NOT_AN_OBJECT'
  | 'MISSING_ID'
  | 'MISSING_UPDATED_AT'
  | 'INVALID_DATE'
  | 'MISSING_RECEIVED_AT'
  | 'UNKNOWN_CODE'
  | 'INVALID_NUMBER'
  | 'INCONSISTENT_DATES';

export type DossierParseResult =
  | { ok: true; dossier: NormalisedDossier }
  | { ok: false; reason: QuarantineReason; field?: string; detail: string; dossierId: string | null };

/** A procedure of a province's catalogue, as stored in the normalised `procedure` table. */
export interface NormalisedProcedure {
  provinceCode: string;
  procedureCode: string;
  name: string | null;
  fieldCode: string | null;
  /** MucDo: 2 information only, 3 partly online, 4 fully online */
  onlineLevel: 2 | 3 | 4 | null;
  /** CapThucHien, e.g. ['TINH', 'XA'] */
  levels: string[];
  /** CoPhiLePhi */
  hasFee: boolean | null;
  /** DuDieuKienToanTrinh */
  fullyOnlineEligible: boolean | null;
  /** CoKetQuaGiay */
  hasPaperResult: boolean | null;
}

/** The evidence source fed by one-stop-shop connectors (the evidence outbox's source_kind). */
export const ONE_STOP_SHOP_SOURCE = 'one-stop-shop';
