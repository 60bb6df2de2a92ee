import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { Period, parsePeriodKey } from '../../platform/time/vietnam-time';
import { ComputedPeriod, ComputedRecord, EvidenceSource } from './evidence-source';
import { dvcqgRatioInputs } from './dvcqg-inputs';

export const DVCQG_SOURCE = 'dvcqg';
export const DVCQG_RULE_VERSION = 'dvcqg-published/2';

/** The six endpoints whose group totals make the 100-point index. */
const ALL_ENDPOINTS = ['transparency', 'dvc-progress-tree', 'provide-online-tree', 'formality-online-payment-tree', 'dossier-digitized', 'handling-satisfaction'];

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Evidence from the portal's evaluation API (dvcqg-evaluation connectors), per province × period, unfiltered
 * answers only. Subject '' is the province (overview / parent); a unit's subject is its departmentId (the join key of
 * all six endpoints). Ratios are built by dvcqgRatioInputs (./dvcqg-inputs.ts), as the Decision 766 unit scoring does.
 *   dvcqg.<CODE>                      numerator / denominator as published (every metric code, province and units)
 *   dvcqg.<CODE>.official_score       the portal's score (count; denominator = maxScore), province only
 *   dvcqg.PROGRESS_ON_TIME, PAYMENT_DOSSIER_ONLINE / _FORMALITY_ONLINE / _FORMALITY_INTEGRATED, ONLINE_SERVICES_PUBLISHED,
 *   DIGITISATION_OTHER_PUBLISHED      ratios of tree raw parameters and published scores (province, units)
 *   dvcqg.group.<endpoint>.official_score  the group's totalScore (count; denominator = totalMaxScore), province only
 *   dvcqg.INDEX_TOTAL                 Σ group totalScore / Σ totalMaxScore, when all six groups are stored
 *   dvcqg.<CODE>.flag.<FLAG>          1 (count) for each data-quality flag on a metric; dvcqg.flag.<FLAG> for a flag
 *                                     on a unit or the whole answer. The messages are in table dvcqg_flag.
 * The outbox carries the period keys that changed (month, quarter or year).
 */
@Injectable()
export class DvcqgEvidence implements EvidenceSource {
  readonly sourceKind = DVCQG_SOURCE;
  readonly ruleVersion = DVCQG_RULE_VERSION;

  stalePeriods(keys: string[], now: Date): Period[] {
    return keys.map((k) => parsePeriodKey(k)).filter((p): p is Period => p !== null && p.start <= now);
  }

  async compute(db: PoolClient, provinceCode: string, periods: Period[], now: Date): Promise<ComputedPeriod[]> {
    if (periods.length === 0) return [];
    const keys = periods.map((p) => p.key);
    const [{ rows: metrics }, { rows: units }, { rows: flags }] = [
      await db.query(
        `SELECT period_key, department_id, department_code, is_root, code, numerator, denominator, score, max_score
           FROM dvcqg_metric WHERE province_code = $1 AND formality_id = '' AND period_key = ANY($2::text[])
          ORDER BY period_key, is_root DESC, department_code, code`,
        [provinceCode, keys],
      ),
      await db.query(
        `SELECT period_key, endpoint, department_id, department_code, is_root, total_score, total_max_score, raw_params, run_id, raw_digest
           FROM dvcqg_unit WHERE province_code = $1 AND formality_id = '' AND period_key = ANY($2::text[])
          ORDER BY period_key, endpoint, is_root DESC, department_code`,
        [provinceCode, keys],
      ),
      await db.query(
        `SELECT f.period_key, f.department_id, f.metric_code, f.flag_code, u.department_code, coalesce(u.is_root, f.department_id = '') AS is_root
           FROM dvcqg_flag f
           LEFT JOIN dvcqg_unit u USING (province_code, period_key, endpoint, formality_id, department_id)
          WHERE f.province_code = $1 AND f.formality_id = '' AND f.period_key = ANY($2::text[])`,
        [provinceCode, keys],
      ),
    ];
    // a unit is the same departmentId in all six endpoints (metric answers carry no code): that is its subject
    const subjectOf = (r: { is_root: boolean; department_id: string }) => (r.is_root ? '' : r.department_id);
    return periods.map((period) => {
      const records = new Map<string, ComputedRecord>();
      const add = (r: ComputedRecord) => {
        const key = `${r.metric}|${r.subject}`;
        if (!records.has(key)) records.set(key, r);
      };
      const own = units.filter((u) => u.period_key === period.key);
      const ownMetrics = metrics.filter((r) => r.period_key === period.key);
      // every subject's ratios and published scores, built as the Decision 766 unit scoring builds them
      const subjects = new Map<string, { units: typeof own; metrics: typeof ownMetrics }>();
      const of = (subject: string) => subjects.get(subject) ?? subjects.set(subject, { units: [], metrics: [] }).get(subject)!;
      for (const u of own) of(subjectOf(u)).units.push(u);
      for (const m of ownMetrics) of(subjectOf(m)).metrics.push(m);
      for (const [subject, rows] of subjects) {
        const inputs = dvcqgRatioInputs(
          rows.units.map((u) => ({ endpoint: u.endpoint, totalScore: n(u.total_score), totalMaxScore: n(u.total_max_score), rawParams: u.raw_params })),
          rows.metrics.map((m) => ({ code: m.code, numerator: n(m.numerator), denominator: n(m.denominator), score: n(m.score), maxScore: n(m.max_score) })),
        );
        for (const [metric, count] of Object.entries(inputs)) {
          // official scores are kept for the province; a unit's are in the Decision 766 unit scores
          if (subject !== '' && /official_score$/.test(metric)) continue;
          if (count.numerator === null) continue;
          add({ metric, subject, isCount: /official_score$/.test(metric), count: { numerator: count.numerator, denominator: count.denominator } });
        }
      }
      const roots = ALL_ENDPOINTS.map((e) => own.find((u) => u.is_root && u.endpoint === e && n(u.total_score) !== null));
      if (roots.every((r) => r !== undefined)) {
        const sum = (f: (r: (typeof own)[number]) => number | null) => Math.round(roots.reduce((s, r) => s + (f(r!) ?? 0), 0) * 10000) / 10000;
        add({ metric: 'dvcqg.INDEX_TOTAL', subject: '', isCount: false, count: { numerator: sum((r) => n(r.total_score)), denominator: sum((r) => n(r.total_max_score)) } });
      }
      for (const f of flags.filter((r) => r.period_key === period.key)) {
        const metric = f.metric_code === '' ? `dvcqg.flag.${f.flag_code}` : `dvcqg.${f.metric_code}.flag.${f.flag_code}`;
        add({ metric, subject: subjectOf(f), isCount: true, count: { numerator: 1, denominator: null } });
      }
      return {
        period,
        asOf: new Date(Math.min(period.end.getTime(), now.getTime())),
        recordCount: own.length,
        records: [...records.values()],
        runIds: [...new Set(own.map((u) => u.run_id as string))],
        rawDigests: [...new Set(own.map((u) => String(u.raw_digest)))],
      };
    });
  }
}
