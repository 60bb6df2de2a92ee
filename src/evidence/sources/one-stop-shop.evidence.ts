import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { Period } from '../../platform/time/vietnam-time';
import { COUNTING_RULE_VERSION } from '../counting-rules';
import { aggregateDossierPeriods, aggregateProcedures } from '../dossier-evidence.sql';
import { ONE_STOP_SHOP_SOURCE } from '../records/dossier.record';
import { stalePeriods } from '../stale-periods';
import { ComputedPeriod, EvidenceSource } from './evidence-source';

/** Evidence from one-stop-shop dossiers and the procedures catalogue (counting rules of counting-rules.ts). */
@Injectable()
export class OneStopShopEvidence implements EvidenceSource {
  readonly sourceKind = ONE_STOP_SHOP_SOURCE;
  readonly ruleVersion = COUNTING_RULE_VERSION;

  stalePeriods(monthKeys: string[], now: Date): Period[] {
    return stalePeriods(monthKeys, now);
  }

  async compute(db: PoolClient, provinceCode: string, periods: Period[], now: Date): Promise<ComputedPeriod[]> {
    const aggregates = await aggregateDossierPeriods(db, provinceCode, periods, now);
    const computed: ComputedPeriod[] = aggregates.map((a) => ({
      period: a.period,
      asOf: a.asOf,
      recordCount: a.recordCount,
      runIds: a.runIds,
      rawDigests: a.rawDigests,
      records: Object.entries(a.metrics).map(([metric, count]) => ({ metric, subject: '', count })),
    }));
    // the procedures catalogue is a snapshot: it is recorded on the year periods being refreshed
    const procedures = await aggregateProcedures(db, provinceCode);
    if (procedures.count > 0) {
      for (const c of computed) {
        if (c.period.kind !== 'year') continue;
        c.records.push({ metric: 'procedure.fully_online_share', subject: '', count: procedures.metric });
        c.runIds = [...new Set([...c.runIds, ...procedures.runIds])];
        c.rawDigests = [...new Set([...c.rawDigests, ...procedures.rawDigests])];
      }
    }
    return computed;
  }
}
