import { PoolClient } from 'pg';
import { POSTAL_SOURCE } from '../../evidence/sources/postal.evidence';
import { SheetSummary, Waybill } from './bcci-report.types';

export interface ReportFileRecord {
  connectorId: string;
  runId: string;
  provinceCode: string;
  monthKey: string;
  version: number;
  fileName: string;
  url: string;
  listedSha256: string;
  listedSize: number | null;
  digest: string;
  status: 'loaded' | 'digest_mismatch' | 'rejected';
  error: string | null;
  sheets: SheetSummary[] | null;
}

/**
 * Records a file version. A version already loaded stays as it is (returns null: nothing to do); one that failed
 * before (digest mismatch, rejected) is tried again and its row reused.
 */
export async function recordReportFile(db: PoolClient, f: ReportFileRecord): Promise<number | null> {
  const { rows } = await db.query(
    `INSERT INTO report_file (connector_id, run_id, province_code, source_kind, month_key, version, file_name, url, listed_sha256, listed_size, digest, status, error, sheets)
     VALUES ($1, $2, $3, '${POSTAL_SOURCE}', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (source_kind, province_code, month_key, version) DO UPDATE SET
       connector_id = EXCLUDED.connector_id, run_id = EXCLUDED.run_id, file_name = EXCLUDED.file_name, url = EXCLUDED.url,
       listed_sha256 = EXCLUDED.listed_sha256, listed_size = EXCLUDED.listed_size, digest = EXCLUDED.digest,
       status = EXCLUDED.status, error = EXCLUDED.error, sheets = EXCLUDED.sheets, loaded_at = now()
     WHERE report_file.status <> 'loaded'
     RETURNING id`,
    [f.connectorId, f.runId, f.provinceCode, f.monthKey, f.version, f.fileName, f.url, f.listedSha256, f.listedSize, f.digest, f.status, f.error, f.sheets ? JSON.stringify(f.sheets) : null],
  );
  return rows.length === 1 ? Number(rows[0].id) : null;
}

/** A version of a month already done: loaded (possibly with released rows to read again) or rejected. */
export interface SettledVersion {
  status: 'loaded' | 'rejected';
  /** the SHA-256 the listing announced when it was recorded (a rejected file is not tried again for the same bytes) */
  listedSha256: string;
  /** loaded, with quarantined rows released for a new reading */
  reload: { fileId: number; fileName: string; digest: string } | null;
}

export async function settledVersions(db: PoolClient, provinceCode: string, monthKey: string): Promise<Map<number, SettledVersion>> {
  const { rows } = await db.query(
    `SELECT id, version, status, listed_sha256, file_name, digest, reload_requested_at FROM report_file
      WHERE source_kind = '${POSTAL_SOURCE}' AND province_code = $1 AND month_key = $2 AND status IN ('loaded', 'rejected')`,
    [provinceCode, monthKey],
  );
  return new Map(
    rows.map((r) => [
      r.version as number,
      {
        status: r.status,
        listedSha256: String(r.listed_sha256),
        reload: r.status === 'loaded' && r.reload_requested_at ? { fileId: Number(r.id), fileName: r.file_name, digest: String(r.digest) } : null,
      },
    ]),
  );
}

/** The month's postal evidence is stale (the evidence outbox, same transaction as the rows). */
export async function markMonthStale(db: PoolClient, provinceCode: string, monthKey: string): Promise<void> {
  await db.query(
    `INSERT INTO evidence_outbox (province_code, source_kind, month_key) VALUES ($1, '${POSTAL_SOURCE}', $2)
     ON CONFLICT (province_code, source_kind, month_key) DO UPDATE SET seq = nextval('outbox_seq')`,
    [provinceCode, monthKey],
  );
}

export interface WaybillRow {
  rowNumber: number;
  sheet: string;
  waybill: Waybill;
}

/** Inserts a batch of rows of one file version; returns the rows that were duplicates (same direction and id). */
export async function insertWaybills(db: PoolClient, provinceCode: string, monthKey: string, version: number, fileId: number, rows: WaybillRow[]): Promise<WaybillRow[]> {
  if (rows.length === 0) return [];
  const { rows: inserted } = await db.query(
    `INSERT INTO waybill (province_code, month_key, version, direction, waybill_id, dossier_id, procedure_code, agency_code,
                          accepted_at, delivered_at, status, status_text, postage, file_id, row_number)
     SELECT $1, $2, $3, x.direction, x.waybill_id, x.dossier_id, x.procedure_code, x.agency_code,
            x.accepted_at, x.delivered_at, x.status, x.status_text, x.postage, $4, x.row_number
       FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::text[], $13::text[], $14::int8[], $15::int4[])
         AS x(direction, waybill_id, dossier_id, procedure_code, agency_code, accepted_at, delivered_at, status, status_text, postage, row_number)
     ON CONFLICT DO NOTHING
     RETURNING row_number`,
    [
      provinceCode,
      monthKey,
      version,
      fileId,
      rows.map((r) => r.waybill.direction),
      rows.map((r) => r.waybill.waybillId),
      rows.map((r) => r.waybill.dossierId),
      rows.map((r) => r.waybill.procedureCode),
      rows.map((r) => r.waybill.agencyCode),
      rows.map((r) => r.waybill.acceptedAt?.toISOString() ?? null),
      rows.map((r) => r.waybill.deliveredAt?.toISOString() ?? null),
      rows.map((r) => r.waybill.status),
      rows.map((r) => r.waybill.statusText),
      rows.map((r) => r.waybill.postage),
      rows.map((r) => r.rowNumber),
    ],
  );
  const done = new Set(inserted.map((r) => r.row_number as number));
  return rows.filter((r) => !done.has(r.rowNumber));
}

/** After a version loaded: counts on the file, the month's current version (newest wins), the evidence outbox. */
export async function completeReportFile(
  db: PoolClient,
  fileId: number,
  r: {
    provinceCode: string;
    monthKey: string;
    version: number;
    format: string;
    encoding: string | null;
    headerRow: number;
    goodRows: number;
    badRows: number;
    sheets: SheetSummary[];
  },
): Promise<void> {
  await db.query(`UPDATE report_file SET format = $2, encoding = $3, header_row = $4, good_rows = $5, bad_rows = $6, sheets = $7 WHERE id = $1`, [
    fileId,
    r.format,
    r.encoding,
    r.headerRow,
    r.goodRows,
    r.badRows,
    JSON.stringify(r.sheets),
  ]);
  const { rowCount } = await db.query(
    `INSERT INTO report_month (source_kind, province_code, month_key, current_version, file_id)
     VALUES ('${POSTAL_SOURCE}', $1, $2, $3, $4)
     ON CONFLICT (source_kind, province_code, month_key) DO UPDATE SET
       current_version = EXCLUDED.current_version, file_id = EXCLUDED.file_id, updated_at = now()
     WHERE report_month.current_version < EXCLUDED.current_version`,
    [r.provinceCode, r.monthKey, r.version, fileId],
  );
  if ((rowCount ?? 0) > 0) await markMonthStale(db, r.provinceCode, r.monthKey);
}
