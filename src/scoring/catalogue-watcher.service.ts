import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { AppConfig, hasRole } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { InjectPool, withTransaction } from '../platform/database/database.module';
import { ScoringCatalogue, catalogueDigest } from './catalogue';
import { SCORING_CATALOGUES, catalogueKey } from './scoring-catalogues.provider';
import { ScoringQueue } from './scoring.queue';
import { TransparencyLogService } from '../ledger/transparency-log.service';

/** Every catalogue version scored from is a fact of the log (idempotent: once per key and digest). */
export async function logCatalogueVersions(ledger: TransparencyLogService, catalogues: ScoringCatalogue[], db?: Pick<PoolClient, 'query'>): Promise<void> {
  for (const catalogue of catalogues) {
    const key = catalogueKey(catalogue);
    const digest = catalogueDigest(catalogue);
    const fields = { catalogue_key: key, framework: catalogue.framework, digest, years_from: catalogue.years.from, years_to: catalogue.years.to };
    await ledger.append('catalogue_version', `${key}#${digest}`, fields, db);
  }
}

/**
 * A catalogue that is new, or whose content changed, is scored for every province-year it covers that has
 * evidence: new score versions are written (a new catalogue version keeps its own scores; the old ones stay
 * queryable by version). Runs at start in the scheduler role; replicas racing here only re-mark the outbox.
 */
@Injectable()
export class CatalogueWatcherService implements OnApplicationBootstrap {
  private readonly logger = new Logger(CatalogueWatcherService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPool() private readonly pool: Pool,
    @Inject(SCORING_CATALOGUES) private readonly catalogues: ScoringCatalogue[],
    private readonly scoring: ScoringQueue,
    private readonly ledger: TransparencyLogService,
  ) {}

  onApplicationBootstrap(): void {
    if (!hasRole(this.config, 'scheduler')) return;
    void this.rescoreChanged().catch((error) => this.logger.error({ err: (error as Error).message }, 'checking catalogues failed'));
  }

  /** Returns the catalogue keys that were new or changed. */
  async rescoreChanged(): Promise<string[]> {
    const changed: string[] = [];
    const pairs = new Set<string>();
    await withTransaction(this.pool, async (db) => {
      await logCatalogueVersions(this.ledger, this.catalogues, db);
      for (const catalogue of this.catalogues) {
        const key = catalogueKey(catalogue);
        const digest = catalogueDigest(catalogue);
        const { rowCount } = await db.query(
          `INSERT INTO catalogue_state (catalogue_key, digest) VALUES ($1, $2)
           ON CONFLICT (catalogue_key) DO UPDATE SET digest = EXCLUDED.digest, seen_at = now()
           WHERE catalogue_state.digest <> EXCLUDED.digest`,
          [key, digest],
        );
        if ((rowCount ?? 0) === 0) continue;
        changed.push(key);
        const { rows } = await db.query(
          `INSERT INTO scoring_outbox (province_code, year)
           SELECT DISTINCT province_code, year FROM evidence_record WHERE year BETWEEN $1 AND $2
           ON CONFLICT (province_code, year) DO UPDATE SET seq = nextval('outbox_seq'), marked_at = now()
           RETURNING province_code, year`,
          [catalogue.years.from, catalogue.years.to],
        );
        for (const r of rows) pairs.add(`${r.province_code}|${r.year}`);
      }
    });
    for (const pair of pairs) {
      const [province, year] = pair.split('|');
      await this.scoring.requestScoring(province, Number(year));
    }
    if (changed.length > 0) this.logger.log({ catalogues: changed, provinceYears: pairs.size }, 'new or changed catalogues: rescoring');
    return changed;
  }
}
