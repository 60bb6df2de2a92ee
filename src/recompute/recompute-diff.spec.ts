import { ComputedPeriod } from '../evidence/sources/evidence-source';
import { MetricCount } from '../evidence/counting-rules';
import { yearPeriod } from '../platform/time/vietnam-time';
import { StoredEvidence, StoredScore, compareEvidence, compareScores, sameNumber } from './recompute-diff';

const stored = (over: Partial<StoredEvidence> = {}): StoredEvidence => ({
  id: 1, sourceKind: 'one-stop-shop', periodKey: '2025', metric: 'dossier.on_time_rate', subject: '', numerator: 90, denominator: 100, ruleVersion: 'r1', ...over,
});
const computed = (records: Array<{ metric: string; numerator: number | null; denominator: number | null }>): Map<string, ComputedPeriod[]> =>
  new Map([['one-stop-shop', [{ period: yearPeriod(2025), asOf: new Date(), recordCount: 1, runIds: [], rawDigests: [], records: records.map((r) => ({ metric: r.metric, subject: '', count: { numerator: r.numerator, denominator: r.denominator } as MetricCount })) }]]]);

describe('recompute differences', () => {
  it('finds nothing when the numbers agree (numeric text vs doubles)', () => {
    expect(sameNumber(0.1 + 0.2, 0.3)).toBe(true);
    expect(sameNumber(null, 0)).toBe(false);
    expect(compareEvidence([stored()], computed([{ metric: 'dossier.on_time_rate', numerator: 90, denominator: 100 }]), null)).toEqual({ compared: 1, differences: [] });
  });

  it('names changed, missing and extra evidence by period, metric and field', () => {
    const r = compareEvidence(
      [stored(), stored({ id: 2, metric: 'dossier.digitisation_rate' })],
      computed([{ metric: 'dossier.on_time_rate', numerator: 91, denominator: 100 }, { metric: 'dossier.online_payment_rate', numerator: 1, denominator: 2 }, { metric: 'x.none', numerator: null, denominator: null }]),
      null,
    );
    expect(r.differences.map((d) => [d.metric, d.difference, d.fields])).toEqual([
      ['dossier.on_time_rate', 'changed', ['numerator']],
      ['dossier.digitisation_rate', 'missing', []],
      ['dossier.online_payment_rate', 'extra', []],
    ]);
  });

  it('narrows to the metrics of one score', () => {
    const r = compareEvidence([stored(), stored({ id: 2, metric: 'other', numerator: 5 })], computed([{ metric: 'dossier.on_time_rate', numerator: 90, denominator: 100 }]), new Set(['dossier.on_time_rate']));
    expect(r).toEqual({ compared: 1, differences: [] });
  });

  it('names the score fields that differ, a changed rule by its digest', () => {
    const s: StoredScore = { id: 7, periodKey: '2025', catalogue: 'c@1', subCriterion: '1.1', status: 'auto_filled', value: 0.9, points: 2, ruleDigest: 'a' };
    const same = { status: 'auto_filled', value: 0.9, points: 2, ruleDigest: 'a', subCriterion: '1.1' };
    expect(compareScores([s], [{ periodKey: '2025', catalogue: 'c@1', score: same as never }]).differences).toEqual([]);
    const diff = compareScores([s], [{ periodKey: '2025', catalogue: 'c@1', score: { ...same, points: 1.5, ruleDigest: 'b' } as never }]);
    expect(diff.differences).toEqual([expect.objectContaining({ scoreId: 7, difference: 'changed', fields: ['points', 'ruleDigest'] })]);
    expect(compareScores([s], []).differences[0].difference).toBe('missing');
  });
});
