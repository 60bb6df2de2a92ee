import { evaluateRule } from './evaluate-rule';
import { parseScoringRule } from './rule.schema';

const M = 'procedure.fully_online_share';
const rule = parseScoringRule({ type: 'all_or_nothing', metric: M, threshold: 0.8 });
const eval_ = (numerator: number | null, denominator: number | null) =>
  evaluateRule(rule, { [M]: { numerator, denominator } }, 1.5);

describe('all_or_nothing rule', () => {
  it('gives full points at exactly the threshold (inclusive boundary) and above', () => {
    expect(eval_(80, 100)).toMatchObject({ status: 'scored', points: 1.5, value: 0.8 });
    expect(eval_(95, 100).points).toBe(1.5);
    expect(eval_(100, 100).points).toBe(1.5);
  });

  it('gives 0 just below the threshold', () => {
    expect(eval_(799, 1000)).toMatchObject({ status: 'scored', points: 0, value: 0.799 });
    expect(eval_(799, 1000).explanation).toContain('not reached → 0');
  });

  it('is no_data for a zero denominator unless the policy says otherwise', () => {
    expect(eval_(0, 0)).toMatchObject({ status: 'no_data', points: null });
    const full = parseScoringRule({ type: 'all_or_nothing', metric: M, threshold: 0.8, zeroDenominator: 'full' });
    expect(evaluateRule(full, { [M]: { numerator: 0, denominator: 0 } }, 1.5)).toMatchObject({ status: 'scored', points: 1.5 });
  });

  it('rejects thresholds outside (0, 1]', () => {
    expect(() => parseScoringRule({ type: 'all_or_nothing', metric: M, threshold: 0 })).toThrow(/greater than 0/);
    expect(() => parseScoringRule({ type: 'all_or_nothing', metric: M, threshold: 1.1 })).toThrow(/at most 1/);
  });
});
