import { canonicalJson } from '../scoring/catalogue/canonical-json';
import { createHash } from 'node:crypto';

/**
 * The evidence set an appraisal decision is bound to: everything the points of a province-year (one catalogue
 * version) rest on. Each part is keyed so two sets can be compared item by item:
 * - `scores`: the latest year score per sub-criterion (id, version, status, points, value, rule digest, content digest);
 * - `evidence`: the latest evidence record per metric those scores use (id, version, numbers, counting-rule version, digest);
 * - `imported`: the imported values used (id, version, value, max);
 * - `manual`: per manual sub-criterion, the current document (id, version, raw digest) and its latest review;
 * - `catalogueDigest`: the digest of the catalogue version as last scored (rule versions).
 * The digest is the SHA-256 of its canonical JSON (RFC 8785 form, src/scoring/catalogue/canonical-json.ts).
 */
export interface EvidenceSet {
  provinceCode: string;
  year: number;
  catalogue: string;
  catalogueDigest: string | null;
  scores: Array<{ subCriterion: string; scoreId: number; version: number; status: string; points: number | null; value: number | null; ruleDigest: string; contentDigest: string }>;
  evidence: Array<{ metric: string; id: number; version: number; numerator: number | null; denominator: number | null; ruleVersion: string; contentDigest: string }>;
  imported: Array<{ key: string; id: number; version: number; value: number; max: number }>;
  manual: Array<{
    subCriterion: string;
    documentId: number;
    version: number;
    rawDigest: string;
    review: { id: number; decision: 'accepted' | 'rejected'; points: number | null; reason: string | null } | null;
  }>;
}

export function evidenceSetDigest(set: EvidenceSet): string {
  return createHash('sha256').update(canonicalJson(set), 'utf8').digest('hex');
}

export type EvidenceSetPart = 'scores' | 'evidence' | 'imported' | 'manual' | 'catalogue';

export interface EvidenceSetChange {
  part: EvidenceSetPart;
  /** sub-criterion (scores, manual), metric (evidence) or import key */
  key: string;
  change: 'added' | 'removed' | 'changed';
  /** the fields that differ (for `changed`) */
  fields: string[];
  before: unknown;
  after: unknown;
}

const KEY_OF: Record<Exclude<EvidenceSetPart, 'catalogue'>, string> = { scores: 'subCriterion', evidence: 'metric', imported: 'key', manual: 'subCriterion' };

/** What changed from the set an approval saw (`bound`) to the set as it is now (`current`), item by item. */
export function diffEvidenceSets(bound: EvidenceSet, current: EvidenceSet): EvidenceSetChange[] {
  const changes: EvidenceSetChange[] = [];
  if (bound.catalogueDigest !== current.catalogueDigest) {
    changes.push({ part: 'catalogue', key: current.catalogue, change: 'changed', fields: ['catalogueDigest'], before: bound.catalogueDigest, after: current.catalogueDigest });
  }
  for (const part of ['scores', 'evidence', 'imported', 'manual'] as const) {
    const keyField = KEY_OF[part];
    const index = (items: ReadonlyArray<Record<string, unknown>>) => new Map(items.map((i) => [String(i[keyField]), i]));
    const before = index(bound[part] as unknown as Array<Record<string, unknown>>);
    const after = index(current[part] as unknown as Array<Record<string, unknown>>);
    for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const b = before.get(key);
      const a = after.get(key);
      if (!b) changes.push({ part, key, change: 'added', fields: [], before: null, after: a });
      else if (!a) changes.push({ part, key, change: 'removed', fields: [], before: b, after: null });
      else {
        const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((f) => canonicalJson(b[f] ?? null) !== canonicalJson(a[f] ?? null)).sort();
        if (fields.length > 0) changes.push({ part, key, change: 'changed', fields, before: b, after: a });
      }
    }
  }
  return changes;
}
