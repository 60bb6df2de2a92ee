import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleMetrics } from '../rules/rule.schema';
import { RuleInputs } from '../rules/rule.types';
import { cataloguesForYear, loadCatalogue, loadCatalogues } from './catalogue.loader';
import { ScoringCatalogue } from './catalogue.schema';
import { DVCQG_METRIC_CODES } from './dvcqg-metrics';
import { scoreCatalogue } from './score-catalogue';

const CONFIG_DIR = join(__dirname, '..', '..', '..', 'config', 'scoring');
const QD766 = join(CONFIG_DIR, 'qd766-2022.yaml');
const PAR = join(CONFIG_DIR, 'par-index-2026.yaml');

const r = (numerator: number, denominator: number) => ({ numerator, denominator });
const kinds = (c: ScoringCatalogue) =>
  c.subCriteria.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.kind]: (acc[s.kind] ?? 0) + 1 }), {});

describe('DVCQG_METRIC_CODES', () => {
  it('holds every metric code the portal publishes', () => {
    for (const code of [
      'PUBLISH_ON_TIME',
      'PUBLIC_UPDATE_ON_TIME',
      'PUBLIC_CONTENT_FULL',
      'DOSSIER_SYNC',
      'ORIGINAL_RESULT_AVAILABLE',
      'SO_HOA_GIAY_TO_GIAI_QUYET',
      'ELECTRONIC_CERTIFIED_COPY',
      'REUSED_DIGITIZED_DATA',
      'SYNCED_WITH_DVCQG_PERSONAL_STORAGE',
      'CITIZEN_DATA_CONNECTED_DOSSIER',
      'CITIZEN_DATA_CONNECTED_FORMALITY',
      'PETITION_CLASSIFICATION_TTHC',
      'PETITION_CLASSIFICATION_STAFF',
      'PETITION_PROCESSING_ON_TIME',
      'PETITION_HANDLING_SATISFACTION',
      'DOSSIER_RECEIVING_SATISFACTION',
    ]) {
      expect(DVCQG_METRIC_CODES.has(code)).toBe(true);
    }
  });
});

describe('config/scoring', () => {
  it('loads every file; the demo stays first for 2025 and still has scored and manual items', () => {
    const all = loadCatalogues(CONFIG_DIR);
    expect(all.map((c) => c.id)).toEqual(expect.arrayContaining(['par-index-2026-demo', 'par-index-2026', 'qd766-2022']));
    const for2025 = all.filter((c) => c.years.from <= 2025 && 2025 <= c.years.to);
    expect(for2025[0].id).toBe('par-index-2026-demo');
    const demo = scoreCatalogue(for2025[0], { 'dossier.on_time_rate.province_level': r(95, 100), 'procedure.fully_online_share': r(9, 10) });
    expect(demo.filter((s) => s.status === 'scored').length).toBeGreaterThan(0);
    expect(demo.filter((s) => s.status === 'manual').length).toBeGreaterThan(0);
    expect(cataloguesForYear(all, 'PAR_INDEX', 2025).map((c) => c.id)).toEqual(['par-index-2026-demo', 'par-index-2026']);
  });
});

describe('qd766-2022.yaml', () => {
  const catalogue = loadCatalogue(QD766);
  const score = (inputs: RuleInputs, code: string) => {
    const found = scoreCatalogue(catalogue, inputs).find((s) => s.subCriterion === code);
    if (!found) throw new Error(`no ${code}`);
    return found;
  };

  it('is the 100-point frame of Decision 766: 5 groups, 18 + 20 + 22 + 22 + 18', () => {
    expect(catalogue).toMatchObject({ framework: 'QD766', maxPoints: 100 });
    expect(catalogue.fields?.map((f) => [f.code, f.maxPoints])).toEqual([
      ['1', 18],
      ['2', 20],
      ['3', 22],
      ['4', 22],
      ['5', 18],
    ]);
    expect(kinds(catalogue)).toEqual({ rule: 14 });
    expect(catalogue.subCriteria.map((s) => [s.code, s.maxPoints])).toEqual([
      ['1.1', 6],
      ['1.2', 4],
      ['1.3', 2],
      ['1.4', 6],
      ['2.1', 20],
      ['3.1', 12],
      ['3.5', 10],
      ['4.1', 6],
      ['4.2', 4],
      ['4.3', 2],
      ['4.4', 10],
      ['5.2', 6],
      ['5.3', 6],
      ['5.4', 6],
    ]);
  });

  it('group 1 and 2.1: max × ratio', () => {
    expect(score({ 'dvcqg.PUBLISH_ON_TIME': r(40, 50) }, '1.1').points).toBe(4.8); // 6 × 0.8, as the contract's example
    expect(score({ 'dvcqg.PUBLIC_UPDATE_ON_TIME': r(3, 4) }, '1.2').points).toBe(3);
    expect(score({ 'dvcqg.PUBLIC_CONTENT_FULL': r(1, 2) }, '1.3').points).toBe(1);
    expect(score({ 'dvcqg.DOSSIER_SYNC': r(90, 100) }, '1.4').points).toBe(5.4);
    expect(score({ 'dvcqg.PROGRESS_ON_TIME': r(900, 1000) }, '2.1')).toMatchObject({ points: 18, sourceUsed: 'dvcqg' }); // 20 × 900 / 1000
    expect(score({ 'dvcqg.PROGRESS_ON_TIME': r(0, 0) }, '2.1')).toMatchObject({ status: 'scored', points: 0 }); // nothing received → 0
    // the declared one-stop-shop fallback only when the portal has no value at all
    expect(score({ 'dossier.on_time_rate': r(900, 1000) }, '2.1')).toMatchObject({ points: 18, sourceUsed: 'one-stop-shop' });
    expect(score({ 'dossier.on_time_rate': r(500, 1000), 'dvcqg.PROGRESS_ON_TIME': r(0, 0) }, '2.1')).toMatchObject({ points: 0, sourceUsed: 'dvcqg' });
    expect(score({ 'dvcqg.PUBLISH_ON_TIME': r(0, 0) }, '1.1')).toMatchObject({ status: 'no_data', points: null });
  });

  it('3.5–3.6: 6·A + min(2, 2.5·B) + 2.5·C, a zero denominator counting 0', () => {
    const inputs = {
      'dvcqg.PAYMENT_DOSSIER_ONLINE': r(50, 100),
      'dvcqg.PAYMENT_FORMALITY_ONLINE': r(60, 100),
      'dvcqg.PAYMENT_FORMALITY_INTEGRATED': r(40, 100),
    };
    expect(score(inputs, '3.5').points).toBe(5.5); // 3 + 1.5 + 1
    expect(score({ ...inputs, 'dvcqg.PAYMENT_FORMALITY_ONLINE': r(90, 100) }, '3.5').points).toBe(6); // 3 + 2 + 1
    expect(score({ ...inputs, 'dvcqg.PAYMENT_DOSSIER_ONLINE': r(0, 0) }, '3.5').points).toBe(2.5); // 0 + 1.5 + 1
    // this service's own dossiers are not a source of 3.5 (no fallback declared)
    expect(score({ 'dossier.online_payment_rate': r(50, 100) }, '3.5')).toMatchObject({ status: 'no_data' });
  });

  it('group 4: min(max, max × ratio), and 4.3 full from 0.8', () => {
    expect(score({ 'dvcqg.ORIGINAL_RESULT_AVAILABLE': r(1, 4) }, '4.1').points).toBe(1.5);
    expect(score({ 'dvcqg.SO_HOA_GIAY_TO_GIAI_QUYET': r(120, 100) }, '4.2').points).toBe(4);
    expect(score({ 'dvcqg.REUSED_DIGITIZED_DATA': r(40, 100) }, '4.3').points).toBe(1); // 2 × 0.4 / 0.8
    expect(score({ 'dvcqg.REUSED_DIGITIZED_DATA': r(80, 100) }, '4.3').points).toBe(2); // exactly at 0.8
    expect(score({ 'dvcqg.REUSED_DIGITIZED_DATA': r(79, 100) }, '4.3').points).toBe(1.975);
  });

  it('group 5: no feedback → 6 for 5.2 and 5.3; no dossiers → 0 for 5.4, else min(6, 6 × ratio / 0.9)', () => {
    expect(score({ 'dvcqg.PETITION_PROCESSING_ON_TIME': r(0, 0) }, '5.2')).toMatchObject({ status: 'scored', points: 6 });
    expect(score({ 'dvcqg.PETITION_PROCESSING_ON_TIME': r(3, 4) }, '5.2').points).toBe(4.5);
    expect(score({ 'dvcqg.PETITION_HANDLING_SATISFACTION': r(0, 0) }, '5.3')).toMatchObject({ status: 'scored', points: 6 });
    expect(score({ 'dvcqg.PETITION_HANDLING_SATISFACTION': r(1, 3) }, '5.3').points).toBe(2);
    expect(score({ 'dvcqg.DOSSIER_RECEIVING_SATISFACTION': r(0, 0) }, '5.4')).toMatchObject({ status: 'scored', points: 0 });
    expect(score({ 'dvcqg.DOSSIER_RECEIVING_SATISFACTION': r(45, 100) }, '5.4').points).toBe(3); // 6 × 0.45 / 0.9
    expect(score({ 'dvcqg.DOSSIER_RECEIVING_SATISFACTION': r(90, 100) }, '5.4').points).toBe(6); // exactly at 0.9
    // feedback missing altogether is still no data, not 6
    expect(score({}, '5.2')).toMatchObject({ status: 'no_data', points: null });
  });

  it("takes the portal's published score for the parts that are not reproducible, labelled so", () => {
    expect(catalogue.subCriteria.filter((s) => s.portal?.published).map((s) => s.code)).toEqual(['3.1', '4.4']);
    expect(score({ 'dvcqg.ONLINE_SERVICES_PUBLISHED': r(9.6, 12) }, '3.1')).toMatchObject({ points: 9.6, sourceUsed: 'dvcqg-published' });
    // the published sum, not rescaled to 10 when a component is absent (procedure scope)
    expect(score({ 'dvcqg.DIGITISATION_OTHER_PUBLISHED': r(4.5, 6) }, '4.4')).toMatchObject({ points: 4.5, sourceUsed: 'dvcqg-published' });
    expect(score({}, '3.1')).toMatchObject({ status: 'no_data', points: null });
  });
});

describe('par-index-2026.yaml', () => {
  const catalogue = loadCatalogue(PAR);

  it('is a draft PAR INDEX catalogue for 2025–2026 with the 8 fields, adding up to 100', () => {
    expect(catalogue).toMatchObject({ framework: 'PAR_INDEX', status: 'draft', years: { from: 2025, to: 2026 }, maxPoints: 100 });
    expect(catalogue.fields?.map((f) => f.code)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(kinds(catalogue)).toEqual({ manual: 22, rule: 14, imported: 2 }); // 7.2.1 is scored from the document-management system
  });

  it('binds the sub-criteria source systems can answer to metrics', () => {
    const used = catalogue.subCriteria.flatMap((s) => (s.rule ? ruleMetrics(s.rule) : []));
    for (const metric of [
      'dossier.on_time_rate.province_level',
      'dossier.on_time_rate.commune_level',
      'dossier.online_submission_rate',
      'dossier.postal_submission_rate',
      'dossier.postal_result_rate',
      'dossier.online_payment_rate',
      'dossier.digitisation_rate',
      'procedure.fully_online_share',
      'dvcqg.PUBLISH_ON_TIME',
      'dvcqg.PETITION_PROCESSING_ON_TIME',
      'dvcqg.INDEX_TOTAL',
      'imported.sipas.satisfaction',
    ]) {
      expect(used).toContain(metric);
    }
    for (const item of catalogue.subCriteria.filter((s) => s.kind === 'manual')) expect(item.document).toBeTruthy();
  });

  it('marks every points and band figure TO CONFIRM (all but the confirmed total of 100)', () => {
    const figureLines = readFileSync(PAR, 'utf8')
      .split('\n')
      .filter((line) => /^\s*(maxPoints:|rule:.*(threshold|divisor)|- \{ min:|rule: \{ type: linear, metric: (dossier|dvcqg))/.test(line));
    expect(figureLines.length).toBeGreaterThan(60);
    const unmarked = figureLines.filter((line) => !line.includes("# TO CONFIRM against MOHA's yearly guidance"));
    expect(unmarked).toEqual(['maxPoints: 100   # appraisal + survey score, out of 100 (confirmed by the domain note)']);
  });
});
