/**
 * The appraisal of a province-year (per catalogue version) as a small state machine:
 *
 *   self_assessment ─submit─▶ submitted ─start─▶ in_appraisal ─approve─▶ approved
 *          ▲                      ▲                  │    ▲                  │
 *          │                      └────submit────── returned ◀─return─┘      └─reopen─▶ in_appraisal
 *
 * The province (officer) prepares and submits; the ministry's appraisers start, review, approve, return (with
 * reasons) and reopen (an approval that went stale, with a reason). Pure functions: the service stores the result.
 */
export const APPRAISAL_STATES = ['self_assessment', 'submitted', 'in_appraisal', 'approved', 'returned'] as const;
export type AppraisalState = (typeof APPRAISAL_STATES)[number];

export const APPRAISAL_ACTIONS = ['submit', 'start', 'approve', 'return', 'reopen'] as const;
export type AppraisalAction = (typeof APPRAISAL_ACTIONS)[number];

/** Who takes an action: the province preparing its self-assessment, or the ministry appraising it. */
export type AppraisalParty = 'province' | 'ministry';

interface TransitionRule {
  from: readonly AppraisalState[];
  to: AppraisalState;
  party: AppraisalParty;
  /** the action must say why (one or more reasons) */
  needsReasons: boolean;
}

export const TRANSITIONS: Readonly<Record<AppraisalAction, TransitionRule>> = {
  submit: { from: ['self_assessment', 'returned'], to: 'submitted', party: 'province', needsReasons: false },
  start: { from: ['submitted'], to: 'in_appraisal', party: 'ministry', needsReasons: false },
  approve: { from: ['in_appraisal'], to: 'approved', party: 'ministry', needsReasons: false },
  return: { from: ['in_appraisal'], to: 'returned', party: 'ministry', needsReasons: true },
  reopen: { from: ['approved'], to: 'in_appraisal', party: 'ministry', needsReasons: true },
};

export type TransitionResult = { ok: true; to: AppraisalState } | { ok: false; status: 400 | 409; message: string };

/** Whether `action` may be taken from `state` (with these reasons); the new state or why not. */
export function transition(state: AppraisalState, action: AppraisalAction, reasons: readonly string[] = []): TransitionResult {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(state)) {
    return { ok: false, status: 409, message: `cannot ${action} an appraisal that is ${state} (only from ${rule.from.join(' or ')})` };
  }
  if (rule.needsReasons && reasons.filter((r) => r.trim() !== '').length === 0) {
    return { ok: false, status: 400, message: `reasons: ${action} needs at least one reason` };
  }
  return { ok: true, to: rule.to };
}

/** The actions open from a state (for the API answer, so a client can show the right buttons). */
export function nextActions(state: AppraisalState): AppraisalAction[] {
  return APPRAISAL_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(state));
}

/** A province may attach, replace and withdraw its documents only while it prepares (or reworks) its self-assessment. */
export function provinceMayEdit(state: AppraisalState): boolean {
  return state === 'self_assessment' || state === 'returned';
}

/** Appraisers review manual documents while the appraisal is open. */
export function ministryMayReview(state: AppraisalState): boolean {
  return state === 'in_appraisal';
}

export type ReviewInput = { decision: 'accepted'; points: number | undefined; reason?: string } | { decision: 'rejected'; points?: number; reason: string | undefined };

/**
 * A reviewer's decision on a document: accepted with the points the reviewer assigns (0 ≤ points ≤ the
 * sub-criterion's maximum), or rejected with a reason (and no points). Field-level messages.
 */
export function checkReview(input: ReviewInput, maxPoints: number): string[] {
  const errors: string[] = [];
  if (input.decision === 'accepted') {
    if (input.points === undefined || input.points === null) errors.push('points: an accepted document needs the points assigned');
    else if (!Number.isFinite(input.points) || input.points < 0 || input.points > maxPoints) {
      errors.push(`points: must be between 0 and the sub-criterion's maximum ${maxPoints}`);
    }
  } else {
    if (!input.reason || input.reason.trim() === '') errors.push('reason: a rejected document needs a reason');
    if (input.points !== undefined && input.points !== null) errors.push('points: a rejected document gets no points');
  }
  return errors;
}
