import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Pool, PoolClient } from 'pg';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { InjectPool, withTransaction } from '../platform/database/database.module';
import { ScoringQueue } from '../scoring/scoring.queue';
import { MetricCount, ratio } from './counting-rules';
import { ReconciliationService } from '../reconciliation/reconciliation.service';
import { EvidenceQueue } from './evidence.queue';
import { ONE_STOP_SHOP_SOURCE } from './records/dossier.record';
import { POSTAL_SOURCE } from './sources/postal.evidence';
import { ComputedPeriod, EVIDENCE_SOURCES, EvidenceSource } from './sources/evidence-source';
import { isCountMetric } from '../scoring/metric-catalogue';


export interface BuildResult {
  /** another build of the same province and source was running: this one was re-queued */
  busy: boolean;
  claimedMonths: number;
  periods: number;
  newRecords: number;
  years: number[];
}

/** Digest of what an evidence record says (not when or from which runs): a recomputation that finds the same
 * numbers writes no new version. */
export function evidenceContentDigest(metric: string, subject: string, count: MetricCount, ruleVersion: string): string {
  return createHash('sha256').update(JSON.stringify([metric, subject, count.numerator, count.denominator, ruleVersion])).digest('hex');
}

/**
 * Builds evidence for one province and source from what its outbox says is stale. In one transaction (under a
 * per-province lock so concurrent jobs queue up): claim the outbox rows, aggregate only the stale periods of
 * that province, write a new version of each record whose numbers changed, release the claimed rows (a row
 * re-marked meanwhile has a new seq and stays for the next job) and mark the years for scoring.
 */
@Injectable()
export class EvidenceBuilderService {
  private readonly logger = new Logger(EvidenceBuilderService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPool() private readonly pool: Pool,
    private readonly scoring: ScoringQueue,
    private readonly evidenceQueue: EvidenceQueue,
    @Inject(EVIDENCE_SOURCES) private readonly sources: EvidenceSource[],
    private readonly reconciliation: ReconciliationService,
  ) {}

  async build(provinceCode: string, sourceKind: string, now = new Date()): Promise<BuildResult> {
    const result = await withTransaction(this.pool, async (db) => {
      // one build per province and source at a time; a job that finds another one running leaves the work to it
      // (the outbox rows it would have claimed are still there) and asks for a later look
      const { rows: lock } = await db.query(`SELECT pg_try_advisory_xact_lock(hashtext('evidence:' || $1 || ':' || $2)) AS ok`, [provinceCode, sourceKind]);
      if (!lock[0].ok) return { claimedMonths: 0, periods: 0, newRecords: 0, years: [], busy: true };
      await db.query(`SET LOCAL work_mem = '64MB'`);
      const { rows: claimed } = await db.query(
        `SELECT month_key, seq FROM evidence_outbox WHERE province_code = $1 AND source_kind = $2`,
        [provinceCode, sourceKind],
      );
      if (claimed.length === 0) return { claimedMonths: 0, periods: 0, newRecords: 0, years: [], busy: false };
      const source = this.sources.find((s) => s.sourceKind === sourceKind);
      if (!source) throw new Error(`no evidence rules for source ${sourceKind}`);

      const periods = source.stalePeriods(claimed.map((r) => r.month_key as string), now);
      const computed = await source.compute(db, provinceCode, periods, now);
      const newRecords = await this.writeVersions(db, provinceCode, source, computed);
      // postal waybills × dossiers, for the months that changed on either side (findings, not evidence)
      if (sourceKind === POSTAL_SOURCE || sourceKind === ONE_STOP_SHOP_SOURCE) {
        await this.reconciliation.reconcileMonths(db, provinceCode, claimed.map((r) => r.month_key as string));
      }
      await db.query(
        `DELETE FROM evidence_outbox o USING unnest($3::text[], $4::int8[]) AS c(month_key, seq)
          WHERE o.province_code = $1 AND o.source_kind = $2 AND o.month_key = c.month_key AND o.seq = c.seq`,
        [provinceCode, sourceKind, claimed.map((r) => r.month_key), claimed.map((r) => r.seq)],
      );
      const years = [...new Set(newRecords.map((r) => r.year))].sort();
      if (years.length > 0) {
        await db.query(
          `INSERT INTO scoring_outbox (province_code, year) SELECT $1, unnest($2::int[])
           ON CONFLICT (province_code, year) DO UPDATE SET seq = nextval('outbox_seq'), marked_at = now()`,
          [provinceCode, years],
        );
      }
      return { claimedMonths: claimed.length, periods: computed.length, newRecords: newRecords.length, years, busy: false };
    });
    if (result.busy) {
      await this.evidenceQueue.requestBuild(provinceCode, sourceKind);
      return result;
    }
    for (const year of result.years) await this.scoring.requestScoring(provinceCode, year);
    if (result.claimedMonths > 0) this.logger.log({ provinceCode, sourceKind, ...result }, 'evidence built');
    return result;
  }

  /** New versions for the records whose content changed; returns what was inserted. */
  private async writeVersions(db: PoolClient, provinceCode: string, source: EvidenceSource, computed: ComputedPeriod[]): Promise<Array<{ year: number }>> {
    if (computed.length === 0) return [];
    const metrics = [...new Set(computed.flatMap((c) => c.records.map((r) => r.metric)))];
    const { rows: latest } = await db.query(
      `SELECT DISTINCT ON (period_key, metric, subject) period_key, metric, subject, version, content_digest
         FROM evidence_record WHERE province_code = $1 AND period_key = ANY($2::text[]) AND metric = ANY($3::text[])
        ORDER BY period_key, metric, subject, version DESC`,
      [provinceCode, computed.map((c) => c.period.key), metrics],
    );
    const current = new Map(latest.map((r) => [`${r.period_key}|${r.metric}|${r.subject}`, { version: r.version as number, digest: r.content_digest as string }]));
    const inserted: Array<{ year: number }> = [];
    for (const c of computed) {
      const changes = c.records
        .map(({ metric, subject, count, isCount }) => ({
          metric,
          subject,
          count,
          isCount: isCount ?? isCountMetric(metric),
          digest: evidenceContentDigest(metric, subject, count, source.ruleVersion),
          previous: current.get(`${c.period.key}|${metric}|${subject}`),
        }))
        .filter((x) => x.previous?.digest !== x.digest);
      if (changes.length === 0) continue;
      const { rows } = await db.query(
        `INSERT INTO evidence_computation (province_code, source_kind, period_kind, period_key, rule_version, as_of, record_count, run_ids, raw_digests)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9::text[]) RETURNING id`,
        [provinceCode, source.sourceKind, c.period.kind, c.period.key, source.ruleVersion, c.asOf, c.recordCount, c.runIds, c.rawDigests],
      );
      const year = Number(c.period.key.slice(0, 4));
      await db.query(
        `INSERT INTO evidence_record (computation_id, province_code, period_kind, period_key, year, metric, numerator, denominator, value, rule_version, version, content_digest, subject)
         SELECT $1, $2, $3, $4, $5, x.metric, x.numerator, x.denominator, x.value, $6, x.version, x.digest, x.subject
           FROM unnest($7::text[], $8::numeric[], $9::numeric[], $10::numeric[], $11::int[], $12::text[], $13::text[])
             AS x(metric, numerator, denominator, value, version, digest, subject)`,
        [
          rows[0].id,
          provinceCode,
          c.period.kind,
          c.period.key,
          year,
          source.ruleVersion,
          changes.map((x) => x.metric),
          changes.map((x) => x.count.numerator),
          changes.map((x) => x.count.denominator),
          changes.map((x) => (x.isCount ? x.count.numerator : ratio(x.count.numerator, x.count.denominator))),
          changes.map((x) => (x.previous?.version ?? 0) + 1),
          changes.map((x) => x.digest),
          changes.map((x) => x.subject),
        ],
      );
      for (let i = 0; i < changes.length; i++) inserted.push({ year });
    }
    return inserted;
  }

  /** Provinces and sources whose outbox rows have waited too long (a lost job): their builds are requested again. */
  async staleOutbox(olderThanMs: number): Promise<Array<{ provinceCode: string; sourceKind: string }>> {
    const { rows } = await this.pool.query(
      `SELECT DISTINCT province_code, source_kind FROM evidence_outbox WHERE marked_at < now() - make_interval(secs => $1::float8 / 1000)`,
      [olderThanMs],
    );
    return rows.map((r) => ({ provinceCode: r.province_code, sourceKind: r.source_kind }));
  }
}
