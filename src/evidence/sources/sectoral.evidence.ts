import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { Period } from '../../platform/time/vietnam-time';
import { ComputedPeriod, EvidenceSource } from './evidence-source';
import { SectorRow, enclosingPeriods, rollUpSector } from './sector-rollup';

export const SECTORAL_SOURCE = 'sectoral';
export const SECTORAL_RULE_VERSION = 'sector-figures/1';

/**
 * Evidence from sectoral systems read by declarative REST connectors: the figures are the source's own
 * (numerator and denominator as published, per province, period and subject); evidence records them with
 * their lineage. The outbox carries the period keys that changed (month, quarter or year); a quarter or year the
 * source does not report itself is rolled up from its parts by the metric's declared aggregation (sector-rollup).
 */
@Injectable()
export class SectoralEvidence implements EvidenceSource {
  readonly sourceKind = SECTORAL_SOURCE;
  readonly ruleVersion = SECTORAL_RULE_VERSION;

  /** a changed period, and the quarter and year its figures roll up into */
  stalePeriods(keys: string[], now: Date): Period[] {
    const seen = new Map<string, Period>();
    for (const p of keys.flatMap((k) => enclosingPeriods(k))) if (p.start <= now) seen.set(p.key, p);
    return [...seen.values()];
  }

  async compute(db: PoolClient, provinceCode: string, periods: Period[], now: Date): Promise<ComputedPeriod[]> {
    // the periods asked for and every shorter period of their years (what quarters and years roll up from)
    const years = [...new Set(periods.map((p) => p.key.slice(0, 4)))];
    const { rows } = await db.query(
      `SELECT period_key, metric, subject, numerator, denominator, is_count, aggregation, run_id, raw_digest
         FROM sector_statistic WHERE province_code = $1 AND (period_key = ANY($2::text[]) OR left(period_key, 4) = ANY($3::text[]))`,
      [provinceCode, periods.map((p) => p.key), years],
    );
    const all: SectorRow[] = rows.map((r) => ({
      periodKey: r.period_key,
      metric: r.metric,
      subject: r.subject,
      numerator: Number(r.numerator),
      denominator: r.denominator === null ? null : Number(r.denominator),
      isCount: r.is_count,
      aggregation: r.aggregation,
      runId: r.run_id,
      rawDigest: r.raw_digest,
    }));
    return periods.map((period) => {
      const figures = rollUpSector(all, period);
      const used = figures.flatMap((f) => f.from);
      return {
        period,
        asOf: new Date(Math.min(period.end.getTime(), now.getTime())),
        recordCount: used.length,
        records: figures.map((f) => ({ metric: f.metric, subject: f.subject, isCount: f.isCount, count: { numerator: f.numerator, denominator: f.denominator } })),
        runIds: [...new Set(used.map((r) => r.runId))],
        rawDigests: [...new Set(used.map((r) => r.rawDigest))],
      };
    });
  }
}
