/**
 * Shapes of the VNPost public-postal-service (BCCI) reports: the monthly listing and one normalised row per
 * waybill and direction. Shared by the report parser, the connector and the simulator.
 */

/** `GET {base}/bcci/v1/baocao?maTinh=44&thang=2026-08` */
export interface BcciListing {
  maTinh: string;
  thang: string;
  tep: BcciFileEntry[];
}

export interface BcciFileEntry {
  tenTep: string;
  url: string;
  sha256: string;
  kichThuoc: number;
  phienBan: number;
  ngayTao: string;
}

export type WaybillDirection = 'submission' | 'result';
export type WaybillStatus = 'delivered' | 'returned' | 'in_transit' | 'cancelled';

/** One waybill row, normalised (no personal data: the reports carry none beyond ids). */
export interface Waybill {
  /** Mã vận đơn */
  waybillId: string;
  /** Mã hồ sơ (the one-stop-shop MaHoSo), null when blank */
  dossierId: string | null;
  /** Mã TTHC */
  procedureCode: string | null;
  /** Mã cơ quan */
  agencyCode: string | null;
  /** Chiều: đi = submission, về = result return */
  direction: WaybillDirection;
  /** Ngày chấp nhận, Vietnam time */
  acceptedAt: Date | null;
  /** Ngày phát, Vietnam time */
  deliveredAt: Date | null;
  /** Trạng thái; null when blank or not one of the four known values (the raw text is kept in statusText) */
  status: WaybillStatus | null;
  statusText: string | null;
  /** Cước (VNĐ) */
  postage: number | null;
}

export type BadRowReason = 'MISSING_ID' | 'UNKNOWN_CODE' | 'INVALID_DATE' | 'INVALID_NUMBER';

export type ParsedRow =
  | { ok: true; sheet: string; rowNumber: number; waybill: Waybill }
  | { ok: false; sheet: string; rowNumber: number; reason: BadRowReason; field: string; detail: string; raw: Record<string, string> };

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'windows-1258' | 'utf-16le' | 'utf-16be';

/** What became of one worksheet (or of the CSV file, as one sheet). */
export interface SheetSummary {
  name: string;
  /** 1-based row of the (lower) header row; null when the sheet was skipped */
  headerRow: number | null;
  dataRows: number;
  /** why the sheet was skipped, or how it was read (e.g. direction taken from its name) */
  note: string | null;
}

export interface ReportParseSummary {
  format: 'xlsx' | 'csv';
  /** csv only */
  encoding: CsvEncoding | null;
  /** the first data sheet */
  sheet: string;
  /** 1-based row number of the header row in the first data sheet */
  headerRow: number;
  /** canonical column → header text as found (first data sheet) */
  columns: Record<string, string>;
  dataRows: number;
  goodRows: number;
  badRows: number;
  totalsRowSkipped: boolean;
  /** signature and footer rows below the data ("Người lập biểu", "Thủ trưởng đơn vị", signers' names) */
  footerRowsSkipped: number;
  sheets: SheetSummary[];
}
