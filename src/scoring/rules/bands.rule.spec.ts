import { evaluateRule } from './evaluate-rule';
import { parseScoringRule, scoringRuleSchema } from './rule.schema';

const M = 'dossier.on_time_rate';
const rule = parseScoringRule({
  type: 'bands',
  metric: M,
  bands: [
    { min: 0, max: 0.9, points: 0 },
    { min: 0.9, max: 1, points: 1 },
    { min: 1, points: 2 },
  ],
});
const eval_ = (numerator: number | null, denominator: number | null, max = 2) =>
  evaluateRule(rule, { [M]: { numerator, denominator } }, max);

function issues(raw: unknown): string[] {
  const result = scoringRuleSchema.safeParse(raw);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('bands rule', () => {
  it('picks the band holding the ratio: min inclusive, max exclusive', () => {
    expect(eval_(0, 10)).toMatchObject({ status: 'scored', points: 0 });
    expect(eval_(899, 1000).points).toBe(0);
    expect(eval_(9, 10).points).toBe(1);
    expect(eval_(999, 1000).points).toBe(1);
    expect(eval_(10, 10).points).toBe(2);
    expect(eval_(9, 10).explanation).toContain('band [0.9, 1) → 1');
  });

  it('uses the open last band for a clamped ratio above 1', () => {
    expect(eval_(11, 10)).toMatchObject({ points: 2, value: 1 });
  });

  it('never gives more than maxPoints', () => {
    expect(eval_(10, 10, 1.5).points).toBe(1.5);
  });

  it('is no_data for a zero denominator and for missing evidence', () => {
    expect(eval_(0, 0)).toMatchObject({ status: 'no_data', points: null });
    expect(evaluateRule(rule, { other: { numerator: 1, denominator: 1 } }, 2)).toMatchObject({ status: 'no_data', points: null });
  });

  it('rejects bands with a gap, an overlap, a wrong start, or not covering 1', () => {
    expect(issues({ type: 'bands', metric: M, bands: [{ min: 0, max: 0.5, points: 0 }, { min: 0.6, points: 1 }] })).toEqual([
      'bands.1.min: gap: previous band ends at 0.5, this one starts at 0.6',
    ]);
    expect(issues({ type: 'bands', metric: M, bands: [{ min: 0, max: 0.5, points: 0 }, { min: 0.4, points: 1 }] })).toEqual([
      'bands.1.min: overlap: previous band ends at 0.5, this one starts at 0.4',
    ]);
    expect(issues({ type: 'bands', metric: M, bands: [{ min: 0.1, points: 1 }] })).toEqual(['bands.0.min: the first band must start at 0, not 0.1']);
    expect(issues({ type: 'bands', metric: M, bands: [{ min: 0, max: 1, points: 1 }] })[0]).toMatch(/^bands\.0\.max: .*ratio of 1 is not covered/);
    expect(issues({ type: 'bands', metric: M, bands: [{ min: 0, points: 1 }, { min: 0.5, points: 2 }] })[0]).toMatch(/only the last band may be open/);
    expect(issues({ type: 'bands', metric: M, bands: [] })).toEqual(['bands: at least one band is needed']);
    expect(issues({ type: 'bands', metric: M, bands: [{ min: 0, points: -1 }] })).toEqual(['bands.0.points: band points must be 0 or more']);
  });
});
