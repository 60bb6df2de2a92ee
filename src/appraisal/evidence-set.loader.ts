import { Pool, PoolClient } from 'pg';
import { EvidenceSet } from './evidence-set';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Reads the evidence set of a province-year and catalogue version as it is now (see `EvidenceSet`). Values are
 * read from the rows themselves, not from their stored digests, so a row changed behind the service's back
 * shows up as a change.
 */
export async function loadEvidenceSet(db: Pool | PoolClient, provinceCode: string, year: number, catalogue: string): Promise<EvidenceSet> {
  const { rows: scores } = await db.query(
    `SELECT DISTINCT ON (sub_criterion) id, sub_criterion, version, status, points, value, rule_digest, content_digest, evidence_ids, imported_ids
       FROM score WHERE province_code = $1 AND year = $2 AND period_key = $2::text AND catalogue_version = $3
      ORDER BY sub_criterion, version DESC`,
    [provinceCode, year, catalogue],
  );
  const usedIds = [...new Set(scores.flatMap((s) => (s.evidence_ids as string[]).map(Number)))];
  const importedIds = [...new Set(scores.flatMap((s) => ((s.imported_ids as string[] | null) ?? []).map(Number)))];
  // one query at a time: inside a transaction `db` is a single client
  const queries: Array<() => Promise<{ rows: any[] }>> = [
    // the newest record of every metric the scores use: newer evidence not yet scored is a change too
    () => db.query(
      `SELECT DISTINCT ON (e.metric) e.id, e.metric, e.version, e.numerator, e.denominator, e.rule_version, e.content_digest
         FROM evidence_record e
        WHERE e.province_code = $1 AND e.period_key = $2::text AND e.subject = ''
          AND e.metric IN (SELECT metric FROM evidence_record WHERE id = ANY($3::bigint[]))
        ORDER BY e.metric, e.version DESC`,
      [provinceCode, year, usedIds],
    ),
    () => db.query(`SELECT id, import_key, version, value, max_value FROM imported_value WHERE id = ANY($1::bigint[])`, [importedIds]),
    () => db.query(
      `SELECT DISTINCT ON (m.sub_criterion) m.id, m.sub_criterion, m.version, m.raw_digest, m.withdrawn_at,
              r.id AS review_id, r.decision, r.points, r.reason
         FROM manual_evidence m
         LEFT JOIN LATERAL (SELECT * FROM manual_evidence_review x WHERE x.manual_evidence_id = m.id ORDER BY x.id DESC LIMIT 1) r ON TRUE
        WHERE m.province_code = $1 AND m.year = $2 AND m.catalogue_version = $3
        ORDER BY m.sub_criterion, m.version DESC`,
      [provinceCode, year, catalogue],
    ),
    () => db.query(`SELECT digest FROM catalogue_state WHERE catalogue_key = $1`, [catalogue]),
  ];
  const [{ rows: evidence }, { rows: imported }, { rows: manual }, { rows: state }] = await queries.reduce(
    async (done, next) => [...(await done), await next()],
    Promise.resolve([] as Array<{ rows: any[] }>),
  );
  return {
    provinceCode,
    year,
    catalogue,
    catalogueDigest: state[0]?.digest ?? null,
    scores: scores.map((s) => ({
      subCriterion: s.sub_criterion,
      scoreId: Number(s.id),
      version: s.version,
      status: s.status,
      points: num(s.points),
      value: num(s.value),
      ruleDigest: s.rule_digest,
      contentDigest: s.content_digest,
    })),
    evidence: evidence.map((e) => ({
      metric: e.metric,
      id: Number(e.id),
      version: e.version,
      numerator: num(e.numerator),
      denominator: num(e.denominator),
      ruleVersion: e.rule_version,
      contentDigest: e.content_digest,
    })),
    imported: imported
      .map((i) => ({ key: i.import_key as string, id: Number(i.id), version: i.version as number, value: Number(i.value), max: Number(i.max_value) }))
      .sort((a, b) => a.key.localeCompare(b.key)),
    // a withdrawn document is no document
    manual: manual
      .filter((m) => m.withdrawn_at === null)
      .map((m) => ({
        subCriterion: m.sub_criterion,
        documentId: Number(m.id),
        version: m.version,
        rawDigest: m.raw_digest,
        review: m.review_id === null ? null : { id: Number(m.review_id), decision: m.decision, points: num(m.points), reason: m.reason ?? null },
      })),
  };
}
