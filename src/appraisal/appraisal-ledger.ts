import { Injectable, Logger } from '@nestjs/common';

/**
 * Where appraisal facts (review decisions, approvals, returns) are appended for outside verification: the
 * transparency log of `src/ledger/` (see appraisal-ledger.adapter.ts); `NoLedger` keeps them in the appraisal tables only.
 */
export interface AppraisalFact {
  kind: 'review-decision' | 'appraisal-decision';
  /** canonical content of the fact (ids, digests, decision, who, when) */
  body: Record<string, unknown>;
}

export const APPRAISAL_LEDGER = Symbol('APPRAISAL_LEDGER');

export interface AppraisalLedger {
  /** appends a fact; returns the leaf index or null when no log is configured */
  append(fact: AppraisalFact): Promise<number | null>;
}

@Injectable()
export class NoLedger implements AppraisalLedger {
  private readonly logger = new Logger('AppraisalLedger');

  async append(fact: AppraisalFact): Promise<number | null> {
    this.logger.debug({ kind: fact.kind }, 'no transparency log configured: fact kept in the appraisal tables only');
    return null;
  }
}
