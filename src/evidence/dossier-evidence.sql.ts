import { PoolClient } from 'pg';
import { Period, VIETNAM_OFFSET_MS } from '../platform/time/vietnam-time';
import { DOSSIER_METRIC_CODES, DossierMetricCode, MetricCount, asOfFor } from './counting-rules';

/**
 * The counting rules of counting-rules.ts, as one SQL aggregate over a province's dossiers for many periods at
 * once (an integration spec checks that both agree on the same rows). Each predicate mirrors its TypeScript twin:
 *   fin       = LEAST(processed_at, returned_at)                                   -- finishedAt()
 *   deadline  = due_at + supplement pause when exactly one supplement              -- deadlineOf()
 *   excluded  = status IN (3, 7) OR due_at IS NULL                                 -- onTimeStatus() step 1
 *   handled   = received_at < p.end AND (fin IS NULL OR fin >= p.start)           -- handledInPeriod()
 *   received  = p.start <= received_at < p.end                                     -- receivedInPeriod()
 *   on time   = NOT excluded AND supplement_count < 2 AND
 *               CASE WHEN fin < asOf THEN fin <= deadline WHEN status = 5 THEN true ELSE asOf <= deadline END
 */
const SQL = `
WITH periods AS (
  SELECT * FROM unnest($2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[]) AS p(key, pstart, pend, asof)
),
d AS (
  SELECT received_at, status, supplement_count, handling_level, channel, result_delivery, has_fee,
         online_payment_channel, digitised, run_id, raw_digest,
         LEAST(processed_at, returned_at) AS fin,
         due_at + make_interval(secs => CASE WHEN supplement_count = 1 THEN supplement_pause_seconds ELSE 0 END) AS deadline,
         (status IN (3, 7) OR due_at IS NULL) AS excluded
    FROM dossier
   WHERE province_code = $1 AND received_at < $6
     AND (received_at >= $7 OR LEAST(processed_at, returned_at) IS NULL OR LEAST(processed_at, returned_at) >= $7)
),
-- the Vietnam-time months a dossier is "received or handled" in: from its received month to its finish month
-- (or now, while unfinished); a dossier then meets only the periods that can hold it (a hash join on the key)
spans AS (
  SELECT d.*,
         GREATEST(date_trunc('month', received_at AT TIME ZONE 'Asia/Ho_Chi_Minh'), $8::timestamp) AS first_month,
         date_trunc('month', GREATEST(received_at, LEAST(COALESCE(fin, $9), $9, $6 - interval '1 microsecond')) AT TIME ZONE 'Asia/Ho_Chi_Minh') AS last_month
    FROM d
),
keyed AS (
  SELECT to_char(m, 'YYYY-MM') AS key, s.* FROM spans s, generate_series(s.first_month, s.last_month, interval '1 month') AS m
  UNION ALL
  SELECT to_char(q, 'YYYY') || '-Q' || extract(quarter FROM q), s.* FROM spans s, generate_series(date_trunc('quarter', s.first_month), s.last_month, interval '3 months') AS q
  UNION ALL
  SELECT to_char(y, 'YYYY'), s.* FROM spans s, generate_series(date_trunc('year', s.first_month), s.last_month, interval '1 year') AS y
),
j AS (
  SELECT p.key, k.channel, k.result_delivery, k.has_fee, k.online_payment_channel, k.digitised, k.handling_level,
         k.run_id, k.raw_digest,
         (k.received_at >= p.pstart AND k.received_at < p.pend) AS received,
         (NOT k.excluded AND k.received_at < p.pend AND (k.fin IS NULL OR k.fin >= p.pstart)) AS in_ot,
         (NOT k.excluded AND k.supplement_count < 2 AND
           CASE WHEN k.fin IS NOT NULL AND k.fin < p.asof THEN k.fin <= k.deadline
                WHEN k.status = 5 THEN true
                ELSE p.asof <= k.deadline END) AS ot_hit
    FROM keyed k JOIN periods p ON p.key = k.key
),
-- first by period and source page (few groups: a page holds up to 1000 dossiers), then by period: both hashed,
-- and the lineage (distinct runs and payloads) is taken over the small intermediate result
by_page AS MATERIALIZED (
  SELECT key, run_id, raw_digest, bool_or(received OR in_ot) AS contributes,
    count(*) FILTER (WHERE received OR in_ot) AS record_count,
    count(*) FILTER (WHERE in_ot) AS ot_d,
    count(*) FILTER (WHERE in_ot AND ot_hit) AS ot_n,
    count(*) FILTER (WHERE in_ot AND handling_level = 'TINH') AS ot_tinh_d,
    count(*) FILTER (WHERE in_ot AND ot_hit AND handling_level = 'TINH') AS ot_tinh_n,
    count(*) FILTER (WHERE in_ot AND handling_level = 'XA') AS ot_xa_d,
    count(*) FILTER (WHERE in_ot AND ot_hit AND handling_level = 'XA') AS ot_xa_n,
    count(*) FILTER (WHERE received) AS recv,
    count(*) FILTER (WHERE received AND channel = 2) AS online_n,
    count(*) FILTER (WHERE received AND channel = 3) AS postal_n,
    count(*) FILTER (WHERE received AND result_delivery IS NOT NULL) AS pr_d,
    count(*) FILTER (WHERE received AND result_delivery = 1) AS pr_n,
    count(*) FILTER (WHERE received AND has_fee) AS pay_d,
    count(*) FILTER (WHERE received AND has_fee AND online_payment_channel IN (1, 2)) AS pay_n,
    count(*) FILTER (WHERE received AND digitised) AS dig_n
    FROM j GROUP BY key, run_id, raw_digest
),
totals AS (
  SELECT key,
  sum(record_count)::int AS record_count,
  sum(ot_d)::int AS ot_d,
  sum(ot_n)::int AS ot_n,
  sum(ot_tinh_d)::int AS ot_tinh_d,
  sum(ot_tinh_n)::int AS ot_tinh_n,
  sum(ot_xa_d)::int AS ot_xa_d,
  sum(ot_xa_n)::int AS ot_xa_n,
  sum(recv)::int AS recv,
  sum(online_n)::int AS online_n,
  sum(postal_n)::int AS postal_n,
  sum(pr_d)::int AS pr_d,
  sum(pr_n)::int AS pr_n,
  sum(pay_d)::int AS pay_d,
  sum(pay_n)::int AS pay_n,
  sum(dig_n)::int AS dig_n
    FROM by_page GROUP BY key
),
lineage AS (
  SELECT key,
    coalesce(array_agg(DISTINCT run_id) FILTER (WHERE contributes), '{}') AS run_ids,
    coalesce(array_agg(DISTINCT raw_digest::text) FILTER (WHERE contributes), '{}') AS raw_digests
    FROM by_page GROUP BY key
)
SELECT * FROM totals JOIN lineage USING (key)`;

export interface PeriodAggregate {
  period: Period;
  asOf: Date;
  recordCount: number;
  metrics: Record<DossierMetricCode, MetricCount>;
  runIds: string[];
  rawDigests: string[];
}

const count = (numerator: number, denominator: number): MetricCount => ({
  numerator: denominator === 0 ? 0 : numerator,
  denominator: denominator === 0 ? null : denominator,
});

/** Aggregates the dossier metrics of one province for the given periods in one pass over its dossiers. */
export async function aggregateDossierPeriods(db: PoolClient, provinceCode: string, periods: Period[], now: Date): Promise<PeriodAggregate[]> {
  if (periods.length === 0) return [];
  const asOf = periods.map((p) => asOfFor(p, now));
  const maxEnd = new Date(Math.max(...periods.map((p) => p.end.getTime())));
  const minStart = new Date(Math.min(...periods.map((p) => p.start.getTime())));
  // The planner cannot see how few rows generate_series yields per dossier and would sort ~N×3 wide rows on
  // disk; hashing them is about twice as fast (measured on 300k dossiers: 2.3 s instead of 4.5 s).
  await db.query('SET LOCAL enable_sort = off');
  const { rows } = await db.query(SQL, [
    provinceCode,
    periods.map((p) => p.key),
    periods.map((p) => p.start),
    periods.map((p) => p.end),
    asOf,
    maxEnd,
    minStart,
    // the first Vietnam-time month of interest, as a local timestamp (series start)
    new Date(minStart.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' '),
    now,
  ]);
  await db.query('SET LOCAL enable_sort = on');
  const byKey = new Map(rows.map((r) => [r.key as string, r]));
  return periods.map((period, i) => {
    const r = byKey.get(period.key);
    const z = (name: string): number => (r ? Number(r[name]) : 0);
    const metrics: Record<DossierMetricCode, MetricCount> = {
      'dossier.on_time_rate': count(z('ot_n'), z('ot_d')),
      'dossier.on_time_rate.province_level': count(z('ot_tinh_n'), z('ot_tinh_d')),
      'dossier.on_time_rate.commune_level': count(z('ot_xa_n'), z('ot_xa_d')),
      'dossier.online_submission_rate': count(z('online_n'), z('recv')),
      'dossier.postal_submission_rate': count(z('postal_n'), z('recv')),
      'dossier.postal_result_rate': count(z('pr_n'), z('pr_d')),
      'dossier.online_payment_rate': count(z('pay_n'), z('pay_d')),
      'dossier.digitisation_rate': count(z('dig_n'), z('recv')),
    };
    for (const code of DOSSIER_METRIC_CODES) if (!(code in metrics)) throw new Error(`metric ${code} has no SQL mirror`);
    return {
      period,
      asOf: asOf[i],
      recordCount: z('record_count'),
      metrics,
      runIds: r ? (r.run_ids as string[]) : [],
      rawDigests: r ? (r.raw_digests as string[]) : [],
    };
  });
}

/** The procedures-catalogue metric (a snapshot of the province's current catalogue). */
export async function aggregateProcedures(db: PoolClient, provinceCode: string): Promise<{ metric: MetricCount; runIds: string[]; rawDigests: string[]; count: number }> {
  const { rows } = await db.query(
    `SELECT count(*)::int AS d, count(*) FILTER (WHERE online_level = 4)::int AS n,
            coalesce(array_agg(DISTINCT run_id), '{}') AS run_ids, coalesce(array_agg(DISTINCT raw_digest::text), '{}') AS raw_digests
       FROM procedure WHERE province_code = $1`,
    [provinceCode],
  );
  const r = rows[0];
  return { metric: count(r.n, r.d), runIds: r.run_ids, rawDigests: r.raw_digests, count: r.d };
}
