import { PoolClient } from 'pg';
import { Period } from '../../platform/time/vietnam-time';
import { MetricCount } from '../counting-rules';

/** One evidence record as computed: a metric for a subject ('' = the whole province) in a period. */
export interface ComputedRecord {
  metric: string;
  subject: string;
  count: MetricCount;
  /** a count (value = numerator) rather than a ratio; default: as the metric catalogue says */
  isCount?: boolean;
}

export interface ComputedPeriod {
  period: Period;
  asOf: Date;
  recordCount: number;
  records: ComputedRecord[];
  runIds: string[];
  rawDigests: string[];
}

/**
 * How evidence is computed from one kind of normalised source records. The builder owns the outbox, the locking
 * and the versioning; a source only says which periods a change makes stale and what they now hold.
 */
export interface EvidenceSource {
  readonly sourceKind: string;
  readonly ruleVersion: string;
  stalePeriods(monthKeys: string[], now: Date): Period[];
  compute(db: PoolClient, provinceCode: string, periods: Period[], now: Date): Promise<ComputedPeriod[]>;
}

export const EVIDENCE_SOURCES = Symbol('EVIDENCE_SOURCES');
