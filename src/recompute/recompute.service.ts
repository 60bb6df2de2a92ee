import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { replayOneStopShopPayload, ReplayCounts } from '../connectors/one-stop-shop/one-stop-shop.replay';
import { ComputedPeriod, EVIDENCE_SOURCES, EvidenceSource } from '../evidence/sources/evidence-source';
import { ONE_STOP_SHOP_SOURCE } from '../evidence/records/dossier.record';
import { POSTAL_SOURCE } from '../evidence/sources/postal.evidence';
import { HeaderDictionary, loadHeaderDictionary } from '../connectors/vnpost-bcci/bcci-header-dictionary';
import { replayBcciReportFile } from '../connectors/vnpost-bcci/bcci-replay';
import { AccessScope } from '../platform/auth/access-policy';
import { InjectPool } from '../platform/database/database.module';
import { Period, monthPeriod, quarterPeriod, yearPeriod } from '../platform/time/vietnam-time';
import { ScoringCatalogue, coversYear, scoreCatalogue } from '../scoring/catalogue';
import { SCORING_CATALOGUES, catalogueKey } from '../scoring/scoring-catalogues.provider';
import { loadScoringInputs } from '../scoring/scoring.service';
import { EvidenceDifference, ScoreDifference, StoredEvidence, StoredScore, compareEvidence, compareScores } from './recompute-diff';

/** Normalised tables a replay writes: shadowed by temporary tables of the same name for the transaction. */
const SHADOWED = ['dossier', 'procedure', 'waybill', 'quarantine_record', 'evidence_outbox'];
/** evidence sources whose normalised rows are rebuilt from the archived bytes */
const REPLAYED = new Set([ONE_STOP_SHOP_SOURCE, POSTAL_SOURCE]);

export interface RecomputeReport {
  provinceCode: string;
  year: number;
  identical: boolean;
  /** per evidence source: `raw` = re-parsed from the archived bytes; `normalised` = from the stored normalised rows */
  sources: Array<{ sourceKind: string; from: 'raw' | 'normalised'; ms: number }>;
  replay: ReplayCounts & { payloads: number };
  evidence: { compared: number; differences: EvidenceDifference[] };
  scores: { compared: number; differences: ScoreDifference[] };
  durationMs: number;
  timings: { replayMs: number; evidenceMs: number; scoringMs: number };
}

export interface RecomputeFilter {
  scoreId?: number;
  catalogue?: string;
  periodKey?: string;
}

/** The year and each of its quarters and months that has started (as scoring does). */
function periodsOfYear(year: number, now: Date): Period[] {
  return [yearPeriod(year), ...[1, 2, 3, 4].map((q) => quarterPeriod(year, q)), ...Array.from({ length: 12 }, (_, m) => monthPeriod(year, m + 1))].filter(
    (p) => p.start <= now,
  );
}

/**
 * Deterministic recompute: replays the archived raw bytes through the connectors' parse and normalise
 * functions, the evidence sources and the scoring catalogues — inside one transaction whose normalised tables
 * are temporary shadows, rolled back at the end — and compares the outcome with the stored evidence and the
 * published scores. Nothing stored is touched.
 */
@Injectable()
export class RecomputeService {
  private dictionary: HeaderDictionary | undefined;

  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(EVIDENCE_SOURCES) private readonly sources: EvidenceSource[],
    @Inject(SCORING_CATALOGUES) private readonly catalogues: ScoringCatalogue[],
  ) {}

  /** One published score: its province-year is recomputed, the report narrowed to that score and its evidence. */
  async recomputeScore(scope: AccessScope, scoreId: number): Promise<RecomputeReport & { scoreId: number; latestVersion: boolean }> {
    const params: unknown[] = [scoreId];
    const { rows } = await this.pool.query(
      `SELECT s.province_code, s.year, s.period_key, s.catalogue_version, s.sub_criterion,
              s.version = (SELECT max(version) FROM score x WHERE x.province_code = s.province_code AND x.period_key = s.period_key
                              AND x.catalogue_version = s.catalogue_version AND x.sub_criterion = s.sub_criterion) AS latest
         FROM score s WHERE s.id = $1 AND ${scope.provinceCondition('s.province_code', params)}`,
      params,
    );
    if (rows.length === 0) throw new NotFoundException(`no score ${scoreId}`);
    const s = rows[0];
    const report = await this.recompute(s.province_code, s.year, { scoreId, catalogue: s.catalogue_version, periodKey: s.period_key });
    return { ...report, scoreId, latestVersion: s.latest };
  }

  async recompute(provinceCode: string, year: number, filter: RecomputeFilter = {}): Promise<RecomputeReport> {
    const started = Date.now();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL timezone TO 'UTC'`);
      await this.shadowNormalisedTables(client);
      const replay = await this.replayRaw(client, provinceCode);
      // temporary tables are never analysed by autovacuum: without statistics the evidence queries plan badly
      for (const table of SHADOWED) await client.query(`ANALYZE pg_temp.${table}`);
      const replayed = Date.now();
      const now = new Date();
      const periods = periodsOfYear(year, now).filter((p) => !filter.periodKey || p.key === filter.periodKey);
      const computed = new Map<string, ComputedPeriod[]>();
      const sourceMs = new Map<string, number>();
      for (const source of this.sources) {
        const t = Date.now();
        computed.set(source.sourceKind, await this.computeSource(client, source, provinceCode, periods, now));
        sourceMs.set(source.sourceKind, Date.now() - t);
      }
      const stored = await this.storedEvidence(client, provinceCode, periods);
      const evidence = compareEvidence(stored, computed, filter.scoreId ? await this.metricsOfScore(client, filter.scoreId) : null);
      const evidenced = Date.now();
      const scores = await this.rescore(client, provinceCode, year, periods, computed, filter);
      return {
        provinceCode,
        year,
        identical: evidence.differences.length === 0 && scores.differences.length === 0,
        sources: this.sources.map((s) => ({ sourceKind: s.sourceKind, from: REPLAYED.has(s.sourceKind) ? 'raw' : 'normalised', ms: sourceMs.get(s.sourceKind) ?? 0 })),
        replay,
        evidence,
        scores,
        durationMs: Date.now() - started,
        timings: { replayMs: replayed - started, evidenceMs: evidenced - replayed, scoringMs: Date.now() - evidenced },
      };
    } finally {
      // whatever happened, nothing of the replay stays
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  private async shadowNormalisedTables(db: PoolClient): Promise<void> {
    await db.query(`CREATE TEMP SEQUENCE recompute_seq`);
    for (const table of SHADOWED) {
      await db.query(`CREATE TEMP TABLE ${table} (LIKE public.${table} INCLUDING ALL) ON COMMIT DROP`);
    }
    // temporary sequences, so that a replay consumes no ids of the real tables
    await db.query(`ALTER TABLE pg_temp.quarantine_record ALTER COLUMN id SET DEFAULT nextval('recompute_seq')`);
    await db.query(`ALTER TABLE pg_temp.evidence_outbox ALTER COLUMN seq SET DEFAULT nextval('recompute_seq')`);
  }

  /**
   * Every archived answer of the province's one-stop-shop connectors, in fetch order, and every loaded postal
   * report file version, through the connectors' own parsers and writers.
   */
  private async replayRaw(db: PoolClient, provinceCode: string): Promise<ReplayCounts & { payloads: number }> {
    const counts: ReplayCounts & { payloads: number } = { pages: 0, normalised: 0, quarantined: 0, skipped: 0, payloads: 0 };
    await this.replayOneStopShop(db, provinceCode, counts);
    const { rows: files } = await db.query(
      `SELECT f.id, f.month_key, f.version, f.file_name, p.body FROM report_file f JOIN raw_payload p ON p.digest = f.digest
        WHERE f.source_kind = $2 AND f.province_code = $1 AND f.status = 'loaded' ORDER BY f.id`,
      [provinceCode, POSTAL_SOURCE],
    );
    for (const f of files) {
      this.dictionary ??= loadHeaderDictionary();
      const written = await replayBcciReportFile(db, provinceCode, { id: Number(f.id), monthKey: f.month_key, version: f.version, fileName: f.file_name }, f.body, this.dictionary);
      counts.payloads++;
      if (written === null) counts.skipped++;
      else {
        counts.pages++;
        counts.normalised += written;
      }
    }
    return counts;
  }

  private async replayOneStopShop(db: PoolClient, provinceCode: string, counts: ReplayCounts & { payloads: number }): Promise<void> {
    let after = 0;
    for (;;) {
      const { rows } = await db.query(
        `SELECT f.id, f.digest, f.url, f.run_id, f.connector_id, p.body FROM raw_fetch f
           JOIN connector c ON c.id = f.connector_id JOIN raw_payload p ON p.digest = f.digest
          WHERE c.kind = 'one-stop-shop' AND c.province_code = $1 AND f.status = 200 AND f.run_id IS NOT NULL AND f.id > $2
          ORDER BY f.id LIMIT 200`,
        [provinceCode, after],
      );
      for (const r of rows) {
        await replayOneStopShopPayload(db, provinceCode, r.url, r.body, { connectorId: r.connector_id, runId: r.run_id, rawDigest: r.digest }, counts);
        counts.payloads++;
      }
      if (rows.length < 200) return;
      after = Number(rows[rows.length - 1].id);
    }
  }

  /**
   * Evidence of a source for the periods it has evidence in (and, for the replayed source, the periods its
   * replayed records fall in), as of the moment the stored evidence was computed (open periods).
   */
  private async computeSource(db: PoolClient, source: EvidenceSource, provinceCode: string, periods: Period[], now: Date): Promise<ComputedPeriod[]> {
    const { rows } = await db.query(
      `SELECT period_key, max(as_of) AS as_of FROM evidence_computation WHERE province_code = $1 AND source_kind = $2 AND period_key = ANY($3::text[]) GROUP BY period_key`,
      [provinceCode, source.sourceKind, periods.map((p) => p.key)],
    );
    const asOf = new Map(rows.map((r) => [r.period_key as string, r.as_of as Date]));
    const wanted = new Set(asOf.keys());
    if (source.sourceKind === ONE_STOP_SHOP_SOURCE) {
      const { rows: months } = await db.query(`SELECT DISTINCT month_key FROM evidence_outbox WHERE province_code = $1 AND source_kind = $2`, [provinceCode, source.sourceKind]);
      for (const p of source.stalePeriods(months.map((m) => m.month_key as string), now)) wanted.add(p.key);
    }
    // a period stored as of its end (closed then) is computed as of now; one stored while still open, as of
    // that moment. Periods of the same moment are computed together, as the builder did.
    const groups = new Map<number, Period[]>();
    for (const period of periods.filter((p) => wanted.has(p.key))) {
      const stored = asOf.get(period.key);
      const at = stored && stored.getTime() < period.end.getTime() ? stored.getTime() : now.getTime();
      groups.set(at, [...(groups.get(at) ?? []), period]);
    }
    const out: ComputedPeriod[] = [];
    for (const [at, group] of groups) out.push(...(await source.compute(db, provinceCode, group, new Date(at))));
    return out;
  }

  private async storedEvidence(db: PoolClient, provinceCode: string, periods: Period[]): Promise<StoredEvidence[]> {
    const { rows } = await db.query(
      `SELECT DISTINCT ON (e.period_key, e.metric, e.subject) e.id, e.period_key, e.metric, e.subject, e.numerator, e.denominator, e.rule_version, c.source_kind
         FROM evidence_record e JOIN evidence_computation c ON c.id = e.computation_id
        WHERE e.province_code = $1 AND e.period_key = ANY($2::text[])
        ORDER BY e.period_key, e.metric, e.subject, e.version DESC`,
      [provinceCode, periods.map((p) => p.key)],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      sourceKind: r.source_kind,
      periodKey: r.period_key,
      metric: r.metric,
      subject: r.subject,
      numerator: r.numerator === null ? null : Number(r.numerator),
      denominator: r.denominator === null ? null : Number(r.denominator),
      ruleVersion: r.rule_version,
    }));
  }

  private async metricsOfScore(db: PoolClient, scoreId: number): Promise<Set<string>> {
    const { rows } = await db.query(`SELECT e.metric FROM score s JOIN evidence_record e ON e.id = ANY(s.evidence_ids) WHERE s.id = $1`, [scoreId]);
    return new Set(rows.map((r) => r.metric as string));
  }

  /** Scores every period and catalogue from the recomputed evidence (and the stored imported values). */
  private async rescore(db: PoolClient, provinceCode: string, year: number, periods: Period[], computed: Map<string, ComputedPeriod[]>, filter: RecomputeFilter) {
    const catalogues = this.catalogues.filter((c) => coversYear(c, year) && (!filter.catalogue || catalogueKey(c) === filter.catalogue));
    const { rows } = await db.query(
      `SELECT DISTINCT ON (period_key, catalogue_version, sub_criterion) id, period_key, catalogue_version, sub_criterion, status, value, points, rule_digest
         FROM score WHERE province_code = $1 AND year = $2 AND period_key = ANY($3::text[]) ${filter.scoreId ? 'AND id = $4' : ''}
        ORDER BY period_key, catalogue_version, sub_criterion, version DESC`,
      filter.scoreId ? [provinceCode, year, periods.map((p) => p.key), filter.scoreId] : [provinceCode, year, periods.map((p) => p.key)],
    );
    const stored: StoredScore[] = rows.map((r) => ({
      id: Number(r.id),
      periodKey: r.period_key,
      catalogue: r.catalogue_version,
      subCriterion: r.sub_criterion,
      status: r.status,
      value: r.value === null ? null : Number(r.value),
      points: r.points === null ? null : Number(r.points),
      ruleDigest: r.rule_digest,
    }));
    const recomputed = [];
    for (const period of periods) {
      const { inputs: storedInputs } = await loadScoringInputs(db, provinceCode, year, period.key);
      const inputs: Record<string, { numerator: number | null; denominator: number | null }> = {};
      for (const [k, v] of Object.entries(storedInputs)) if (k.startsWith('imported.') && v) inputs[k] = v;
      for (const c of [...computed.values()].flat()) {
        if (c.period.key !== period.key) continue;
        for (const r of c.records) if (r.subject === '') inputs[r.metric] = r.count;
      }
      for (const catalogue of catalogues) {
        for (const s of scoreCatalogue(catalogue, inputs as never)) recomputed.push({ periodKey: period.key, catalogue: catalogueKey(catalogue), score: s });
      }
    }
    return compareScores(stored, recomputed);
  }
}
