import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { Pool, PoolClient } from 'pg';
import { EvidenceQueue } from '../../evidence/evidence.queue';
import { AppConfig, hasRole } from '../../platform/config/app-config';
import { APP_CONFIG } from '../../platform/config/config.module';
import { InjectPool, withTransaction } from '../../platform/database/database.module';
import { QueueService } from '../../platform/queue/queue.module';
import { JobPayload, QUEUES } from '../../platform/queue/queue-catalogue';
import { FetchMetadata, RawArchiveService, sha256Hex } from '../../raw-archive/raw-archive.service';
import { describeError, isPermanent } from '../connector-errors';
import { RunArchive, RunContext, RunCounts } from '../connector-kind';
import { ConnectorKindRegistry } from '../connector-kind.registry';
import { ConnectorEntity } from '../connector.entity';
import { ConnectorsService } from '../connectors.service';
import { CredentialsCipherError } from '../credentials/credentials-cipher';
import { RunInterrupted } from '../one-stop-shop/one-stop-shop.connector';

const COUNT_COLUMNS: Array<keyof RunCounts> = ['pages', 'fetched', 'normalised', 'unchanged', 'quarantined'];

/**
 * Executes fetch jobs: one job = one run. The kind checkpoints through `commit`, which writes its records, the
 * run's cursor and its counters in ONE transaction; a killed worker's job is taken over by another worker
 * (BullMQ stalled-job recovery) and resumes from the last committed cursor, so nothing is lost or doubled.
 * Permanent source errors fail the run at once (no retry); transient ones retry with the `source` preset.
 */
@Injectable()
export class FetchRunProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger(FetchRunProcessor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPool() private readonly pool: Pool,
    private readonly queues: QueueService,
    private readonly kinds: ConnectorKindRegistry,
    private readonly archive: RawArchiveService,
    private readonly evidence: EvidenceQueue,
    private readonly connectors: ConnectorsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!hasRole(this.config, 'worker')) return;
    this.queues.startWorker(QUEUES.fetch, (job, token) => this.process(job as Job<JobPayload<'fetch', 'fetch-run'>>, token));
  }

  async process(job: Job<JobPayload<'fetch', 'fetch-run'>>, token?: string): Promise<string> {
    const { runId } = job.data;
    const claimed = await this.pool.query(
      `UPDATE connector_run SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now())
        WHERE id = $1 AND status IN ('queued', 'running')
        RETURNING *`,
      [runId],
    );
    if (claimed.rows.length === 0) return 'already finished'; // a replay of a finished run does nothing
    const run = claimed.rows[0];
    const { rows: found } = await this.pool.query('SELECT * FROM connector WHERE id = $1', [run.connector_id]);
    const connector = found[0] as Record<string, any>;
    const kind = this.kinds.get(connector.kind);
    if (!kind) {
      await this.finish(runId, 'failed', { code: 'UNKNOWN_KIND', message: `no connector kind ${connector.kind} in this build` });
      throw new UnrecoverableError(`unknown connector kind ${connector.kind}`);
    }
    let instance: RunContext['connector'];
    try {
      // credentials are opened in memory for this run only
      instance = await this.connectors.instanceOf(rowToEntity(connector));
    } catch (error) {
      if (!(error instanceof CredentialsCipherError)) throw error;
      await this.finish(runId, 'failed', { code: 'CREDENTIALS_UNREADABLE', message: error.message });
      throw new UnrecoverableError(`CREDENTIALS_UNREADABLE: ${error.message}`);
    }
    const logger = new Logger(`run ${runId}`);
    let lastNotified = Date.now();
    const archive = new StagedArchive(this.archive);

    const context: RunContext = {
      connector: instance,
      run: { id: runId, connectorId: instance.id, windowFrom: run.window_from, windowTo: run.window_to, cursor: run.cursor, attempt: run.attempts },
      archive,
      logger,
      http: {
        timeoutMs: this.config.HTTP_TIMEOUT_MS,
        maxAttempts: this.config.HTTP_MAX_ATTEMPTS,
        backoffBaseMs: this.config.HTTP_BACKOFF_BASE_MS,
        backoffMaxMs: this.config.HTTP_BACKOFF_MAX_MS,
      },
      stopping: () => this.queues.isClosing,
      commit: async (work) => {
        await withTransaction(this.pool, async (client) => {
          // the payloads this checkpoint read from are archived in the same transaction (one commit, one sync)
          await archive.flush(client);
          const { cursor, counts, warnings } = await work(client);
          // `cursor: undefined` keeps the current position (a checkpoint that only adds data)
          const w = COUNT_COLUMNS.length + 4;
          const updated = await client.query(
            `UPDATE connector_run SET cursor = CASE WHEN $2::boolean THEN $3::jsonb ELSE cursor END,
                    ${COUNT_COLUMNS.map((c, i) => `${c} = ${c} + $${i + 4}`).join(', ')},
                    warnings = CASE WHEN jsonb_array_length(warnings) >= 100 THEN warnings ELSE warnings || $${w}::jsonb END
              WHERE id = $1 AND status = 'running'`,
            [runId, cursor !== undefined, JSON.stringify(cursor ?? null), ...COUNT_COLUMNS.map((c) => counts[c] ?? 0), JSON.stringify(warnings ?? [])],
          );
          if (updated.rowCount !== 1) throw new UnrecoverableError(`run ${runId} is no longer running`);
        });
        // evidence for the changed months follows the data (the outbox rows are already committed); during a long
        // run it is refreshed now and then, not at every page, so that it does not compete with the fetch
        const now = Date.now();
        if (now - lastNotified >= this.config.EVIDENCE_DURING_RUN_MS) {
          lastNotified = now;
          await this.evidence.requestBuild(instance.provinceCode, kind.sourceKind);
        }
      },
    };

    try {
      await kind.execute(context);
    } catch (error) {
      // responses read but not checkpointed (an error page, an interrupted page) are archived all the same
      await archive.flush(this.pool).catch((e) => logger.error({ err: (e as Error).message }, 'archiving failed'));
      if (error instanceof RunInterrupted) {
        // shutting down: hand the job back without spending an attempt; it resumes from the cursor
        logger.log('released at a checkpoint for shutdown');
        await job.moveToDelayed(Date.now() + 1000, token);
        throw new DelayedError();
      }
      const described = describeError(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (isPermanent(error) || error instanceof UnrecoverableError || lastAttempt) {
        await this.finish(runId, 'failed', described);
        logger.warn({ code: described.code, err: described.message }, 'run failed');
        throw new UnrecoverableError(`${described.code}: ${described.message}`);
      }
      await this.pool.query(`UPDATE connector_run SET error_code = $2, error_message = $3 WHERE id = $1`, [runId, described.code, described.message]);
      logger.warn({ code: described.code, err: described.message, attempt: job.attemptsMade + 1 }, 'run attempt failed; will retry');
      throw error;
    }
    await this.finish(runId, 'succeeded', null);
    await this.evidence.requestBuild(instance.provinceCode, kind.sourceKind);
    return 'succeeded';
  }

  private async finish(runId: string, status: 'succeeded' | 'failed', error: { code: string; message: string } | null): Promise<void> {
    await this.pool.query(
      `UPDATE connector_run SET status = $2, error_code = $3, error_message = $4, finished_at = now()
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [runId, status, error?.code ?? null, error?.message ?? null],
    );
  }
}

/**
 * The raw archive as a run sees it: a response is hashed at once (its digest is known to the kind), and stored
 * with the next checkpoint's transaction, or on its own when the run stops without one. Nothing received is
 * left out: every staged payload is flushed one way or the other.
 */
class StagedArchive implements RunArchive {
  private pending: Array<{ body: Buffer; meta: FetchMetadata }> = [];

  constructor(private readonly store: RawArchiveService) {}

  async archive(body: Buffer, meta: FetchMetadata): Promise<string> {
    this.pending.push({ body, meta });
    return sha256Hex(body);
  }

  async flush(db: PoolClient | Pool): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) await this.store.archiveMany(batch, db);
  }
}

function rowToEntity(row: Record<string, any>): ConnectorEntity {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    baseUrl: row.base_url,
    provinceCode: row.province_code,
    credentialsSealed: row.credentials_sealed,
    credentialsKeyId: row.credentials_key_id,
    credentialNames: row.credential_names,
    schedule: row.schedule,
    enabled: row.enabled,
    options: row.options,
    configVersion: row.config_version,
    scheduleAnchor: row.schedule_anchor,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
