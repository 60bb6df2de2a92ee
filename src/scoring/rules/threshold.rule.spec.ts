import { evaluateRule } from './evaluate-rule';
import { parseScoringRule } from './rule.schema';

const M = 'procedure.fully_online_share';
// full at 80%: ratio ≥ 0.8 → 1.5, else 1.5 × ratio / 0.8
const rule = parseScoringRule({ type: 'threshold', metric: M, threshold: 0.8 });
const eval_ = (numerator: number | null, denominator: number | null) =>
  evaluateRule(rule, { [M]: { numerator, denominator } }, 1.5);

describe('threshold rule (full at a threshold)', () => {
  it('gives full points at exactly the threshold (inclusive boundary)', () => {
    expect(eval_(80, 100)).toMatchObject({ status: 'scored', points: 1.5, value: 0.8 });
    expect(eval_(4, 5)).toMatchObject({ points: 1.5 });
    expect(eval_(80, 100).explanation).toContain('threshold 0.8 reached → full 1.5');
  });

  it('is proportional below the threshold: max × ratio / threshold', () => {
    // 1.5 × 0.4 / 0.8 = 0.75
    expect(eval_(40, 100)).toMatchObject({ status: 'scored', points: 0.75, value: 0.4 });
    // 1.5 × 0.799 / 0.8 = 1.498125 → 1.4981 (4 decimals)
    expect(eval_(799, 1000)).toMatchObject({ status: 'scored', points: 1.4981, value: 0.799 });
    expect(eval_(40, 100).explanation).toContain('not reached → 1.5 × 0.4 / 0.8 = 0.75');
  });

  it('gives 0 for a real 0 ratio, full above the threshold and at 1', () => {
    expect(eval_(0, 100)).toMatchObject({ status: 'scored', points: 0, value: 0 });
    expect(eval_(95, 100).points).toBe(1.5);
    expect(eval_(100, 100).points).toBe(1.5);
  });

  it('with threshold 1 is linear', () => {
    const one = parseScoringRule({ type: 'threshold', metric: M, threshold: 1 });
    expect(evaluateRule(one, { [M]: { numerator: 3, denominator: 4 } }, 2).points).toBe(1.5);
    expect(evaluateRule(one, { [M]: { numerator: 4, denominator: 4 } }, 2).points).toBe(2);
  });

  it('is no_data for a zero or null denominator and for missing evidence', () => {
    expect(eval_(0, 0)).toMatchObject({ status: 'no_data', points: null });
    expect(eval_(3, null)).toMatchObject({ status: 'no_data', points: null });
    expect(evaluateRule(rule, {}, 1.5)).toMatchObject({ status: 'no_data', points: null });
  });

  it('applies explicit zero and full policies', () => {
    const zero = parseScoringRule({ type: 'threshold', metric: M, threshold: 0.8, zeroDenominator: 'zero' });
    const full = parseScoringRule({ type: 'threshold', metric: M, threshold: 0.8, zeroDenominator: 'full' });
    expect(evaluateRule(zero, { [M]: { numerator: 0, denominator: 0 } }, 1.5)).toMatchObject({ status: 'scored', points: 0 });
    expect(evaluateRule(full, { [M]: { numerator: 0, denominator: 0 } }, 1.5)).toMatchObject({ status: 'scored', points: 1.5 });
  });

  it('rejects thresholds outside (0, 1]', () => {
    expect(() => parseScoringRule({ type: 'threshold', metric: M, threshold: 0 })).toThrow(/greater than 0/);
    expect(() => parseScoringRule({ type: 'threshold', metric: M, threshold: 90 })).toThrow(/at most 1/);
    expect(() => parseScoringRule({ type: 'threshold', metric: M })).toThrow();
  });
});
