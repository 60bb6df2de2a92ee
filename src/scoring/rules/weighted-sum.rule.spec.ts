import { evaluateRule } from './evaluate-rule';
import { parseScoringRule, scoringRuleSchema } from './rule.schema';

const A = 'dossier.online_payment_rate';
const B = 'dossier.online_submission_rate';
const C = 'procedure.fully_online_share';

// Decision 766 online payment shape: 6·A + min(2, 2.5·B) + 2.5·C, at most 10 (metrics here are stand-ins).
const raw = {
  type: 'weighted_sum',
  terms: [
    { name: 'A', metric: A, weight: 6 },
    { name: 'B', metric: B, weight: 2.5, cap: 2 },
    { name: 'C', metric: C, weight: 2.5 },
  ],
};
const rule = parseScoringRule(raw);
const all = (a: [number, number], b: [number, number], c: [number, number]) => ({
  [A]: { numerator: a[0], denominator: a[1] },
  [B]: { numerator: b[0], denominator: b[1] },
  [C]: { numerator: c[0], denominator: c[1] },
});

describe('weighted_sum rule', () => {
  it('adds the weighted terms, each capped', () => {
    const outcome = evaluateRule(rule, all([1, 2], [1, 1], [2, 5]), 10);
    expect(outcome).toMatchObject({ status: 'scored', points: 3 + 2 + 1, value: null, usedMetrics: [A, B, C] });
    expect(outcome.terms).toEqual([
      { name: 'A', metric: A, ratio: 0.5, points: 3 },
      { name: 'B', metric: B, ratio: 1, points: 2 },
      { name: 'C', metric: C, ratio: 0.4, points: 1 },
    ]);
    expect(outcome.explanation).toContain('min(2, 2.5 × 1 (1/1)) = 2');
  });

  it('caps the sum at maxPoints (boundary: 6 + 2 + 2.5 = 10.5 > 10)', () => {
    const outcome = evaluateRule(rule, all([1, 1], [1, 1], [1, 1]), 10);
    expect(outcome.points).toBe(10);
    expect(outcome.explanation).toContain('sum 10.5, capped at max 10');
  });

  it('is no_data as a whole when any term has a zero denominator under the default policy', () => {
    const outcome = evaluateRule(rule, all([0, 0], [1, 1], [1, 1]), 10);
    expect(outcome).toMatchObject({ status: 'no_data', points: null, value: null });
    expect(outcome.explanation).toContain(`A (${A}): nothing to count`);
  });

  it('is no_data when a term has no evidence, whatever the policy', () => {
    const zero = parseScoringRule({ ...raw, zeroDenominator: 'zero' });
    const inputs = { [A]: { numerator: 1, denominator: 1 }, [B]: { numerator: 1, denominator: 1 } };
    const outcome = evaluateRule(zero, inputs, 10);
    expect(outcome).toMatchObject({ status: 'no_data', points: null });
    expect(outcome.explanation).toContain(`C (${C}): no evidence`);
  });

  it('counts a zero-denominator term as 0 under policy zero, and at its most under full', () => {
    const zero = parseScoringRule({ ...raw, zeroDenominator: 'zero' });
    const full = parseScoringRule({ ...raw, zeroDenominator: 'full' });
    const inputs = all([1, 2], [0, 0], [0, 0]);
    expect(evaluateRule(zero, inputs, 10)).toMatchObject({ status: 'scored', points: 3 });
    expect(evaluateRule(full, inputs, 10)).toMatchObject({ status: 'scored', points: 3 + 2 + 2.5 });
    expect(evaluateRule(zero, inputs, 10).terms?.[1]).toEqual({ name: 'B', metric: B, ratio: null, points: 0 });
  });

  it('rejects duplicate term names, a cap above the weight and an empty term list', () => {
    const bad = (terms: unknown) => {
      const result = scoringRuleSchema.safeParse({ type: 'weighted_sum', terms });
      return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(bad([{ name: 'A', metric: A, weight: 1 }, { name: 'A', metric: B, weight: 1 }])).toEqual(['terms.1.name: duplicate term name "A"']);
    expect(bad([{ name: 'A', metric: A, weight: 1, cap: 2 }])[0]).toMatch(/^terms\.0\.cap: cap 2 is above weight 1/);
    expect(bad([])).toEqual(['terms: at least one term is needed']);
  });
});

describe('weighted_sum rule: Decision 766 online payment, 6·A + min(2, 2.5·B) + 2.5·C, zero denominator counts 0', () => {
  const payment = parseScoringRule({ ...raw, zeroDenominator: 'zero' });

  it('hand-computed: A 0.5, B 0.6, C 0.4 → 3 + 1.5 + 1 = 5.5', () => {
    const outcome = evaluateRule(payment, all([50, 100], [3, 5], [2, 5]), 10);
    expect(outcome).toMatchObject({ status: 'scored', points: 5.5 });
    expect(outcome.terms?.map((t) => t.points)).toEqual([3, 1.5, 1]);
  });

  it('B reaches its cap of 2 exactly at 0.8 (2.5 × 0.8 = 2) and stays there', () => {
    expect(evaluateRule(payment, all([0, 10], [4, 5], [0, 10]), 10).points).toBe(2);
    expect(evaluateRule(payment, all([0, 10], [79, 100], [0, 10]), 10).points).toBe(1.975);
    expect(evaluateRule(payment, all([0, 10], [9, 10], [0, 10]), 10).points).toBe(2);
  });

  it('all full gives 6 + 2 + 2.5 = 10.5, capped at 10', () => {
    expect(evaluateRule(payment, all([1, 1], [1, 1], [1, 1]), 10).points).toBe(10);
  });

  it('a zero denominator counts 0 for that term only: A 0/0, B 1, C 0.2 → 0 + 2 + 0.5', () => {
    const outcome = evaluateRule(payment, all([0, 0], [5, 5], [1, 5]), 10);
    expect(outcome).toMatchObject({ status: 'scored', points: 2.5 });
    expect(outcome.terms?.[0]).toEqual({ name: 'A', metric: A, ratio: null, points: 0 });
  });
});
