import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { Period, parsePeriodKey } from '../../platform/time/vietnam-time';
import { ComputedPeriod, EvidenceSource } from './evidence-source';

export const SECTORAL_SOURCE = 'sectoral';
export const SECTORAL_RULE_VERSION = 'sector-figures/1';

/**
 * Evidence from sectoral systems read by declarative REST connectors: the figures are the source's own
 * (numerator and denominator as published, per province, period and subject); evidence records them with
 * their lineage. The outbox carries the period keys that changed (month, quarter or year).
 */
@Injectable()
export class SectoralEvidence implements EvidenceSource {
  readonly sourceKind = SECTORAL_SOURCE;
  readonly ruleVersion = SECTORAL_RULE_VERSION;

  stalePeriods(keys: string[], now: Date): Period[] {
    return keys.map((k) => parsePeriodKey(k)).filter((p): p is Period => p !== null && p.start <= now);
  }

  async compute(db: PoolClient, provinceCode: string, periods: Period[], now: Date): Promise<ComputedPeriod[]> {
    const { rows } = await db.query(
      `SELECT period_key, metric, subject, numerator, denominator, is_count, run_id, raw_digest
         FROM sector_statistic WHERE province_code = $1 AND period_key = ANY($2::text[])`,
      [provinceCode, periods.map((p) => p.key)],
    );
    return periods.map((period) => {
      const own = rows.filter((r) => r.period_key === period.key);
      return {
        period,
        asOf: new Date(Math.min(period.end.getTime(), now.getTime())),
        recordCount: own.length,
        records: own.map((r) => ({
          metric: r.metric,
          subject: r.subject,
          isCount: r.is_count,
          count: { numerator: Number(r.numerator), denominator: r.denominator === null ? null : Number(r.denominator) },
        })),
        runIds: [...new Set(own.map((r) => r.run_id as string))],
        rawDigests: [...new Set(own.map((r) => r.raw_digest as string))],
      };
    });
  }
}
