import { EvidenceSet, diffEvidenceSets, evidenceSetDigest } from './evidence-set';

const set = (over: Partial<EvidenceSet> = {}): EvidenceSet => ({
  provinceCode: '79',
  year: 2025,
  catalogue: 'par@1',
  catalogueDigest: 'c'.repeat(64),
  scores: [{ subCriterion: '3.1.1', scoreId: 10, version: 1, status: 'scored', points: 1.5, value: 0.92, ruleDigest: 'r'.repeat(64), contentDigest: 'd'.repeat(64) }],
  evidence: [{ metric: 'dossier.on_time_rate', id: 5, version: 1, numerator: 92, denominator: 100, ruleVersion: 'on-time@1', contentDigest: 'e'.repeat(64) }],
  imported: [],
  manual: [{ subCriterion: '1.1.1', documentId: 7, version: 1, rawDigest: 'a'.repeat(64), review: { id: 3, decision: 'accepted', points: 0.5, reason: null } }],
  ...over,
});

describe('evidence set binding', () => {
  it('hashes the canonical JSON: key order does not matter, every value does', () => {
    const a = set();
    const reordered = JSON.parse(JSON.stringify({ manual: a.manual, imported: a.imported, evidence: a.evidence, scores: a.scores, catalogueDigest: a.catalogueDigest, catalogue: a.catalogue, year: a.year, provinceCode: a.provinceCode }));
    expect(evidenceSetDigest(reordered)).toBe(evidenceSetDigest(a));
    expect(evidenceSetDigest(a)).toMatch(/^[0-9a-f]{64}$/);
    const points = set({ scores: [{ ...a.scores[0], points: 1.25 }] });
    expect(evidenceSetDigest(points)).not.toBe(evidenceSetDigest(a));
  });

  it('finds no change between equal sets', () => {
    expect(diffEvidenceSets(set(), set())).toEqual([]);
  });

  it('lists a changed score with the fields that differ', () => {
    const now = set({ scores: [{ ...set().scores[0], points: 2, version: 2, scoreId: 11 }] });
    expect(diffEvidenceSets(set(), now)).toEqual([
      { part: 'scores', key: '3.1.1', change: 'changed', fields: ['points', 'scoreId', 'version'], before: set().scores[0], after: now.scores[0] },
    ]);
  });

  it('lists new evidence, a replaced or re-reviewed document, added and removed items, and a changed catalogue', () => {
    const now = set({
      catalogueDigest: 'f'.repeat(64),
      evidence: [{ ...set().evidence[0], id: 6, version: 2, numerator: 90 }],
      imported: [{ key: 'sipas', id: 1, version: 1, value: 80, max: 100 }],
      manual: [{ subCriterion: '1.1.1', documentId: 8, version: 2, rawDigest: 'b'.repeat(64), review: null }],
      scores: [],
    });
    const changes = diffEvidenceSets(set(), now);
    expect(changes.map((c) => [c.part, c.key, c.change, c.fields])).toEqual([
      ['catalogue', 'par@1', 'changed', ['catalogueDigest']],
      ['scores', '3.1.1', 'removed', []],
      ['evidence', 'dossier.on_time_rate', 'changed', ['id', 'numerator', 'version']],
      ['imported', 'sipas', 'added', []],
      ['manual', '1.1.1', 'changed', ['documentId', 'rawDigest', 'review', 'version']],
    ]);
  });
});
