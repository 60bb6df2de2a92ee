/**
 * A score's lineage as a W3C PROV-JSON document (W3C Member Submission "PROV-JSON", 2013-04-24):
 * entities (the score, its rule, evidence records, imported values, raw payloads), activities (the scoring,
 * each evidence computation, each connector run), agents (the service, each connector) and the relations
 * `wasGeneratedBy`, `used`, `wasDerivedFrom` and `wasAssociatedWith`. Pure: built from the lineage answer.
 */
export interface ScoreLineage {
  score: { id: number; provinceCode: string; year: number; catalogue: string; subCriterion: string; ruleDigest: string; status: string; points: number | null; maxPoints: number | null; value: number | null; version: number; contentDigest: string; computedAt: Date | string };
  evidence: Array<{ id: number; metric: string; periodKey: string; numerator: number | null; denominator: number | null; value: number | null; ruleVersion: string; version: number; contentDigest: string; computation: { id: number; sourceKind: string; asOf: Date | string; recordCount: number; computedAt: Date | string; runIds: string[]; rawDigests: string[] } }>;
  imported: Array<{ id: number; key: string; value: number; max: number; version: number; upload: { id: number; source: string; rawDigest: string; uploadedAt: Date | string } }>;
  runs: Array<{ id: string; connectorId: string; connectorName: string; kind: string; configVersion: number; windowFrom: Date | string; windowTo: Date | string; status: string; startedAt: Date | string | null; finishedAt: Date | string | null }>;
  rawPayloads: Array<{ digest: string; size: number; contentType: string | null; archivedAt: Date | string }>;
}

export const PROV_NAMESPACES = {
  prov: 'http://www.w3.org/ns/prov#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  par: 'urn:par-evidence-hub:',
  sha256: 'urn:sha256:',
} as const;

type Attributes = Record<string, unknown>;
export interface ProvDocument {
  prefix: Record<string, string>;
  entity: Record<string, Attributes>;
  activity: Record<string, Attributes>;
  agent: Record<string, Attributes>;
  wasGeneratedBy: Record<string, Attributes>;
  used: Record<string, Attributes>;
  wasDerivedFrom: Record<string, Attributes>;
  wasAssociatedWith: Record<string, Attributes>;
}

const iso = (t: Date | string | null | undefined): string | undefined => (t === null || t === undefined ? undefined : new Date(t).toISOString());
/** typed literal (PROV-JSON §2.3) */
const typed = (value: string | number, type: string) => ({ $: String(value), type });
const qn = (name: string) => typed(name, 'prov:QUALIFIED_NAME');
const dateTime = (t: Date | string | null | undefined) => (t === null || t === undefined ? undefined : typed(iso(t)!, 'xsd:dateTime'));
const clean = (a: Attributes): Attributes => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined && v !== null));

export function scoreToProv(l: ScoreLineage, rawRuns: ReadonlyArray<{ digest: string; runId: string }> = []): ProvDocument {
  const doc: ProvDocument = { prefix: { ...PROV_NAMESPACES }, entity: {}, activity: {}, agent: {}, wasGeneratedBy: {}, used: {}, wasDerivedFrom: {}, wasAssociatedWith: {} };
  let n = 0;
  const rel = (kind: keyof Omit<ProvDocument, 'prefix' | 'entity' | 'activity' | 'agent'>, attrs: Attributes) => {
    doc[kind][`_:${kind}${++n}`] = clean(attrs);
  };
  const s = l.score;
  const score = `par:score/${s.id}`;
  const rule = `par:rule/${s.ruleDigest}`;
  const scoring = `par:scoring/${s.id}`;
  const service = 'par:service';
  doc.agent[service] = { 'prov:type': qn('prov:SoftwareAgent'), 'prov:label': 'PAR Evidence Hub' };
  doc.entity[score] = clean({
    'prov:type': qn('par:Score'),
    'prov:label': `${s.catalogue} ${s.subCriterion} ${s.provinceCode} ${s.year}`,
    'par:province': s.provinceCode,
    'par:year': s.year,
    'par:catalogue': s.catalogue,
    'par:subCriterion': s.subCriterion,
    'par:status': s.status,
    'par:points': s.points === null ? undefined : typed(s.points, 'xsd:decimal'),
    'par:maxPoints': s.maxPoints === null ? undefined : typed(s.maxPoints, 'xsd:decimal'),
    'par:value': s.value === null ? undefined : typed(s.value, 'xsd:decimal'),
    'par:version': s.version,
    'par:contentDigest': s.contentDigest,
  });
  doc.entity[rule] = { 'prov:type': qn('prov:Plan'), 'prov:label': `rule of ${s.catalogue} ${s.subCriterion}`, 'par:ruleDigest': s.ruleDigest };
  doc.activity[scoring] = clean({ 'prov:type': qn('par:Scoring'), 'prov:endTime': iso(s.computedAt) });
  rel('wasGeneratedBy', { 'prov:entity': score, 'prov:activity': scoring, 'prov:time': iso(s.computedAt) });
  rel('wasAssociatedWith', { 'prov:activity': scoring, 'prov:agent': service, 'prov:plan': rule });
  rel('used', { 'prov:activity': scoring, 'prov:entity': rule });

  const raw = (digest: string) => {
    const id = `sha256:${digest}`;
    if (!doc.entity[id]) {
      const p = l.rawPayloads.find((r) => r.digest === digest);
      doc.entity[id] = clean({ 'prov:type': qn('par:RawPayload'), 'par:size': p?.size, 'par:contentType': p?.contentType ?? undefined, 'par:archivedAt': dateTime(p?.archivedAt) });
    }
    return id;
  };
  for (const e of l.evidence) {
    const id = `par:evidence/${e.id}`;
    const computation = `par:evidence-computation/${e.computation.id}`;
    doc.entity[id] = clean({
      'prov:type': qn('par:EvidenceRecord'),
      'prov:label': `${e.metric} ${e.periodKey}`,
      'par:metric': e.metric,
      'par:period': e.periodKey,
      'par:numerator': e.numerator === null ? undefined : typed(e.numerator, 'xsd:decimal'),
      'par:denominator': e.denominator === null ? undefined : typed(e.denominator, 'xsd:decimal'),
      'par:countingRule': e.ruleVersion,
      'par:version': e.version,
      'par:contentDigest': e.contentDigest,
    });
    rel('used', { 'prov:activity': scoring, 'prov:entity': id });
    rel('wasDerivedFrom', { 'prov:generatedEntity': score, 'prov:usedEntity': id, 'prov:activity': scoring });
    if (!doc.activity[computation]) {
      doc.activity[computation] = clean({ 'prov:type': qn('par:EvidenceComputation'), 'prov:endTime': iso(e.computation.computedAt), 'par:sourceKind': e.computation.sourceKind, 'par:asOf': dateTime(e.computation.asOf), 'par:recordCount': e.computation.recordCount });
      rel('wasAssociatedWith', { 'prov:activity': computation, 'prov:agent': service });
      for (const digest of e.computation.rawDigests) rel('used', { 'prov:activity': computation, 'prov:entity': raw(digest) });
    }
    rel('wasGeneratedBy', { 'prov:entity': id, 'prov:activity': computation, 'prov:time': iso(e.computation.computedAt) });
    for (const digest of e.computation.rawDigests) rel('wasDerivedFrom', { 'prov:generatedEntity': id, 'prov:usedEntity': raw(digest), 'prov:activity': computation });
  }
  for (const i of l.imported) {
    const id = `par:imported/${i.id}`;
    doc.entity[id] = { 'prov:type': qn('par:ImportedValue'), 'prov:label': i.key, 'par:value': typed(i.value, 'xsd:decimal'), 'par:max': typed(i.max, 'xsd:decimal'), 'par:version': i.version, 'par:source': i.upload.source };
    rel('used', { 'prov:activity': scoring, 'prov:entity': id });
    rel('wasDerivedFrom', { 'prov:generatedEntity': score, 'prov:usedEntity': id, 'prov:activity': scoring });
    rel('wasDerivedFrom', { 'prov:generatedEntity': id, 'prov:usedEntity': raw(i.upload.rawDigest) });
  }
  for (const r of l.runs) {
    const run = `par:run/${r.id}`;
    const connector = `par:connector/${r.connectorId}`;
    doc.activity[run] = clean({ 'prov:type': qn('par:ConnectorRun'), 'prov:startTime': iso(r.startedAt), 'prov:endTime': iso(r.finishedAt), 'par:status': r.status, 'par:windowFrom': dateTime(r.windowFrom), 'par:windowTo': dateTime(r.windowTo), 'par:configVersion': r.configVersion });
    doc.agent[connector] = { 'prov:type': qn('prov:SoftwareAgent'), 'prov:label': r.connectorName, 'par:kind': r.kind };
    rel('wasAssociatedWith', { 'prov:activity': run, 'prov:agent': connector });
  }
  // the raw payloads a run fetched were generated by it
  for (const { digest, runId } of rawRuns) {
    if (doc.entity[`sha256:${digest}`] && doc.activity[`par:run/${runId}`]) rel('wasGeneratedBy', { 'prov:entity': `sha256:${digest}`, 'prov:activity': `par:run/${runId}` });
  }
  return doc;
}
