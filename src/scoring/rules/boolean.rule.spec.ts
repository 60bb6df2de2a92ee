import { evaluateRule } from './evaluate-rule';
import { parseScoringRule } from './rule.schema';

const M = 'dossier.postal_result_rate';
const rule = parseScoringRule({ type: 'boolean', metric: M });
const eval_ = (numerator: number | null, denominator: number | null) =>
  evaluateRule(rule, { [M]: { numerator, denominator } }, 0.5);

describe('boolean rule', () => {
  it('gives max for yes (1/1) and 0 for no (0/1)', () => {
    expect(eval_(1, 1)).toMatchObject({ status: 'scored', points: 0.5, value: 1 });
    expect(eval_(0, 1)).toMatchObject({ status: 'scored', points: 0, value: 0 });
  });

  it('reads a count metric as yes only when all are counted (boundary)', () => {
    expect(eval_(9, 10).points).toBe(0);
    expect(eval_(10, 10).points).toBe(0.5);
  });

  it('is no_data for a zero denominator and for missing evidence', () => {
    expect(eval_(0, 0)).toMatchObject({ status: 'no_data', points: null });
    expect(evaluateRule(rule, {}, 0.5)).toMatchObject({ status: 'no_data', points: null });
  });

  it('applies an explicit full policy', () => {
    const full = parseScoringRule({ type: 'boolean', metric: M, zeroDenominator: 'full' });
    expect(evaluateRule(full, { [M]: { numerator: null, denominator: null } }, 0.5)).toMatchObject({ status: 'scored', points: 0.5 });
  });
});
