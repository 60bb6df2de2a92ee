import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { Period, enclosingPeriods } from '../../platform/time/vietnam-time';
import { POSTAL_RULE_VERSION } from '../../scoring/metric-catalogue';
import { MetricCount } from '../counting-rules';
import { ComputedPeriod, ComputedRecord, EvidenceSource } from './evidence-source';

export const POSTAL_SOURCE = 'vnpost-bcci';

/**
 * Evidence from VNPost BCCI reports: per province × period × procedure (subject; '' = the whole province), over
 * the waybills of the current file version of each report month in the period:
 *   postal.submissions / postal.results      count of waybills, direction submission / result
 *   postal.{submission,result}_delivery_rate  delivered / (delivered + returned), per direction
 *   postal.delivery_success_rate              the same over both directions
 * A month belongs to its quarter and year; months without a report contribute nothing (no data, not zero).
 */
const SQL = `
WITH periods AS (
  SELECT * FROM unnest($2::text[]) AS p(key)
),
w AS (
  SELECT w.direction, w.status, coalesce(w.procedure_code, '') AS procedure_code, f.run_id, f.digest,
         ARRAY[m.month_key, left(m.month_key, 4) || '-Q' || ((substr(m.month_key, 6, 2)::int + 2) / 3), left(m.month_key, 4)] AS keys
    FROM report_month m
    JOIN report_file f ON f.id = m.file_id
    JOIN waybill w ON w.province_code = m.province_code AND w.month_key = m.month_key AND w.version = m.current_version
   WHERE m.source_kind = 'vnpost-bcci' AND m.province_code = $1 AND m.month_key >= $3 AND m.month_key <= $4
),
j AS (
  SELECT p.key, w.* FROM w CROSS JOIN LATERAL unnest(w.keys) AS k(key) JOIN periods p ON p.key = k.key
)
SELECT key, CASE WHEN grouping(procedure_code) = 1 THEN NULL ELSE procedure_code END AS subject,
  count(*)::int AS rows,
  count(*) FILTER (WHERE direction = 'submission')::int AS submissions,
  count(*) FILTER (WHERE direction = 'result')::int AS results,
  count(*) FILTER (WHERE direction = 'submission' AND status = 'delivered')::int AS sub_n,
  count(*) FILTER (WHERE direction = 'submission' AND status IN ('delivered', 'returned'))::int AS sub_d,
  count(*) FILTER (WHERE direction = 'result' AND status = 'delivered')::int AS res_n,
  count(*) FILTER (WHERE direction = 'result' AND status IN ('delivered', 'returned'))::int AS res_d,
  CASE WHEN grouping(procedure_code) = 1 THEN array_agg(DISTINCT run_id) END AS run_ids,
  CASE WHEN grouping(procedure_code) = 1 THEN array_agg(DISTINCT digest::text) END AS raw_digests
FROM j GROUP BY GROUPING SETS ((key), (key, procedure_code))`;

const ratioCount = (n: number, d: number): MetricCount => ({ numerator: d === 0 ? 0 : n, denominator: d === 0 ? null : d });

export function postalRecords(subject: string, r: { submissions: number; results: number; sub_n: number; sub_d: number; res_n: number; res_d: number }): ComputedRecord[] {
  return [
    { metric: 'postal.submissions', subject, count: { numerator: r.submissions, denominator: null } },
    { metric: 'postal.results', subject, count: { numerator: r.results, denominator: null } },
    { metric: 'postal.submission_delivery_rate', subject, count: ratioCount(r.sub_n, r.sub_d) },
    { metric: 'postal.result_delivery_rate', subject, count: ratioCount(r.res_n, r.res_d) },
    { metric: 'postal.delivery_success_rate', subject, count: ratioCount(r.sub_n + r.res_n, r.sub_d + r.res_d) },
  ];
}

@Injectable()
export class PostalEvidence implements EvidenceSource {
  readonly sourceKind = POSTAL_SOURCE;
  readonly ruleVersion = POSTAL_RULE_VERSION;

  stalePeriods(monthKeys: string[], now: Date): Period[] {
    const out = new Map<string, Period>();
    for (const key of monthKeys) {
      for (const p of enclosingPeriods(key)) if (p.start <= now) out.set(p.key, p);
    }
    return [...out.values()];
  }

  async compute(db: PoolClient, provinceCode: string, periods: Period[], now: Date): Promise<ComputedPeriod[]> {
    if (periods.length === 0) return [];
    const months = periods.flatMap((p) => [p.key.slice(0, 4) + '-01', p.key.slice(0, 4) + '-12']);
    const { rows } = await db.query(SQL, [provinceCode, periods.map((p) => p.key), months.reduce((a, b) => (a < b ? a : b)), months.reduce((a, b) => (a > b ? a : b))]);
    return periods.map((period) => {
      const own = rows.filter((r) => r.key === period.key);
      const total = own.find((r) => r.subject === null);
      const zero = { rows: 0, submissions: 0, results: 0, sub_n: 0, sub_d: 0, res_n: 0, res_d: 0 };
      const records = postalRecords('', total ?? zero);
      for (const r of own) if (r.subject !== null && r.subject !== '') records.push(...postalRecords(r.subject, r));
      return {
        period,
        asOf: new Date(Math.min(period.end.getTime(), now.getTime())),
        recordCount: total?.rows ?? 0,
        records,
        runIds: total?.run_ids ?? [],
        rawDigests: total?.raw_digests ?? [],
      };
    });
  }
}
