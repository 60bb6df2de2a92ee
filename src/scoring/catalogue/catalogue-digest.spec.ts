import { join } from 'node:path';
import { canonicalJson } from './canonical-json';
import { catalogueDigest, ruleDigest } from './catalogue-digest';
import { loadCatalogue, parseCatalogueYaml } from './catalogue.loader';

const DEMO = join(__dirname, '..', '..', '..', 'config', 'scoring', 'par-index-2026.demo.yaml');

const ordered = `id: d
framework: PAR_INDEX
version: "1"
status: demo
title: t
years: { from: 2026, to: 2026 }
subCriteria:
  - code: "1"
    title: first title
    maxPoints: 2
    rule:
      type: bands
      metric: dossier.on_time_rate
      bands:
        - { min: 0, max: 0.9, points: 0 }
        - { min: 0.9, points: 2 }
`;
const reordered = `subCriteria:
  - rule:
      bands:
        - { points: 0, max: 0.9, min: 0 }
        - { points: 2, min: 0.9 }
      zeroDenominator: no_data
      metric: dossier.on_time_rate
      type: bands
    maxPoints: 2.0
    title: first title
    code: "1"
years: { to: 2026, from: 2026 }
title: t
status: demo
version: "1"
framework: PAR_INDEX
id: d
`;

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 'x' }, 3], u: undefined })).toBe('{"a":[{"c":"x","d":2},3],"b":1}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow(TypeError);
  });
});

describe('ruleDigest and catalogueDigest', () => {
  const a = parseCatalogueYaml(ordered, 'a.yaml');
  const b = parseCatalogueYaml(reordered, 'b.yaml');

  it('are sha256 hex', () => {
    expect(ruleDigest(a.subCriteria[0])).toMatch(/^[0-9a-f]{64}$/);
    expect(catalogueDigest(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('are stable under key reordering and an explicit default', () => {
    expect(ruleDigest(b.subCriteria[0])).toBe(ruleDigest(a.subCriteria[0]));
    expect(catalogueDigest(b)).toBe(catalogueDigest(a));
  });

  it('ignore the title for the rule, but not for the catalogue', () => {
    const retitled = parseCatalogueYaml(ordered.replace('first title', 'another title'), 'c.yaml');
    expect(ruleDigest(retitled.subCriteria[0])).toBe(ruleDigest(a.subCriteria[0]));
    expect(catalogueDigest(retitled)).not.toBe(catalogueDigest(a));
  });

  it('change when the rule, its policy or maxPoints change', () => {
    const digest = ruleDigest(a.subCriteria[0]);
    const variants = [
      ordered.replace('{ min: 0.9, points: 2 }', '{ min: 0.9, points: 1.5 }'),
      ordered.replace('metric: dossier.on_time_rate', 'metric: dossier.on_time_rate\n      zeroDenominator: full'),
      ordered.replace('maxPoints: 2', 'maxPoints: 3'),
    ];
    for (const variant of variants) expect(ruleDigest(parseCatalogueYaml(variant, 'v.yaml').subCriteria[0])).not.toBe(digest);
  });

  it('are the same on every load of the demo file', () => {
    const one = loadCatalogue(DEMO);
    const two = loadCatalogue(DEMO);
    expect(catalogueDigest(one)).toBe(catalogueDigest(two));
    expect(new Set(one.subCriteria.map(ruleDigest)).size).toBe(one.subCriteria.length);
  });
});
