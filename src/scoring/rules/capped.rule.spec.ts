import { evaluateRule } from './evaluate-rule';
import { parseScoringRule } from './rule.schema';

const M = 'dossier.digitisation_rate';
// Decision 766, 4.3: min(2, 2 × ratio / 0.8)
const rule = parseScoringRule({ type: 'capped', metric: M, divisor: 0.8 });
const eval_ = (numerator: number | null, denominator: number | null) =>
  evaluateRule(rule, { [M]: { numerator, denominator } }, 2);

describe('capped rule', () => {
  it('is proportional below the divisor', () => {
    expect(eval_(40, 100)).toMatchObject({ status: 'scored', points: 1, value: 0.4 });
    expect(eval_(40, 100).explanation).toContain('min(2, 2 × 0.4 / 0.8) = 1');
  });

  it('reaches full points exactly at the divisor and stays there', () => {
    expect(eval_(80, 100).points).toBe(2);
    expect(eval_(79, 100).points).toBe(1.975);
    expect(eval_(100, 100).points).toBe(2);
  });

  it('gives 0 for a real 0 ratio', () => {
    expect(eval_(0, 50)).toMatchObject({ status: 'scored', points: 0 });
  });

  it('is no_data for a zero denominator unless the policy says otherwise', () => {
    expect(eval_(0, 0)).toMatchObject({ status: 'no_data', points: null });
    const full = parseScoringRule({ type: 'capped', metric: M, divisor: 0.9, zeroDenominator: 'full' });
    expect(evaluateRule(full, { [M]: { numerator: 0, denominator: 0 } }, 6)).toMatchObject({ status: 'scored', points: 6 });
  });

  it('rejects a divisor outside (0, 1]', () => {
    expect(() => parseScoringRule({ type: 'capped', metric: M, divisor: 0 })).toThrow();
    expect(() => parseScoringRule({ type: 'capped', metric: M, divisor: 1.2 })).toThrow();
  });
});
