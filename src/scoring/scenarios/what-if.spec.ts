import { rankOf, runScenario, scenarioPoints } from './what-if';

const item = (subCriterion: string, points: number | null, maxPoints: number, status: 'scored' | 'no_data' | 'manual' = 'scored') => ({ subCriterion, points, maxPoints, status });

describe('what-if scenarios (hand-computed)', () => {
  it('ranks with ties sharing a rank and unscored provinces unranked', () => {
    const rows = [{ p: 10 }, { p: 12 }, { p: 10 }, { p: null }];
    const ranks = rankOf(rows, (r) => r.p);
    expect(rows.map((r) => ranks.get(r))).toEqual([2, 1, 2, null]);
  });

  it('without weights, the scenario repeats the catalogue points (no data and manual items count nothing)', () => {
    expect(scenarioPoints('04', [item('3.4.1', 1.5, 2), item('3.5', null, 1, 'no_data'), item('3.1', null, 0.5, 'manual')], [])).toEqual({ points: 1.5, weighted: [] });
  });

  it('multiplies the listed sub-criteria of the listed provinces and caps each at its maximum', () => {
    const weights = [{ provinces: ['04', '11'], multipliers: { '3.4.1': 1.2, '3.5': 1.5 } }];
    // 3.4.1: 1.5 × 1.2 = 1.8 (≤ 2); 3.5: 0.8 × 1.5 = 1.2 → capped at 1; 3.6 untouched: 0.4 → 3.2
    expect(scenarioPoints('04', [item('3.4.1', 1.5, 2), item('3.5', 0.8, 1), item('3.6', 0.4, 1)], weights)).toEqual({ points: 3.2, weighted: ['3.4.1', '3.5'] });
    // another province is not weighted
    expect(scenarioPoints('79', [item('3.4.1', 1.5, 2), item('3.5', 0.8, 1)], weights).points).toBe(2.3);
  });

  it('sets scenario and official results side by side with the differences', () => {
    const weights = [{ label: 'mountainous', provinces: ['04'], multipliers: { a: 2 } }];
    const rows = runScenario(
      [
        { provinceCode: '01', officialPoints: 5, items: [item('a', 2, 5), item('b', 3, 5)] },
        { provinceCode: '04', officialPoints: 4, items: [item('a', 2, 5), item('b', 2, 5)] },
        { provinceCode: '79', officialPoints: 4.5, items: [item('a', 2.5, 5), item('b', 2, 5)] },
      ],
      weights,
    );
    expect(rows).toEqual([
      { provinceCode: '04', officialPoints: 4, officialRank: 3, scenarioPoints: 6, scenarioRank: 1, deltaPoints: 2, deltaRank: 2, weighted: ['a'] },
      { provinceCode: '01', officialPoints: 5, officialRank: 1, scenarioPoints: 5, scenarioRank: 2, deltaPoints: 0, deltaRank: -1, weighted: [] },
      { provinceCode: '79', officialPoints: 4.5, officialRank: 2, scenarioPoints: 4.5, scenarioRank: 3, deltaPoints: 0, deltaRank: -1, weighted: [] },
    ]);
  });
});
