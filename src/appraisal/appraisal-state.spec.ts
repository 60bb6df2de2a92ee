import { APPRAISAL_ACTIONS, APPRAISAL_STATES, checkReview, ministryMayReview, nextActions, provinceMayEdit, transition } from './appraisal-state';

describe('appraisal state machine', () => {
  it('walks the happy path: self-assessment → submitted → appraisal → approved', () => {
    expect(transition('self_assessment', 'submit')).toEqual({ ok: true, to: 'submitted' });
    expect(transition('submitted', 'start')).toEqual({ ok: true, to: 'in_appraisal' });
    expect(transition('in_appraisal', 'approve')).toEqual({ ok: true, to: 'approved' });
  });

  it('returns with reasons, lets the province resubmit, and reopens a stale approval with a reason', () => {
    expect(transition('in_appraisal', 'return', ['1.1.1: the plan is not signed'])).toEqual({ ok: true, to: 'returned' });
    expect(transition('returned', 'submit')).toEqual({ ok: true, to: 'submitted' });
    expect(transition('approved', 'reopen', ['evidence changed after approval'])).toEqual({ ok: true, to: 'in_appraisal' });
  });

  it('refuses a return or reopen without a reason (400)', () => {
    expect(transition('in_appraisal', 'return')).toEqual({ ok: false, status: 400, message: 'reasons: return needs at least one reason' });
    expect(transition('in_appraisal', 'return', ['  '])).toMatchObject({ ok: false, status: 400 });
    expect(transition('approved', 'reopen', [])).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses every action from a state it does not start from (409), for all pairs', () => {
    const allowed = new Set(['self_assessment:submit', 'returned:submit', 'submitted:start', 'in_appraisal:approve', 'in_appraisal:return', 'approved:reopen']);
    for (const state of APPRAISAL_STATES) {
      for (const action of APPRAISAL_ACTIONS) {
        const result = transition(state, action, ['a reason']);
        expect(result.ok).toBe(allowed.has(`${state}:${action}`));
        if (!result.ok) expect(result).toMatchObject({ status: 409, message: expect.stringContaining(`cannot ${action} an appraisal that is ${state}`) });
      }
    }
  });

  it('lists the actions open from each state', () => {
    expect(nextActions('self_assessment')).toEqual(['submit']);
    expect(nextActions('in_appraisal')).toEqual(['approve', 'return']);
    expect(nextActions('approved')).toEqual(['reopen']);
  });

  it('lets the province edit only while preparing, and appraisers review only during appraisal', () => {
    expect(APPRAISAL_STATES.filter(provinceMayEdit)).toEqual(['self_assessment', 'returned']);
    expect(APPRAISAL_STATES.filter(ministryMayReview)).toEqual(['in_appraisal']);
  });
});

describe('manual document review', () => {
  it('accepts with points within the sub-criterion maximum', () => {
    expect(checkReview({ decision: 'accepted', points: 0.75 }, 1)).toEqual([]);
    expect(checkReview({ decision: 'accepted', points: 0 }, 1)).toEqual([]);
    expect(checkReview({ decision: 'accepted', points: 1 }, 1)).toEqual([]);
  });

  it('refuses points above the maximum, negative, missing or not finite', () => {
    expect(checkReview({ decision: 'accepted', points: 1.5 }, 1)).toEqual(["points: must be between 0 and the sub-criterion's maximum 1"]);
    expect(checkReview({ decision: 'accepted', points: -0.1 }, 1)).toHaveLength(1);
    expect(checkReview({ decision: 'accepted', points: Number.NaN }, 1)).toHaveLength(1);
    expect(checkReview({ decision: 'accepted', points: undefined }, 1)).toEqual(['points: an accepted document needs the points assigned']);
  });

  it('needs a reason to reject, and gives no points', () => {
    expect(checkReview({ decision: 'rejected', reason: 'không có chữ ký' }, 1)).toEqual([]);
    expect(checkReview({ decision: 'rejected', reason: undefined }, 1)).toEqual(['reason: a rejected document needs a reason']);
    expect(checkReview({ decision: 'rejected', reason: 'x', points: 1 }, 1)).toEqual(['points: a rejected document gets no points']);
  });
});
