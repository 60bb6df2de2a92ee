import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC_CODES } from '../metric-catalogue';
import { ruleMetrics } from '../rules/rule.schema';
import { CatalogueValidationError, cataloguesForYear, loadCatalogue, loadCatalogues, parseCatalogueYaml } from './catalogue.loader';

const CONFIG_DIR = join(__dirname, '..', '..', '..', 'config', 'scoring');
const DEMO = join(CONFIG_DIR, 'par-index-2026.demo.yaml');

const HEAD = `id: test-cat
framework: PAR_INDEX
version: "1"
status: demo
title: test
years: { from: 2026, to: 2026 }
subCriteria:
`;

function errorOf(yaml: string, file = 'bad.yaml'): CatalogueValidationError {
  try {
    parseCatalogueYaml(yaml, file);
  } catch (error) {
    if (error instanceof CatalogueValidationError) return error;
    throw error;
  }
  throw new Error('expected a CatalogueValidationError');
}

describe('loadCatalogue', () => {
  it('loads the demo catalogue', () => {
    const catalogue = loadCatalogue(DEMO);
    expect(catalogue).toMatchObject({ id: 'par-index-2026-demo', framework: 'PAR_INDEX', version: '2026.0-demo', status: 'demo' });
    expect(catalogue.years).toEqual({ from: 2025, to: 2026 });
    const manual = catalogue.subCriteria.filter((s) => s.manual === true);
    expect(manual.map((s) => s.code)).toEqual(['3.1']);
    const used = catalogue.subCriteria.flatMap((s) => (s.rule ? ruleMetrics(s.rule) : []));
    for (const metric of used) expect(METRIC_CODES.has(metric)).toBe(true);
    for (const metric of [
      'dossier.on_time_rate.province_level',
      'dossier.online_submission_rate',
      'dossier.postal_submission_rate',
      'dossier.online_payment_rate',
      'dossier.digitisation_rate',
      'procedure.fully_online_share',
    ]) {
      expect(used).toContain(metric);
    }
    // defaults applied
    const first = catalogue.subCriteria[0].rule;
    expect(first && 'zeroDenominator' in first && first.zeroDenominator).toBe('no_data');
  });

  it('loads every catalogue of config/scoring', () => {
    const catalogues = loadCatalogues(CONFIG_DIR);
    expect(catalogues.map((c) => c.id)).toContain('par-index-2026-demo');
    expect(cataloguesForYear(catalogues, 'PAR_INDEX', 2026).map((c) => c.id)).toContain('par-index-2026-demo');
    expect(cataloguesForYear(catalogues, 'PAR_INDEX', 2019)).toEqual([]);
  });

  it('rejects an unknown metric, naming the file, the path and the sub-criterion', () => {
    const error = errorOf(`${HEAD}  - { code: "7.1", title: t, maxPoints: 1, rule: { type: linear, metric: dossier.foo_rate } }\n`, 'cat/x.yaml');
    expect(error.file).toBe('cat/x.yaml');
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0].path).toBe('subCriteria[0].rule.metric');
    expect(error.message).toContain('cat/x.yaml');
    expect(error.message).toContain('subCriteria[0].rule.metric: unknown metric "dossier.foo_rate"');
    expect(error.message).toContain('(sub-criterion 7.1)');
  });

  it('accepts the figures of sectoral systems (sector.<name>) but not a malformed sector code', () => {
    const ok = parseCatalogueYaml(`${HEAD}  - { code: "7.2.1", title: t, maxPoints: 2, rule: { type: linear, metric: sector.docs.outgoing_signed_share } }\n`, 'ok.yaml');
    expect(ok.subCriteria[0].rule).toMatchObject({ metric: 'sector.docs.outgoing_signed_share' });
    const error = errorOf(`${HEAD}  - { code: "7.2.1", title: t, maxPoints: 2, rule: { type: linear, metric: sector.Docs Share } }\n`);
    expect(error.message).toContain('unknown metric "sector.Docs Share"');
  });

  it('rejects an unknown metric inside a weighted_sum term', () => {
    const error = errorOf(`${HEAD}  - code: "7.1"
    title: t
    maxPoints: 1
    rule:
      type: weighted_sum
      terms:
        - { name: a, metric: dossier.digitisation_rate, weight: 1 }
        - { name: b, metric: dossier.nope, weight: 1 }
`);
    expect(error.issues.map((i) => i.path)).toEqual(['subCriteria[0].rule.terms[1].metric']);
  });

  it('rejects a missing maxPoints', () => {
    const error = errorOf(`${HEAD}  - { code: "7.1", title: t, rule: { type: linear, metric: dossier.digitisation_rate } }\n`);
    expect(error.issues).toEqual([{ path: 'subCriteria[0].maxPoints', message: 'maxPoints is required (sub-criterion 7.1)' }]);
    expect(error.message).toContain('bad.yaml');
  });

  it('rejects a wrong rule type', () => {
    const error = errorOf(`${HEAD}  - { code: "7.1", title: t, maxPoints: 1, rule: { type: percent, metric: dossier.digitisation_rate } }\n`);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0].path).toBe('subCriteria[0].rule.type');
    expect(error.issues[0].message).toMatch(/^unknown rule type "percent"; expected one of linear, threshold, bands, capped, weighted_sum, boolean/);
  });

  it('rejects a rule missing its fields, an unknown field and a numeric code', () => {
    expect(errorOf(`${HEAD}  - { code: "7.1", title: t, maxPoints: 1, rule: { type: threshold, metric: dossier.digitisation_rate } }\n`).issues[0].path).toBe(
      'subCriteria[0].rule.threshold',
    );
    const typo = errorOf(`${HEAD}  - { code: "7.1", title: t, maxPoints: 1, maxPoint: 2, manual: true, document: d }\n`);
    expect(typo.issues).toEqual([{ path: 'subCriteria[0]', message: 'unknown field "maxPoint" (sub-criterion 7.1)' }]);
    const numeric = errorOf(`${HEAD}  - { code: 7.1, title: t, maxPoints: 1, manual: true }\n`);
    expect(numeric.issues[0]).toEqual({ path: 'subCriteria[0].code', message: 'code must be a string such as "6.1.1" (quote it in YAML)' });
  });

  it('rejects manual/rule mix-ups, duplicate codes, band points above max and mismatched metrics', () => {
    const error = errorOf(`${HEAD}  - { code: "1", title: t, maxPoints: 1 }
  - { code: "2", title: t, maxPoints: 1, manual: true, document: d, rule: { type: linear, metric: dossier.digitisation_rate } }
  - { code: "2", title: t, maxPoints: 1, manual: true, document: d }
  - code: "3"
    title: t
    maxPoints: 1
    rule: { type: bands, metric: dossier.on_time_rate, bands: [ { min: 0, points: 2 } ] }
  - { code: "4", title: t, maxPoints: 1, metrics: [dossier.on_time_rate], rule: { type: linear, metric: dossier.digitisation_rate } }
`);
    expect(error.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'subCriteria[0].rule: rule is required (or set manual: true for an item scored from a document) (sub-criterion 1)',
      'subCriteria[1].rule: a manual item has no rule: remove rule, or remove manual: true (sub-criterion 2)',
      'subCriteria[2].code: duplicate code "2" (also subCriteria[1])',
      'subCriteria[3].rule.bands[0].points: band points 2 exceed maxPoints 1 (sub-criterion 3)',
      'subCriteria[4].metrics: metrics [dossier.on_time_rate] differ from those the rule reads [dossier.digitisation_rate] (sub-criterion 4)',
    ]);
  });

  it('rejects bad top-level fields', () => {
    const error = errorOf(`id: Bad Id
framework: par
version: 2026.1
status: final
title: t
years: { from: 2027, to: 2026 }
subCriteria: []
`);
    expect(error.issues.map((i) => i.path)).toEqual(['id', 'framework', 'version', 'status', 'years.to', 'subCriteria']);
    expect(error.issues.find((i) => i.path === 'version')?.message).toBe('version must be a string');
  });

  it('reports YAML syntax errors and duplicate keys with the file name', () => {
    expect(errorOf('id: [unclosed\n', 'syntax.yaml').message).toMatch(/^invalid scoring catalogue syntax\.yaml:\n {2}- YAML: /);
    expect(errorOf(`${HEAD}  - { code: "1", title: t, maxPoints: 1, maxPoints: 2, manual: true }\n`).message).toMatch(/YAML: Map keys must be unique at line 8/);
    expect(errorOf('- a\n- b\n').issues[0].message).toMatch(/must hold a YAML mapping/);
  });

  it('names an unreadable file', () => {
    expect(() => loadCatalogue('/nonexistent/x.yaml')).toThrow(/invalid scoring catalogue \/nonexistent\/x\.yaml:[\s\S]*cannot read the file/);
  });
});

describe('loadCatalogues', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalogues-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (id: string, version: string) =>
    HEAD.replace('id: test-cat', `id: ${id}`).replace('version: "1"', `version: "${version}"`) + '  - { code: "1", title: t, maxPoints: 1, manual: true, document: d }\n';

  it('loads yaml and yml files in name order and ignores others', () => {
    writeFileSync(join(dir, 'b.yml'), file('b', '2'));
    writeFileSync(join(dir, 'a.yaml'), file('a', '1'));
    writeFileSync(join(dir, 'notes.md'), '# not a catalogue');
    expect(loadCatalogues(dir).map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('rejects a duplicate id or a duplicate framework version, naming both files', () => {
    writeFileSync(join(dir, 'a.yaml'), file('same', '1'));
    writeFileSync(join(dir, 'b.yaml'), file('same', '2'));
    expect(() => loadCatalogues(dir)).toThrow(/b\.yaml:\n {2}- id: id "same" is already used by .*a\.yaml/);
    writeFileSync(join(dir, 'b.yaml'), file('other', '1'));
    expect(() => loadCatalogues(dir)).toThrow(/b\.yaml:\n {2}- version: PAR_INDEX version "1" is already defined by .*a\.yaml/);
  });
});
