import { TransparencyLogService } from '../ledger/transparency-log.service';
import { AppraisalFact, AppraisalLedger } from './appraisal-ledger';

/** Leaf kinds of appraisal facts in the transparency log (its kinds are snake_case). */
export const APPRAISAL_LEAF_KINDS: Record<AppraisalFact['kind'], string> = {
  'review-decision': 'review_decision',
  'appraisal-decision': 'appraisal_decision',
};

/**
 * Appraisal facts into the transparency log: one leaf per review or appraisal event, keyed by the event's id
 * (idempotent), its fields the body as given. Returns the leaf index.
 */
export function transparencyLogAppraisalLedger(log: TransparencyLogService): AppraisalLedger {
  return {
    async append(fact: AppraisalFact): Promise<number | null> {
      const kind = APPRAISAL_LEAF_KINDS[fact.kind];
      const key = String(fact.body.id ?? '');
      if (!key) throw new Error(`an appraisal fact (${fact.kind}) needs an id`);
      await log.append(kind, key, fact.body);
      await log.appendPending();
      return (await log.leafOf(kind, key))?.index ?? null;
    },
  };
}
