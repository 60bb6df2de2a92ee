import { PoolClient } from 'pg';
import { toVietnamWallClock } from '../../platform/time/vietnam-time';
import type { NormalisedProcedure } from './dossier.parser';
import { ONE_STOP_SHOP_SOURCE, Provenance } from './dossier.writer';

/**
 * Upserts a page of the procedures catalogue and marks the current month's evidence stale (the fully-online
 * share is a snapshot of the catalogue as seen now).
 */
export async function upsertProcedures(
  db: PoolClient,
  provinceCode: string,
  procedures: NormalisedProcedure[],
  positions: number[],
  provenance: Provenance,
  now: Date = new Date(),
): Promise<number> {
  if (procedures.length === 0) return 0;
  const { rows } = await db.query(
    `WITH upserted AS (
       INSERT INTO procedure (province_code, procedure_code, name, field_code, online_level, levels, has_fee,
                              fully_online_eligible, has_paper_result, connector_id, run_id, raw_digest, raw_position)
       SELECT DISTINCT ON (p.code) $1, p.code, p.name, p.field, p.level, string_to_array(p.levels, '|'), p.fee, p.eligible, p.paper, $2, $3, $4, p.position
         FROM unnest($5::text[], $6::text[], $7::text[], $8::int2[], $9::text[], $10::bool[], $11::bool[], $12::bool[], $13::int4[])
           AS p(code, name, field, level, levels, fee, eligible, paper, position)
         ORDER BY p.code, p.position DESC
       ON CONFLICT (province_code, procedure_code) DO UPDATE SET
         name = EXCLUDED.name, field_code = EXCLUDED.field_code, online_level = EXCLUDED.online_level,
         levels = EXCLUDED.levels, has_fee = EXCLUDED.has_fee, fully_online_eligible = EXCLUDED.fully_online_eligible,
         has_paper_result = EXCLUDED.has_paper_result, connector_id = EXCLUDED.connector_id, run_id = EXCLUDED.run_id,
         raw_digest = EXCLUDED.raw_digest, raw_position = EXCLUDED.raw_position, seen_at = now()
       RETURNING 1
     ), outbox AS (
       INSERT INTO evidence_outbox (province_code, source_kind, month_key) VALUES ($1, '${ONE_STOP_SHOP_SOURCE}', $14)
       ON CONFLICT (province_code, source_kind, month_key) DO UPDATE SET seq = nextval('outbox_seq')
     )
     SELECT count(*)::int AS written FROM upserted`,
    [
      provinceCode,
      provenance.connectorId,
      provenance.runId,
      provenance.rawDigest,
      procedures.map((p) => p.procedureCode),
      procedures.map((p) => p.name),
      procedures.map((p) => p.fieldCode),
      procedures.map((p) => p.onlineLevel),
      procedures.map((p) => p.levels.join('|')),
      procedures.map((p) => p.hasFee),
      procedures.map((p) => p.fullyOnlineEligible),
      procedures.map((p) => p.hasPaperResult),
      positions,
      monthKeyOf(now),
    ],
  );
  return rows[0].written as number;
}

function monthKeyOf(now: Date): string {
  const w = toVietnamWallClock(now);
  return `${w.year}-${String(w.month).padStart(2, '0')}`;
}
