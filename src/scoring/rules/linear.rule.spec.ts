import { evaluateRule } from './evaluate-rule';
import { parseScoringRule } from './rule.schema';

const M = 'dossier.online_payment_rate';
const rule = parseScoringRule({ type: 'linear', metric: M });
const eval_ = (numerator: number | null, denominator: number | null, max = 2) =>
  evaluateRule(rule, { [M]: { numerator, denominator } }, max);

describe('linear rule', () => {
  it('gives max × ratio', () => {
    expect(eval_(3, 4)).toMatchObject({ status: 'scored', points: 1.5, value: 0.75, usedMetrics: [M] });
    expect(eval_(3, 4).explanation).toContain('0.75 (3/4)');
  });

  it('gives 0 for a real 0 ratio and max at 1 (boundaries)', () => {
    expect(eval_(0, 10)).toMatchObject({ status: 'scored', points: 0, value: 0 });
    expect(eval_(10, 10)).toMatchObject({ status: 'scored', points: 2, value: 1 });
  });

  it('clamps a ratio above 1 and says so', () => {
    const outcome = eval_(12, 10);
    expect(outcome).toMatchObject({ points: 2, value: 1 });
    expect(outcome.explanation).toContain('clamped from 1.2');
  });

  it('rounds points to 4 decimals', () => {
    expect(eval_(1, 3, 1).points).toBe(0.3333);
  });

  it('is no_data, never 0, when the denominator is 0 or null', () => {
    expect(eval_(0, 0)).toEqual(expect.objectContaining({ status: 'no_data', points: null, value: null }));
    expect(eval_(null, null)).toEqual(expect.objectContaining({ status: 'no_data', points: null }));
  });

  it('is no_data when the metric has no evidence or invalid evidence', () => {
    expect(evaluateRule(rule, {}, 2)).toMatchObject({ status: 'no_data', points: null });
    expect(evaluateRule(rule, {}, 2).explanation).toContain(`no evidence for ${M}`);
    expect(eval_(null, 5)).toMatchObject({ status: 'no_data', points: null });
    expect(eval_(-1, 5)).toMatchObject({ status: 'no_data', points: null });
    expect(eval_(Number.NaN, 5)).toMatchObject({ status: 'no_data', points: null });
  });

  it('applies an explicit zero-denominator policy', () => {
    const full = parseScoringRule({ type: 'linear', metric: M, zeroDenominator: 'full' });
    const zero = parseScoringRule({ type: 'linear', metric: M, zeroDenominator: 'zero' });
    const inputs = { [M]: { numerator: 0, denominator: 0 } };
    expect(evaluateRule(full, inputs, 6)).toMatchObject({ status: 'scored', points: 6, value: null });
    expect(evaluateRule(zero, inputs, 6)).toMatchObject({ status: 'scored', points: 0, value: null });
    // the policy covers "nothing to count", not "no evidence at all"
    expect(evaluateRule(full, {}, 6)).toMatchObject({ status: 'no_data', points: null });
  });

  it('defaults the policy to no_data and rejects an unknown one', () => {
    expect(rule.zeroDenominator).toBe('no_data');
    expect(() => parseScoringRule({ type: 'linear', metric: M, zeroDenominator: 'half' })).toThrow();
  });

  it('rejects a bad maxPoints', () => {
    expect(() => evaluateRule(rule, {}, 0)).toThrow(RangeError);
    expect(() => evaluateRule(rule, {}, Number.NaN)).toThrow(RangeError);
  });
});
