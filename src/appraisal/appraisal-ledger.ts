import { Pool, PoolClient } from 'pg';

/**
 * Where appraisal facts (review decisions, appraisal decisions) are logged for outside verification: the
 * transparency log of `src/ledger/` (`TransparencyLogService.append`, same signature). The fact is appended in
 * the transaction that records it, so both commit together. Fields are plain JSON: decimals as strings.
 *
 * Leaf kinds: `review_decision` (key: review id; fields id, manual_evidence_id, province_code, year,
 * catalogue_version, sub_criterion, raw_digest, decision, points, max_points, reason, reviewer, reviewer_role,
 * created_at) and `appraisal_decision` (key: event id; fields id, province_code, year, catalogue_version, action,
 * from_state, to_state, reasons, actor, actor_role, evidence_set_digest, created_at).
 */
export const APPRAISAL_LEDGER = Symbol('APPRAISAL_LEDGER');

export interface AppraisalLedger {
  append(kind: string, key: string, fields: Record<string, unknown>, db?: Pool | PoolClient): Promise<void>;
}
