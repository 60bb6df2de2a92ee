import { AccessScope, Principal } from '../../platform/auth/access-policy';
import { ScoreboardRow, scoreboardFor } from './results-publication';

const row = (provinceCode: string, rank: number, catalogue = 'c@1'): ScoreboardRow => ({
  rank, provinceCode, region: null, catalogue, points: 10 - rank, scoredMaxPoints: 10, maxPoints: 10, coverage: 1, scored: 1, noData: 0, manual: 0,
});
const officer: Principal = { kind: 'user', id: 'u', name: 'o', role: 'officer', provinceCode: '79' };
const admin: Principal = { ...officer, role: 'admin', provinceCode: null };
const live = [row('01', 1), row('79', 2), row('48', 3)];

describe('draft and published results', () => {
  it('shows an officer only the own province, without rank, until the year is published', () => {
    expect(scoreboardFor(AccessScope.of(officer), live, null)).toEqual([{ ...row('79', 2), rank: null }]);
  });

  it('shows everyone the published table once published', () => {
    const published = [row('01', 1), row('79', 2), row('48', 3), row('01', 1, 'd@2')];
    expect(scoreboardFor(AccessScope.of(officer), live, published)).toHaveLength(4);
    expect(scoreboardFor(AccessScope.of(officer), live, published, 'd@2')).toEqual([row('01', 1, 'd@2')]);
  });

  it('shows roles that reach every province the live table', () => {
    expect(scoreboardFor(AccessScope.of(admin), live, null)).toBe(live);
  });
});
