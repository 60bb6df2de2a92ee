import { PoolClient } from 'pg';
import type { Provenance } from '../quarantine/quarantine.writer';
import { NormalisedDossier } from './dossier.model';

import { ONE_STOP_SHOP_SOURCE } from '../../evidence/records/dossier.record';
export { ONE_STOP_SHOP_SOURCE };

export type { Provenance, QuarantineEntry } from '../quarantine/quarantine.writer';
export { insertQuarantine, recordHash } from '../quarantine/quarantine.writer';

/** Column order shared by the array parameters and the SQL below. */
export const DOSSIER_COLUMNS: Array<[string, string, (d: NormalisedDossier) => unknown]> = [
  ['dossier_id', 'text', (d) => d.dossierId],
  ['procedure_code', 'text', (d) => d.procedureCode],
  ['field_code', 'text', (d) => d.fieldCode],
  ['handling_unit_code', 'text', (d) => d.handlingUnitCode],
  ['handling_level', 'text', (d) => d.handlingLevel],
  ['channel', 'int2', (d) => d.channel],
  ['result_delivery', 'int2', (d) => d.resultDelivery],
  ['status', 'int2', (d) => d.status],
  ['received_at', 'timestamptz', (d) => d.receivedAt.toISOString()],
  ['due_at', 'timestamptz', (d) => d.dueAt?.toISOString() ?? null],
  ['processed_at', 'timestamptz', (d) => d.processedAt?.toISOString() ?? null],
  ['returned_at', 'timestamptz', (d) => d.returnedAt?.toISOString() ?? null],
  ['source_updated_at', 'timestamptz', (d) => d.sourceUpdatedAt.toISOString()],
  ['online_payment_channel', 'int2', (d) => d.onlinePaymentChannel],
  ['fee_total', 'int8', (d) => d.feeTotal],
  ['has_fee', 'bool', (d) => d.hasFee],
  ['component_count', 'int4', (d) => d.componentCount],
  ['digitised_component_count', 'int4', (d) => d.digitisedComponentCount],
  ['reused_component_count', 'int4', (d) => d.reusedComponentCount],
  ['result_file_count', 'int4', (d) => d.resultFileCount],
  ['digitised', 'bool', (d) => d.digitised],
  ['supplement_count', 'int2', (d) => d.supplementCount],
  ['supplement_pause_seconds', 'int4', (d) => d.supplementPauseSeconds],
];

const N = DOSSIER_COLUMNS.length;
const names = DOSSIER_COLUMNS.map(([name]) => name);

/**
 * One statement per page: a multi-row upsert where the newest `NgayCapNhat` wins (replays and duplicates change
 * nothing), plus the evidence outbox rows for every month whose dossiers changed — both the new received month
 * and, if a dossier moved, its old one. Rows arrive as one array parameter per column (unnest), so a page of
 * 1000 dossiers is one round trip.
 */
export const UPSERT_SQL = `
WITH input AS (
    SELECT * FROM unnest(${DOSSIER_COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}, $${N + 5}::int4[])
      AS t(${names.join(', ')}, position)
  ),
  -- one row per dossier id: a page may carry the same dossier twice; keep its newest version
  ranked AS (
    SELECT DISTINCT ON (dossier_id) * FROM input ORDER BY dossier_id, source_updated_at DESC, position DESC
  ),
  -- the stored version of each incoming dossier, by primary-key lookups (a lateral join: the planner must not
  -- hash the whole province's table, which would make every page cost as much as the table is large)
  previous AS (
    SELECT r.dossier_id, p.received_at FROM ranked r
    CROSS JOIN LATERAL (
      SELECT d.received_at FROM dossier d WHERE d.province_code = $${N + 1} AND d.dossier_id = r.dossier_id LIMIT 1
    ) p
  ),
  upserted AS (
    INSERT INTO dossier (province_code, ${names.join(', ')}, connector_id, run_id, raw_digest, raw_position)
    SELECT $${N + 1}, ${names.join(', ')}, $${N + 2}, $${N + 3}, $${N + 4}, position FROM ranked
    ON CONFLICT (province_code, dossier_id) DO UPDATE SET
      ${[...names.filter((n) => n !== 'dossier_id'), 'connector_id', 'run_id', 'raw_digest', 'raw_position']
        .map((n) => `${n} = EXCLUDED.${n}`)
        .join(', ')},
      ingested_at = now()
    WHERE dossier.source_updated_at < EXCLUDED.source_updated_at
    RETURNING dossier_id, received_at
  ),
  touched AS (
    SELECT received_at FROM upserted
    UNION ALL
    SELECT p.received_at FROM previous p JOIN upserted u USING (dossier_id)
  ),
  outbox AS (
    INSERT INTO evidence_outbox (province_code, source_kind, month_key)
    SELECT DISTINCT $${N + 1}, '${ONE_STOP_SHOP_SOURCE}', to_char(received_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM')
      FROM touched
     ORDER BY 3 -- a fixed lock order: window runs of one province commit side by side without deadlocks
    ON CONFLICT (province_code, source_kind, month_key) DO UPDATE SET seq = nextval('outbox_seq')
  )
SELECT count(*)::int AS written FROM upserted`;

/**
 * Writes a page of valid dossiers (positions = index of each in the payload's danhSach).
 * Returns how many rows were inserted or replaced by a newer version.
 */
export async function upsertDossiers(
  db: PoolClient,
  provinceCode: string,
  dossiers: NormalisedDossier[],
  positions: number[],
  provenance: Provenance,
): Promise<number> {
  if (dossiers.length === 0) return 0;
  const columns: unknown[][] = DOSSIER_COLUMNS.map(() => new Array(dossiers.length));
  for (let r = 0; r < dossiers.length; r++) {
    const d = dossiers[r];
    for (let c = 0; c < N; c++) columns[c][r] = DOSSIER_COLUMNS[c][2](d);
  }
  const { rows } = await db.query(UPSERT_SQL, [
    ...columns,
    provinceCode,
    provenance.connectorId,
    provenance.runId,
    provenance.rawDigest,
    positions,
  ]);
  return rows[0].written as number;
}
