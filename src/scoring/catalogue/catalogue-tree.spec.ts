import { CatalogueValidationError, parseCatalogueYaml } from './catalogue.loader';
import { scoreCatalogue } from './score-catalogue';

const HEAD = `id: tree-cat
framework: PAR_INDEX
version: "1"
status: draft
title: test
years: { from: 2026, to: 2026 }
`;

/** A valid tree: field 3 (2.5) → criteria 3.4 (2) and 3.9 (0.5); field 8 (1) → criterion 8.1 (1). */
const TREE = `${HEAD}maxPoints: 3.5
fields:
  - code: "3"
    title: field three
    maxPoints: 2.5
    criteria:
      - code: "3.4"
        title: on time
        maxPoints: 2
        subCriteria:
          - { code: "3.4.1", title: province, maxPoints: 1.5, rule: { type: linear, metric: dossier.on_time_rate.province_level } }
          - { code: "3.4.2", title: portal, maxPoints: 0.5, rule: { type: linear, metric: dvcqg.PUBLISH_ON_TIME } }
      - code: "3.9"
        title: review
        maxPoints: 0.5
        subCriteria:
          - { code: "3.9.1", title: plan, maxPoints: 0.5, kind: manual, document: review plan }
  - code: "8"
    title: impact
    maxPoints: 1
    criteria:
      - code: "8.1"
        title: SIPAS
        maxPoints: 1
        subCriteria:
          - { code: "8.1.1", title: sipas, maxPoints: 1, kind: imported, importKey: sipas.satisfaction, rule: { type: linear, metric: imported.sipas.satisfaction } }
`;

function errorOf(yaml: string, file = 'cat/tree.yaml'): CatalogueValidationError {
  try {
    parseCatalogueYaml(yaml, file);
  } catch (error) {
    if (error instanceof CatalogueValidationError) return error;
    throw error;
  }
  throw new Error('expected a CatalogueValidationError');
}
const lines = (error: CatalogueValidationError) => error.issues.map((i) => `${i.path}: ${i.message}`);

describe('tree catalogue', () => {
  it('loads the tree and flattens the leaves with their field and criterion codes', () => {
    const catalogue = parseCatalogueYaml(TREE, 'tree.yaml');
    expect(catalogue.fields?.map((f) => [f.code, f.maxPoints, f.criteria.map((c) => c.code)])).toEqual([
      ['3', 2.5, ['3.4', '3.9']],
      ['8', 1, ['8.1']],
    ]);
    expect(catalogue.subCriteria.map((s) => [s.code, s.kind, s.field, s.criterion])).toEqual([
      ['3.4.1', 'rule', '3', '3.4'],
      ['3.4.2', 'rule', '3', '3.4'],
      ['3.9.1', 'manual', '3', '3.9'],
      ['8.1.1', 'imported', '8', '8.1'],
    ]);
    expect(catalogue.subCriteria[2]).toMatchObject({ manual: true, document: 'review plan' });
    expect(catalogue.subCriteria[3]).toMatchObject({ importKey: 'sipas.satisfaction' });
    expect(catalogue.subCriteria[0].manual).toBeUndefined();
  });

  it('scores imported items from the imported value, and shows manual items with their document', () => {
    const catalogue = parseCatalogueYaml(TREE, 'tree.yaml');
    const scores = scoreCatalogue(catalogue, {
      'imported.sipas.satisfaction': { numerator: 82.5, denominator: 100 },
      'dossier.on_time_rate.province_level': { numerator: 9, denominator: 10 },
    });
    expect(scores.map((s) => [s.subCriterion, s.kind, s.status, s.points])).toEqual([
      ['3.4.1', 'rule', 'scored', 1.35],
      ['3.4.2', 'rule', 'no_data', null],
      ['3.9.1', 'manual', 'manual', null],
      ['8.1.1', 'imported', 'scored', 0.825],
    ]);
    expect(scores[2]).toMatchObject({ document: 'review plan', field: '3', criterion: '3.9' });
    expect(scores[2].explanation).toBe('still manual, a document must be attached (review plan)');
  });

  it('accepts children adding up within 1e-9 (0.1 + 0.2 = 0.3)', () => {
    const yaml = TREE.replace('maxPoints: 0.5, kind: manual', 'maxPoints: 0.2, kind: manual')
      .replace('          - { code: "3.9.1"', '          - { code: "3.9.2", title: more, maxPoints: 0.3, kind: manual, document: d }\n          - { code: "3.9.1"');
    expect(() => parseCatalogueYaml(yaml, 'tree.yaml')).not.toThrow();
  });
});

describe('tree catalogue validation', () => {
  it('rejects points that do not add up, naming the file, the path and the numbers', () => {
    const error = errorOf(TREE.replace('maxPoints: 1.5, rule', 'maxPoints: 1.25, rule'), 'cat/points.yaml');
    expect(error.file).toBe('cat/points.yaml');
    expect(lines(error)).toEqual([
      'fields[0].criteria[0].maxPoints: points do not add up: criterion maxPoints is 2 but its sub-criteria add up to 1.75 (3.4.1: 1.25, 3.4.2: 0.5) (criterion 3.4)',
    ]);
    expect(error.message).toContain('invalid scoring catalogue cat/points.yaml:');
  });

  it('checks every level: field against its criteria, catalogue against its fields', () => {
    const field = errorOf(TREE.replace('maxPoints: 2.5', 'maxPoints: 3'));
    expect(lines(field)).toEqual([
      'fields[0].maxPoints: points do not add up: field maxPoints is 3 but its criteria add up to 2.5 (3.4: 2, 3.9: 0.5) (field 3)',
      'maxPoints: points do not add up: catalogue maxPoints is 3.5 but its fields add up to 4 (3: 3, 8: 1)',
    ]);
  });

  it('rejects a duplicate code anywhere in the tree, across levels', () => {
    const error = errorOf(TREE.replace('code: "8.1"', 'code: "3.4"').replace('code: "3.9.1"', 'code: "3"'));
    expect(lines(error)).toEqual([
      'fields[0].criteria[1].subCriteria[0].code: duplicate code "3" (also fields[0])',
      'fields[1].criteria[0].code: duplicate code "3.4" (also fields[0].criteria[0])',
    ]);
  });

  it('rejects bands with a gap', () => {
    const error = errorOf(
      TREE.replace(
        'rule: { type: linear, metric: dossier.on_time_rate.province_level }',
        'rule: { type: bands, metric: dossier.on_time_rate.province_level, bands: [ { min: 0, max: 0.8, points: 0 }, { min: 0.9, points: 1.5 } ] }',
      ),
    );
    expect(lines(error)).toEqual([
      'fields[0].criteria[0].subCriteria[0].rule.bands[1].min: gap: previous band ends at 0.8, this one starts at 0.9 (sub-criterion 3.4.1)',
    ]);
  });

  it('rejects an unknown metric, and an unknown dvcqg code', () => {
    const error = errorOf(TREE.replace('dossier.on_time_rate.province_level', 'dossier.foo_rate').replace('dvcqg.PUBLISH_ON_TIME', 'dvcqg.NOPE'));
    expect(error.issues.map((i) => i.path)).toEqual([
      'fields[0].criteria[0].subCriteria[0].rule.metric',
      'fields[0].criteria[0].subCriteria[1].rule.metric',
    ]);
    expect(error.issues[0].message).toMatch(/^unknown metric "dossier\.foo_rate"; known metrics: .*\(sub-criterion 3\.4\.1\)$/);
    expect(error.issues[1].message).toMatch(/^unknown metric "dvcqg\.NOPE"; known dvcqg metrics: .*PUBLISH_ON_TIME.*\(sub-criterion 3\.4\.2\)$/);
  });

  it('rejects an imported item without importKey, or reading another metric', () => {
    const missing = errorOf(TREE.replace('importKey: sipas.satisfaction, ', ''));
    expect(lines(missing)).toEqual([
      'fields[1].criteria[0].subCriteria[0].importKey: an imported item needs importKey: the name of the imported value, read by its rule as metric imported.<importKey> (sub-criterion 8.1.1)',
    ]);
    const other = errorOf(TREE.replace('metric: imported.sipas.satisfaction', 'metric: dossier.on_time_rate'));
    expect(lines(other)).toEqual([
      'fields[1].criteria[0].subCriteria[0].rule.metric: an imported item reads only its imported value imported.sipas.satisfaction, not "dossier.on_time_rate" (sub-criterion 8.1.1)',
    ]);
    const noRule = errorOf(TREE.replace(', rule: { type: linear, metric: imported.sipas.satisfaction }', ''));
    expect(lines(noRule)).toEqual([
      'fields[1].criteria[0].subCriteria[0].rule: an imported item needs a rule over metric imported.sipas.satisfaction (sub-criterion 8.1.1)',
    ]);
  });

  it('rejects an imported metric read by a rule item', () => {
    const error = errorOf(TREE.replace('metric: dvcqg.PUBLISH_ON_TIME', 'metric: imported.sipas.satisfaction'));
    expect(lines(error)).toEqual([
      'fields[0].criteria[0].subCriteria[1].rule.metric: metric "imported.sipas.satisfaction" is an imported value: make the item kind: imported with importKey: sipas.satisfaction (sub-criterion 3.4.2)',
    ]);
  });

  it('rejects a manual item without document, and a document or importKey on the wrong kind', () => {
    expect(lines(errorOf(TREE.replace(', document: review plan', '')))).toEqual([
      'fields[0].criteria[1].subCriteria[0].document: a manual item needs document: the kind of document the province attaches (e.g. "yearly PAR plan") (sub-criterion 3.9.1)',
    ]);
    const wrong = errorOf(
      TREE.replace('metric: dvcqg.PUBLISH_ON_TIME }', 'metric: dvcqg.PUBLISH_ON_TIME }, document: x, importKey: y').replace(
        'kind: manual, document: review plan',
        'kind: manual, manual: false, document: review plan',
      ),
    );
    expect(lines(wrong)).toEqual([
      'fields[0].criteria[0].subCriteria[1].document: document is for manual items; a rule item is scored from data (sub-criterion 3.4.2)',
      'fields[0].criteria[0].subCriteria[1].importKey: importKey is for imported items: set kind: imported (sub-criterion 3.4.2)',
      'fields[0].criteria[1].subCriteria[0].manual: manual: false contradicts kind: manual; remove one (sub-criterion 3.9.1)',
    ]);
  });

  it('rejects an unknown kind, both formats at once, and neither', () => {
    expect(lines(errorOf(TREE.replace('kind: manual', 'kind: survey')))[0]).toBe(
      'fields[0].criteria[1].subCriteria[0].kind: kind must be one of rule, manual, imported (sub-criterion 3.9.1)',
    );
    expect(lines(errorOf(`${TREE}subCriteria:\n  - { code: "9", title: t, maxPoints: 1, kind: manual, document: d }\n`))).toEqual([
      'subCriteria: give either fields (the tree) or subCriteria (the flat format), not both',
    ]);
    expect(lines(errorOf(HEAD))[0]).toMatch(/^fields: fields is required/);
  });

  it('rejects an empty criterion and a numeric field code', () => {
    const empty = errorOf(`${HEAD}fields:\n  - { code: "1", title: t, maxPoints: 1, criteria: [ { code: "1.1", title: t, maxPoints: 1, subCriteria: [] } ] }\n`);
    expect(lines(empty)).toEqual(['fields[0].criteria[0].subCriteria: at least one sub-criterion is needed (criterion 1.1)']);
    const numeric = errorOf(`${HEAD}fields:\n  - { code: 1, title: t, maxPoints: 1, criteria: [ { code: "1.1", title: t, maxPoints: 1, subCriteria: [ { code: "1.1.1", title: t, maxPoints: 1, kind: manual, document: d } ] } ] }\n`);
    expect(lines(numeric)).toEqual(['fields[0].code: code must be a string such as "3" or "3.4" (quote it in YAML)']);
  });
});
