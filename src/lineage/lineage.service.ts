import { AccessScope } from '../platform/auth/access-policy';
import { Injectable, NotFoundException } from '@nestjs/common';
import { Pool } from 'pg';
import { InjectPool } from '../platform/database/database.module';

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * The audit trail of one score: the rule version (digest) and catalogue that produced it, the evidence
 * records it used, the computation behind each (counting-rule version, as-of, runs and raw payload digests),
 * the runs (connector, window, counts) and the raw payloads (size, fetches, download link).
 */
@Injectable()
export class LineageService {
  constructor(@InjectPool() private readonly pool: Pool) {}

  /** A score outside the caller's scope is "not found". */
  async ofScore(scope: AccessScope, scoreId: number) {
    const params: unknown[] = [scoreId];
    const { rows: scores } = await this.pool.query(`SELECT * FROM score WHERE id = $1 AND ${scope.provinceCondition('province_code', params)}`, params);
    if (scores.length === 0) throw new NotFoundException(`score ${scoreId} not found`);
    const s = scores[0];
    const { rows: evidence } = await this.pool.query(
      `SELECT e.*, c.source_kind, c.as_of, c.record_count, c.run_ids, c.raw_digests, c.rule_version AS computation_rule_version, c.computed_at
         FROM evidence_record e JOIN evidence_computation c ON c.id = e.computation_id
        WHERE e.id = ANY($1::bigint[]) ORDER BY e.metric`,
      [s.evidence_ids],
    );
    const runIds = [...new Set(evidence.flatMap((e) => e.run_ids as string[]))];
    const digests = [...new Set(evidence.flatMap((e) => e.raw_digests as string[]))];
    const [{ rows: runs }, { rows: payloads }] = await Promise.all([
      this.pool.query(
        `SELECT r.id, r.connector_id, c.name AS connector_name, c.kind, r.config_version, r.trigger, r.window_from, r.window_to, r.status,
                r.fetched, r.normalised, r.quarantined, r.started_at, r.finished_at
           FROM connector_run r JOIN connector c ON c.id = r.connector_id WHERE r.id = ANY($1::uuid[]) ORDER BY r.window_from`,
        [runIds],
      ),
      this.pool.query(
        `SELECT p.digest, p.size, p.content_type, p.created_at, count(f.id)::int AS fetches
           FROM raw_payload p LEFT JOIN raw_fetch f ON f.digest = p.digest
          WHERE p.digest = ANY($1::text[]) GROUP BY p.digest ORDER BY p.created_at`,
        [digests],
      ),
    ]);
    const { rows: imported } = await this.pool.query(
      `SELECT i.id, i.import_key, i.value, i.max_value, i.version, i.row_number, u.id AS upload_id, u.source, u.file_name, u.raw_digest, u.created_at
         FROM imported_value i JOIN import_upload u ON u.id = i.upload_id WHERE i.id = ANY($1::bigint[]) ORDER BY i.import_key`,
      [s.imported_ids ?? []],
    );
    return {
      imported: imported.map((i) => ({
        id: Number(i.id),
        key: i.import_key,
        value: Number(i.value),
        max: Number(i.max_value),
        version: i.version,
        upload: { id: Number(i.upload_id), source: i.source, fileName: i.file_name, row: i.row_number, rawDigest: i.raw_digest, uploadedAt: i.created_at, download: `/raw-payloads/${i.raw_digest}` },
      })),
      score: {
        id: Number(s.id),
        provinceCode: s.province_code,
        year: s.year,
        framework: s.framework,
        catalogue: s.catalogue_version,
        subCriterion: s.sub_criterion,
        ruleDigest: s.rule_digest,
        status: s.status,
        points: num(s.points),
        maxPoints: num(s.max_points),
        value: num(s.value),
        version: s.version,
        contentDigest: s.content_digest,
        computedAt: s.computed_at,
      },
      evidence: evidence.map((e) => ({
        id: Number(e.id),
        metric: e.metric,
        subject: e.subject,
        periodKey: e.period_key,
        numerator: num(e.numerator),
        denominator: num(e.denominator),
        value: num(e.value),
        ruleVersion: e.rule_version,
        version: e.version,
        contentDigest: e.content_digest,
        computation: {
          id: Number(e.computation_id),
          sourceKind: e.source_kind,
          asOf: e.as_of,
          recordCount: e.record_count,
          computedAt: e.computed_at,
          runIds: e.run_ids,
          rawDigests: e.raw_digests,
        },
      })),
      runs: runs.map((r) => ({
        id: r.id,
        connectorId: r.connector_id,
        connectorName: r.connector_name,
        kind: r.kind,
        configVersion: r.config_version,
        trigger: r.trigger,
        windowFrom: r.window_from,
        windowTo: r.window_to,
        status: r.status,
        counts: { fetched: r.fetched, normalised: r.normalised, quarantined: r.quarantined },
        startedAt: r.started_at,
        finishedAt: r.finished_at,
      })),
      rawPayloads: payloads.map((p) => ({
        digest: p.digest,
        size: p.size,
        contentType: p.content_type,
        archivedAt: p.created_at,
        fetches: p.fetches,
        download: `/raw-payloads/${p.digest}`,
      })),
    };
  }
}
