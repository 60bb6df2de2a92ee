import { PoolClient } from 'pg';
import { SECTORAL_SOURCE } from '../../evidence/sources/sectoral.evidence';
import { Period } from '../../platform/time/vietnam-time';
import { Provenance } from '../quarantine/quarantine.writer';
import { Figure, RecordPosition } from './declarative.engine';

export interface PlacedFigure extends Figure {
  isCount: boolean;
  /** how quarters and years roll it up, as declared (null: by kind) */
  aggregation?: 'sum' | 'weightedMean' | 'last' | null;
  position: RecordPosition;
}

/**
 * Writes one page of figures for one period: the newest fetch of a (province, period, metric, subject) wins,
 * and the period goes to the evidence outbox — in the page's checkpoint transaction.
 */
export async function upsertSectorFigures(db: PoolClient, provinceCode: string, period: Period, figures: PlacedFigure[], provenance: Provenance): Promise<void> {
  if (figures.length === 0) return;
  await db.query(
    `WITH input AS (
       SELECT DISTINCT ON (metric, subject) * FROM unnest($6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::bool[], $11::int[], $13::text[])
         AS t(metric, subject, numerator, denominator, is_count, position, aggregation)
        ORDER BY metric, subject, position DESC
     ),
     written AS (
       INSERT INTO sector_statistic (province_code, period_kind, period_key, metric, subject, numerator, denominator, is_count, connector_id, run_id, raw_digest, raw_position, aggregation)
       SELECT $1, $2, $3, metric, subject, numerator, denominator, is_count, $4, $12, $5, position, aggregation FROM input
       ON CONFLICT (province_code, period_key, metric, subject) DO UPDATE SET
         numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, is_count = EXCLUDED.is_count, aggregation = EXCLUDED.aggregation,
         connector_id = EXCLUDED.connector_id, run_id = EXCLUDED.run_id, raw_digest = EXCLUDED.raw_digest,
         raw_position = EXCLUDED.raw_position, fetched_at = now()
       RETURNING 1
     )
     INSERT INTO evidence_outbox (province_code, source_kind, month_key) SELECT $1, '${SECTORAL_SOURCE}', $3 WHERE EXISTS (SELECT 1 FROM written)
     ON CONFLICT (province_code, source_kind, month_key) DO UPDATE SET seq = nextval('outbox_seq')`,
    [
      provinceCode,
      period.kind,
      period.key,
      provenance.connectorId,
      provenance.rawDigest,
      figures.map((f) => f.metric),
      figures.map((f) => f.subject),
      figures.map((f) => f.numerator),
      figures.map((f) => f.denominator),
      figures.map((f) => f.isCount),
      figures.map((f) => f.position.entry * 1_000_000 + f.position.index),
      provenance.runId,
      figures.map((f) => f.aggregation ?? null),
    ],
  );
}
