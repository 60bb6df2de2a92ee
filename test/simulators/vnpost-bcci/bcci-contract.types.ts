/**
 * The VNPost BCCI report contract as the simulator speaks it, written from the contract document
 * (shared/contracts/vnpost-bcci-reports.md), not from the service's connector: the listing and its file
 * entries (Vietnamese field names as published), and the meaning of a report row, which the simulator keeps as
 * its "truth" for the tests to compare the service against.
 */

/** `GET {base}/bcci/v1/baocao?maTinh=44&thang=2026-08` */
export interface ListingAnswer {
  maTinh: string;
  thang: string;
  tep: FileEntry[];
}

/** One file of a month: `GET url` returns its bytes; `phienBan` 2, 3, … are corrections of the month. */
export interface FileEntry {
  tenTep: string;
  url: string;
  sha256: string;
  kichThuoc: number;
  phienBan: number;
  ngayTao: string;
}

/** Chiều: "Chiều đi" — collected from the citizen for the agency; "Chiều về" — the result back to the citizen. */
export type Direction = 'submission' | 'result';

/** Trạng thái: Phát thành công, Chuyển hoàn, Đang vận chuyển, Hủy. */
export type DeliveryStatus = 'delivered' | 'returned' | 'in_transit' | 'cancelled';

/** Why a row is a bad row in the contract's words: missing waybill id, unknown direction, impossible date. */
export type BadRowReason = 'MISSING_ID' | 'UNKNOWN_CODE' | 'INVALID_DATE';

/** What one good row of a report says (the simulator's truth). */
export interface ReportedWaybill {
  waybillId: string;
  dossierId: string | null;
  procedureCode: string | null;
  agencyCode: string | null;
  direction: Direction;
  acceptedAt: Date | null;
  deliveredAt: Date | null;
  status: DeliveryStatus | null;
  statusText: string | null;
  postage: number | null;
}
