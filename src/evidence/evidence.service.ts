import { AccessScope } from '../platform/auth/access-policy';
import { Injectable, NotFoundException } from '@nestjs/common';
import { Pool } from 'pg';
import { InjectPool } from '../platform/database/database.module';
import { METRICS, isCountMetric } from '../scoring/metric-catalogue';

export interface EvidenceView {
  id: number;
  provinceCode: string;
  periodKind: string;
  periodKey: string;
  metric: string;
  /** what the record is about within the province: '' for the whole province, else e.g. a procedure code */
  subject: string;
  numerator: number | null;
  denominator: number | null;
  /** null = no data (nothing to count), never shown as 0 */
  value: number | null;
  status: 'ok' | 'no_data';
  ruleVersion: string;
  version: number;
  computedAt: Date;
  asOf: Date;
  recordCount: number;
  computationId: number;
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toEvidenceView(r: Record<string, any>): EvidenceView {
  const denominator = num(r.denominator);
  const count = isCountMetric(r.metric);
  return {
    id: Number(r.id),
    provinceCode: r.province_code,
    periodKind: r.period_kind,
    periodKey: r.period_key,
    metric: r.metric,
    subject: r.subject,
    numerator: num(r.numerator),
    denominator,
    value: num(r.value),
    status: count || denominator !== null || num(r.value) !== null ? 'ok' : 'no_data',
    ruleVersion: r.rule_version,
    version: r.version,
    computedAt: r.created_at,
    asOf: r.as_of,
    recordCount: r.record_count,
    computationId: Number(r.computation_id),
  };
}

/** Reading evidence: the latest version of each record, older versions on request. */
@Injectable()
export class EvidenceService {
  constructor(@InjectPool() private readonly pool: Pool) {}

  /** Latest evidence of a province for a year (all its months, quarters and the year itself). */
  async forProvinceYear(scope: AccessScope, provinceCode: string, year: number, periodKind?: string, withSubjects = false): Promise<EvidenceView[]> {
    scope.assertProvince(provinceCode);
    const params: unknown[] = [provinceCode, year, periodKind ?? null, withSubjects];
    const { rows } = await this.pool.query(
      `SELECT DISTINCT ON (e.period_key, e.metric, e.subject) e.*, c.as_of, c.record_count
         FROM evidence_record e JOIN evidence_computation c ON c.id = e.computation_id
        WHERE e.province_code = $1 AND e.year = $2 AND ($3::text IS NULL OR e.period_kind = $3)
          AND ($4::boolean OR e.subject = '') AND ${scope.provinceCondition('e.province_code', params)}
        ORDER BY e.period_key, e.metric, e.subject, e.version DESC`,
      params,
    );
    return rows.map(toEvidenceView);
  }

  /** One record; a record outside the caller's scope is "not found" (its existence is not revealed). */
  async byId(scope: AccessScope, id: number): Promise<EvidenceView & { history: Array<{ id: number; version: number; numerator: number | null; denominator: number | null; computedAt: Date }> }> {
    const params: unknown[] = [id];
    const { rows } = await this.pool.query(
      `SELECT e.*, c.as_of, c.record_count FROM evidence_record e JOIN evidence_computation c ON c.id = e.computation_id
        WHERE e.id = $1 AND ${scope.provinceCondition('e.province_code', params)}`,
      params,
    );
    if (rows.length === 0) throw new NotFoundException(`evidence ${id} not found`);
    const view = toEvidenceView(rows[0]);
    const { rows: history } = await this.pool.query(
      `SELECT id, version, numerator, denominator, created_at FROM evidence_record
        WHERE province_code = $1 AND period_key = $2 AND metric = $3 AND subject = $4 ORDER BY version`,
      [view.provinceCode, view.periodKey, view.metric, view.subject],
    );
    return { ...view, history: history.map((h) => ({ id: Number(h.id), version: h.version, numerator: num(h.numerator), denominator: num(h.denominator), computedAt: h.created_at })) };
  }

  metrics() {
    return METRICS;
  }
}
