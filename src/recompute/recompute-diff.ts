import { ComputedPeriod } from '../evidence/sources/evidence-source';
import { SubCriterionScore } from '../scoring/catalogue';

export interface StoredEvidence {
  id: number;
  sourceKind: string;
  periodKey: string;
  metric: string;
  subject: string;
  numerator: number | null;
  denominator: number | null;
  ruleVersion: string;
}

export interface EvidenceDifference {
  periodKey: string;
  metric: string;
  subject: string;
  /** `changed`: both exist, numbers or rule differ; `missing`: stored but not recomputed; `extra`: recomputed only */
  difference: 'changed' | 'missing' | 'extra';
  fields: string[];
  stored: { id: number; numerator: number | null; denominator: number | null; ruleVersion: string } | null;
  recomputed: { numerator: number | null; denominator: number | null; ruleVersion: string } | null;
}

export interface StoredScore {
  id: number;
  periodKey: string;
  catalogue: string;
  subCriterion: string;
  status: string;
  value: number | null;
  points: number | null;
  ruleDigest: string;
}

export interface ScoreDifference {
  scoreId: number | null;
  periodKey: string;
  catalogue: string;
  subCriterion: string;
  difference: 'changed' | 'missing' | 'extra';
  /** which of status, value, points, ruleDigest differ (a different rule digest: the rule itself changed) */
  fields: string[];
  stored: Omit<StoredScore, 'periodKey' | 'catalogue' | 'subCriterion'> | null;
  recomputed: { status: string; value: number | null; points: number | null; ruleDigest: string } | null;
}

/** Equal as stored numbers (numeric columns keep up to their scale; recomputation is in doubles). */
export function sameNumber(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

const evidenceKey = (periodKey: string, metric: string, subject: string) => `${periodKey}|${metric}|${subject}`;

/** Recomputed evidence against the latest stored versions; `metrics` narrows to those (a single score's). */
export function compareEvidence(stored: StoredEvidence[], computed: Map<string, ComputedPeriod[]>, metrics: Set<string> | null) {
  const wanted = (metric: string) => metrics === null || metrics.has(metric);
  const fresh = new Map<string, { numerator: number | null; denominator: number | null; ruleVersion: string }>();
  const ruleVersions = new Map<string, string>();
  for (const s of stored) ruleVersions.set(s.sourceKind, s.ruleVersion);
  for (const [sourceKind, periods] of computed) {
    for (const c of periods) {
      for (const r of c.records) {
        if (!wanted(r.metric)) continue;
        fresh.set(evidenceKey(c.period.key, r.metric, r.subject), { ...r.count, ruleVersion: ruleVersions.get(sourceKind) ?? '' });
      }
    }
  }
  const differences: EvidenceDifference[] = [];
  let compared = 0;
  for (const s of stored.filter((x) => wanted(x.metric))) {
    const key = evidenceKey(s.periodKey, s.metric, s.subject);
    const r = fresh.get(key);
    fresh.delete(key);
    compared++;
    const storedView = { id: s.id, numerator: s.numerator, denominator: s.denominator, ruleVersion: s.ruleVersion };
    if (!r) {
      differences.push({ periodKey: s.periodKey, metric: s.metric, subject: s.subject, difference: 'missing', fields: [], stored: storedView, recomputed: null });
      continue;
    }
    const fields = [
      ...(sameNumber(s.numerator, r.numerator) ? [] : ['numerator']),
      ...(sameNumber(s.denominator, r.denominator) ? [] : ['denominator']),
    ];
    if (fields.length) differences.push({ periodKey: s.periodKey, metric: s.metric, subject: s.subject, difference: 'changed', fields, stored: storedView, recomputed: { ...r, ruleVersion: s.ruleVersion } });
  }
  for (const [key, r] of fresh) {
    const [periodKey, metric, subject] = key.split('|');
    // a period with no data at all is not stored as evidence: only numbers count as extra
    if (r.numerator === null && r.denominator === null) continue;
    differences.push({ periodKey, metric, subject, difference: 'extra', fields: [], stored: null, recomputed: r });
  }
  return { compared, differences };
}

/** Recomputed scores against the published (latest) ones. */
export function compareScores(stored: StoredScore[], recomputed: Array<{ periodKey: string; catalogue: string; score: SubCriterionScore }>) {
  const byKey = new Map(recomputed.map((r) => [`${r.periodKey}|${r.catalogue}|${r.score.subCriterion}`, r.score]));
  const differences: ScoreDifference[] = [];
  for (const s of stored) {
    const r = byKey.get(`${s.periodKey}|${s.catalogue}|${s.subCriterion}`);
    const { periodKey, catalogue, subCriterion, ...storedView } = s;
    if (!r) {
      differences.push({ scoreId: s.id, periodKey, catalogue, subCriterion, difference: 'missing', fields: [], stored: storedView, recomputed: null });
      continue;
    }
    const fields = [
      ...(s.status === r.status ? [] : ['status']),
      ...(sameNumber(s.value, r.value) ? [] : ['value']),
      ...(sameNumber(s.points, r.points) ? [] : ['points']),
      ...(s.ruleDigest === r.ruleDigest ? [] : ['ruleDigest']),
    ];
    if (fields.length) {
      differences.push({ scoreId: s.id, periodKey, catalogue, subCriterion, difference: 'changed', fields, stored: storedView, recomputed: { status: r.status, value: r.value, points: r.points, ruleDigest: r.ruleDigest } });
    }
  }
  return { compared: stored.length, differences };
}
