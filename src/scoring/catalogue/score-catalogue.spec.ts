import { join } from 'node:path';
import { RuleInputs } from '../rules/rule.types';
import { ruleDigest } from './catalogue-digest';
import { loadCatalogue } from './catalogue.loader';
import { scoreCatalogue } from './score-catalogue';

const catalogue = loadCatalogue(join(__dirname, '..', '..', '..', 'config', 'scoring', 'par-index-2026.demo.yaml'));
const byCode = (scores: ReturnType<typeof scoreCatalogue>, code: string) => {
  const found = scores.find((s) => s.subCriterion === code);
  if (!found) throw new Error(`no ${code}`);
  return found;
};

const inputs: RuleInputs = {
  'dossier.on_time_rate.province_level': { numerator: 95, denominator: 100 },
  'dossier.on_time_rate.commune_level': { numerator: 0, denominator: 0 },
  'dossier.postal_submission_rate': { numerator: 5, denominator: 100 },
  'dossier.postal_result_rate': { numerator: 20, denominator: 100 },
  'dossier.online_payment_rate': { numerator: 40, denominator: 100 },
  'dossier.digitisation_rate': { numerator: 1, denominator: 4 },
  'dossier.online_submission_rate': { numerator: 91, denominator: 100 },
  // procedure.fully_online_share: no evidence at all
};

describe('scoreCatalogue', () => {
  const scores = scoreCatalogue(catalogue, inputs);

  it('scores each sub-criterion in catalogue order, with its rule digest', () => {
    expect(scores.map((s) => s.subCriterion)).toEqual(catalogue.subCriteria.map((s) => s.code));
    catalogue.subCriteria.forEach((item, i) => expect(scores[i].ruleDigest).toBe(ruleDigest(item)));
  });

  it('scores items with evidence', () => {
    expect(byCode(scores, '3.4.1')).toMatchObject({ status: 'scored', points: 0.5, maxPoints: 1, value: 0.95, usedMetrics: ['dossier.on_time_rate.province_level'] });
    expect(byCode(scores, '3.5')).toMatchObject({ status: 'scored', points: 0.25 + 0.5, value: null });
    expect(byCode(scores, '3.5').terms).toHaveLength(2);
    expect(byCode(scores, '3.6')).toMatchObject({ status: 'scored', points: 0.25 });
    expect(byCode(scores, '7.2.1')).toMatchObject({ status: 'scored', points: 1.5 });
    expect(byCode(scores, '7.2.2')).toMatchObject({ status: 'scored', points: 0.5 });
    expect(byCode(scores, '3.4.1').title).toBe('Tỷ lệ hồ sơ TTHC cấp tỉnh giải quyết đúng hạn');
  });

  it('gives no_data, never 0, for a zero denominator and for a metric without evidence', () => {
    expect(byCode(scores, '3.4.2')).toMatchObject({ status: 'no_data', points: null, value: null });
    expect(byCode(scores, '7.2.3')).toMatchObject({ status: 'no_data', points: null });
    expect(byCode(scores, '7.2.3').explanation).toContain('no evidence for procedure.fully_online_share');
  });

  it('shows manual items as still manual', () => {
    expect(byCode(scores, '3.1')).toMatchObject({ status: 'manual', points: null, value: null, usedMetrics: [], maxPoints: 0.5 });
    expect(byCode(scores, '3.1').explanation).toMatch(/^still manual/);
  });

  it('is all no_data (and manual) with no evidence', () => {
    const empty = scoreCatalogue(catalogue, {});
    expect(empty.every((s) => s.status !== 'scored' && s.points === null)).toBe(true);
    expect(empty.filter((s) => s.status === 'no_data')).toHaveLength(7);
    expect(empty.filter((s) => s.status === 'manual')).toHaveLength(1);
  });

  it('is pure: same inputs, same output', () => {
    expect(scoreCatalogue(catalogue, inputs)).toEqual(scores);
  });
});
