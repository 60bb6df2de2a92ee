import { ProvDocument, ScoreLineage, scoreToProv } from './prov-json';

/**
 * Structural rules of the W3C PROV-JSON submission (2013-04-24) for the parts used here: the top-level keys
 * allowed, identifiers as qualified names with a declared prefix (or blank nodes `_:` for relations), the
 * mandatory members of each relation (§3.2: wasGeneratedBy prov:entity; used prov:activity; wasDerivedFrom
 * prov:generatedEntity and prov:usedEntity; wasAssociatedWith prov:activity), relation ends naming declared
 * records, typed literals `{"$", "type"}`, and xsd:dateTime values.
 */
function provProblems(doc: ProvDocument): string[] {
  const problems: string[] = [];
  const allowed = ['prefix', 'entity', 'activity', 'agent', 'wasGeneratedBy', 'used', 'wasDerivedFrom', 'wasAssociatedWith', 'wasAttributedTo', 'actedOnBehalfOf', 'wasInformedBy', 'bundle'];
  for (const key of Object.keys(doc)) if (!allowed.includes(key)) problems.push(`unknown top-level key ${key}`);
  const prefixes = new Set([...Object.keys(doc.prefix), 'prov', 'xsd']);
  for (const [p, iri] of Object.entries(doc.prefix)) if (!/^[A-Za-z_][\w.-]*$/.test(p) || !/^[a-z][a-z0-9+.-]*:/i.test(iri)) problems.push(`bad prefix ${p}=${iri}`);
  const qualified = (id: string) => /^_:/.test(id) || (id.includes(':') && prefixes.has(id.slice(0, id.indexOf(':'))));
  const records = { entity: doc.entity, activity: doc.activity, agent: doc.agent };
  const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  const checkAttributes = (where: string, attrs: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(attrs)) {
      if (!qualified(k)) problems.push(`${where}: attribute ${k} has no declared prefix`);
      if (v !== null && typeof v === 'object') {
        const t = v as Record<string, unknown>;
        if (typeof t.$ !== 'string' || typeof t.type !== 'string' || !qualified(t.type)) problems.push(`${where}: ${k} is not a typed literal`);
        if (t.type === 'xsd:dateTime' && !dateTime.test(String(t.$))) problems.push(`${where}: ${k} is not an xsd:dateTime`);
        if (t.type === 'prov:QUALIFIED_NAME' && !qualified(String(t.$))) problems.push(`${where}: ${k} names an undeclared prefix`);
      }
      if (['prov:startTime', 'prov:endTime', 'prov:time'].includes(k) && !dateTime.test(String(v))) problems.push(`${where}: ${k} is not an xsd:dateTime`);
    }
  };
  for (const [kind, map] of Object.entries(records)) {
    for (const [id, attrs] of Object.entries(map)) {
      if (!qualified(id) || id.startsWith('_:')) problems.push(`${kind} ${id}: not a qualified name`);
      checkAttributes(`${kind} ${id}`, attrs);
    }
  }
  const relations: Record<string, { required: string[]; refs: Record<string, keyof typeof records> }> = {
    wasGeneratedBy: { required: ['prov:entity'], refs: { 'prov:entity': 'entity', 'prov:activity': 'activity' } },
    used: { required: ['prov:activity'], refs: { 'prov:activity': 'activity', 'prov:entity': 'entity' } },
    wasDerivedFrom: { required: ['prov:generatedEntity', 'prov:usedEntity'], refs: { 'prov:generatedEntity': 'entity', 'prov:usedEntity': 'entity', 'prov:activity': 'activity' } },
    wasAssociatedWith: { required: ['prov:activity'], refs: { 'prov:activity': 'activity', 'prov:agent': 'agent', 'prov:plan': 'entity' } },
  };
  for (const [kind, rule] of Object.entries(relations)) {
    for (const [id, attrs] of Object.entries((doc as unknown as Record<string, Record<string, Record<string, unknown>>>)[kind] ?? {})) {
      if (!qualified(id)) problems.push(`${kind} ${id}: not a qualified name or blank node`);
      for (const r of rule.required) if (!(r in attrs)) problems.push(`${kind} ${id}: missing ${r}`);
      for (const [member, target] of Object.entries(rule.refs)) {
        if (member in attrs && !(String(attrs[member]) in records[target])) problems.push(`${kind} ${id}: ${member} ${attrs[member]} is not a declared ${target}`);
      }
      checkAttributes(`${kind} ${id}`, attrs);
    }
  }
  return problems;
}

const lineage: ScoreLineage = {
  score: { id: 7, provinceCode: '79', year: 2025, catalogue: 'par@1', subCriterion: '3.1.1', ruleDigest: 'r'.repeat(64), status: 'scored', points: 1.5, maxPoints: 2, value: 0.92, version: 1, contentDigest: 'c'.repeat(64), computedAt: '2026-01-02T03:04:05.000Z' },
  evidence: [
    {
      id: 11, metric: 'dossier.on_time_rate', periodKey: '2025', numerator: 92, denominator: 100, value: 0.92, ruleVersion: 'on-time@1', version: 2, contentDigest: 'e'.repeat(64),
      computation: { id: 5, sourceKind: 'one-stop-shop', asOf: '2026-01-01T00:00:00Z', recordCount: 100, computedAt: '2026-01-02T03:00:00Z', runIds: ['5b6f2c1e-0000-4000-8000-000000000001'], rawDigests: ['a'.repeat(64), 'b'.repeat(64)] },
    },
  ],
  imported: [{ id: 3, key: 'sipas', value: 80, max: 100, version: 1, upload: { id: 1, source: 'SIPAS 2025', rawDigest: 'd'.repeat(64), uploadedAt: '2026-01-01T00:00:00Z' } }],
  runs: [{ id: '5b6f2c1e-0000-4000-8000-000000000001', connectorId: 'c0ffee00-0000-4000-8000-000000000002', connectorName: 'oss-79', kind: 'one-stop-shop', configVersion: 1, windowFrom: '2025-01-01T00:00:00Z', windowTo: '2026-01-01T00:00:00Z', status: 'succeeded', startedAt: '2026-01-01T01:00:00Z', finishedAt: '2026-01-01T01:05:00Z' }],
  rawPayloads: [{ digest: 'a'.repeat(64), size: 10, contentType: 'application/json', archivedAt: '2026-01-01T01:01:00Z' }],
};

describe('PROV-JSON export of a score', () => {
  const doc = scoreToProv(lineage, [{ digest: 'a'.repeat(64), runId: lineage.runs[0].id }]);

  it('conforms to the structure of the W3C PROV-JSON submission', () => {
    expect(provProblems(doc)).toEqual([]);
  });

  it('the checker finds broken documents (so the check above can fail)', () => {
    const broken = JSON.parse(JSON.stringify(doc)) as ProvDocument;
    broken.used['_:x'] = { 'prov:entity': 'par:nothing' };
    broken.activity['par:scoring/7']['prov:endTime'] = 'yesterday';
    (broken as unknown as Record<string, unknown>).wasFooedBy = {};
    expect(provProblems(broken)).toEqual(
      expect.arrayContaining(['unknown top-level key wasFooedBy', 'used _:x: missing prov:activity', 'used _:x: prov:entity par:nothing is not a declared entity', 'activity par:scoring/7: prov:endTime is not an xsd:dateTime']),
    );
  });

  it('holds the score, its rule, evidence, imported values and raw payloads as entities; scoring, computations and runs as activities; the service and connectors as agents', () => {
    expect(Object.keys(doc.entity).sort()).toEqual(
      ['par:score/7', `par:rule/${'r'.repeat(64)}`, 'par:evidence/11', 'par:imported/3', `sha256:${'a'.repeat(64)}`, `sha256:${'b'.repeat(64)}`, `sha256:${'d'.repeat(64)}`].sort(),
    );
    expect(Object.keys(doc.activity).sort()).toEqual(['par:evidence-computation/5', `par:run/${lineage.runs[0].id}`, 'par:scoring/7']);
    expect(doc.agent).toMatchObject({ 'par:service': { 'prov:type': { $: 'prov:SoftwareAgent', type: 'prov:QUALIFIED_NAME' } }, 'par:connector/c0ffee00-0000-4000-8000-000000000002': { 'prov:label': 'oss-79' } });
    expect(doc.entity['par:score/7']).toMatchObject({ 'par:points': { $: '1.5', type: 'xsd:decimal' }, 'par:subCriterion': '3.1.1' });
  });

  it('links them: generated by, used, derived from, associated with', () => {
    const pairs = (kind: keyof ProvDocument, a: string, b: string) => Object.values(doc[kind] as Record<string, Record<string, unknown>>).map((r) => `${r[a]} <- ${r[b]}`);
    expect(pairs('wasGeneratedBy', 'prov:entity', 'prov:activity')).toEqual(
      expect.arrayContaining(['par:score/7 <- par:scoring/7', 'par:evidence/11 <- par:evidence-computation/5', `sha256:${'a'.repeat(64)} <- par:run/${lineage.runs[0].id}`]),
    );
    expect(pairs('used', 'prov:activity', 'prov:entity')).toEqual(
      expect.arrayContaining(['par:scoring/7 <- par:evidence/11', 'par:scoring/7 <- par:imported/3', `par:scoring/7 <- par:rule/${'r'.repeat(64)}`, `par:evidence-computation/5 <- sha256:${'b'.repeat(64)}`]),
    );
    expect(pairs('wasDerivedFrom', 'prov:generatedEntity', 'prov:usedEntity')).toEqual(
      expect.arrayContaining(['par:score/7 <- par:evidence/11', 'par:score/7 <- par:imported/3', `par:evidence/11 <- sha256:${'a'.repeat(64)}`, `par:imported/3 <- sha256:${'d'.repeat(64)}`]),
    );
    expect(pairs('wasAssociatedWith', 'prov:activity', 'prov:agent')).toEqual(
      expect.arrayContaining(['par:scoring/7 <- par:service', `par:run/${lineage.runs[0].id} <- par:connector/c0ffee00-0000-4000-8000-000000000002`]),
    );
    expect(Object.values(doc.wasAssociatedWith).find((r) => r['prov:activity'] === 'par:scoring/7')).toMatchObject({ 'prov:plan': `par:rule/${'r'.repeat(64)}` });
  });
});
