import { join } from 'node:path';
import { loadCatalogue } from '../catalogue';
import { AnswerMetricRow, AnswerUnitRow, UnitScore, rank, scoreUnits } from './qd766-unit-scorer';

const catalogue = loadCatalogue(join(__dirname, '..', '..', '..', 'config', 'scoring', 'qd766-2022.yaml'));

const unit = (id: string, over: Partial<AnswerUnitRow> = {}): AnswerUnitRow => ({
  endpoint: 'dvc-progress-tree', departmentId: id, isRoot: false, departmentCode: null, departmentName: id, departmentType: null, departmentLevel: null, agencyLevel: null,
  level: 'COMMUNE', totalScore: null, totalMaxScore: 20, rawParams: null, ...over,
});
const progress = (id: string, received: number, onTime: number, score: number, over: Partial<AnswerUnitRow> = {}) =>
  unit(id, { rawParams: { totalReceived: received, totalOnTime: onTime }, totalScore: score, ...over });

describe('Decision 766 unit scoring (pure)', () => {
  it('ranks units by official total like the portal: ties share a rank, the next one skips; no total, no rank; the province is not ranked', () => {
    const u = (id: string, total: number | null, isRoot = false) => ({ departmentId: id, isRoot, officialTotal: total, rankOfficial: null }) as unknown as UnitScore;
    const units = [u('p', 99, true), u('a', 10), u('b', 30), u('c', 30), u('d', null), u('e', 5)];
    rank(units, 'officialTotal', 'rankOfficial');
    expect(units.map((x) => [x.departmentId, x.rankOfficial])).toEqual([['p', null], ['a', 3], ['b', 1], ['c', 1], ['d', null], ['e', 4]]);
  });

  it('2.1 per unit: 20 × onTime / received, nothing received → 0 (both published and recomputed), levels from the answers', () => {
    const { units, findings } = scoreUnits(catalogue, {
      units: [progress('root', 100, 90, 18, { isRoot: true, level: null }), progress('dept', 3, 2, 13.33, { level: 'PROVINCE' }), progress('zero', 0, 0, 0)],
      metrics: [],
      flags: [],
      running: false,
    });
    const by = (id: string) => units.find((x) => x.departmentId === id)!;
    expect([by('root').level, by('dept').level, by('zero').level]).toEqual(['province', 'department', 'commune']);
    expect(by('dept').items.find((i) => i.code === '2.1')).toMatchObject({ official: 13.33, recomputed: 13.3333, difference: 0.0033, zeroDenominator: false });
    expect(by('zero').items.find((i) => i.code === '2.1')).toMatchObject({ official: 0, recomputed: 0, zeroDenominator: true });
    // a group the unit is absent from has no total; group 2 is only progress
    expect(by('dept').groups.find((g) => g.code === '1')).toMatchObject({ official: null, recomputed: null });
    expect(by('dept').groups.find((g) => g.code === '2')).toMatchObject({ official: 13.33, recomputed: 13.33 });
    expect(findings).toEqual([]);
  });

  it('a published score differing by more than 0.015 is a finding naming its inputs and rule digest; a flag on the answer marks every item provisional', () => {
    const metric = (code: string, numerator: number, denominator: number, score: number | null): AnswerMetricRow => ({ endpoint: 'transparency', departmentId: 'u', code, numerator, denominator, score, maxScore: 6 });
    const { units, findings } = scoreUnits(catalogue, {
      units: [unit('u', { endpoint: 'transparency', totalScore: 4.9, level: null, departmentType: 'COMMUNE' })],
      metrics: [metric('DOSSIER_SYNC', 80, 100, 4.9)],
      flags: [{ endpoint: 'transparency', departmentId: '', metricCode: '', flagCode: 'NO_NATIONAL_REPORT_DATA', message: 'm' }],
      running: false,
    });
    expect(findings.find((f) => f.metric === '1.4')).toMatchObject({ kind: 'difference', official: 4.9, recomputed: 4.8, inputs: { 'dvcqg.DOSSIER_SYNC': { numerator: 80, denominator: 100 } }, ruleDigest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(units[0].items.find((i) => i.code === '1.4')).toMatchObject({ status: 'provisional', flags: [{ metric: '', status: 'NO_NATIONAL_REPORT_DATA', message: 'm' }] });
    expect(units[0].status).toBe('provisional');
  });
});
