import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError } from 'bullmq';
import { Pool, PoolClient } from 'pg';
import { EvidenceQueue } from '../../evidence/evidence.queue';
import { AppConfig, hasRole } from '../../platform/config/app-config';
import { APP_CONFIG } from '../../platform/config/config.module';
import { EgressPolicy } from '../../platform/http/egress-policy';
import { InjectPool, withTransaction } from '../../platform/database/database.module';
import { QueueService } from '../../platform/queue/queue.module';
import { JobPayload, QUEUES } from '../../platform/queue/queue-catalogue';
import { RawArchiveService } from '../../raw-archive/raw-archive.service';
import { DatabaseWaitAbandoned, retryWhileUnreachable } from '../../platform/database/database-errors';
import { StagedArchive } from './staged-archive';
import { describeError, isPermanent } from '../connector-errors';
import { RunContext, RunCounts } from '../connector-kind';
import { ConnectorKindRegistry } from '../connector-kind.registry';
import { ConnectorEntity } from '../connector.entity';
import { ConnectorsService } from '../connectors.service';
import { CredentialsCipherError } from '../credentials/credentials-cipher';
import { RunInterrupted } from '../one-stop-shop/one-stop-shop.connector';
import { RunCancelled, RunStepLog, checkpointMessage } from './run-step-log';
import { OpenLineageService } from '../openlineage/openlineage.service';

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
  private egressPolicy: EgressPolicy | null = null;
  private get egress(): EgressPolicy {
    return (this.egressPolicy ??= EgressPolicy.fromConfig(this.config.EGRESS_ALLOW));
  }

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPool() private readonly pool: Pool,
    private readonly queues: QueueService,
    private readonly kinds: ConnectorKindRegistry,
    private readonly archive: RawArchiveService,
    private readonly evidence: EvidenceQueue,
    private readonly connectors: ConnectorsService,
    private readonly openlineage: OpenLineageService,
  ) {}

  onApplicationBootstrap(): void {
    if (!hasRole(this.config, 'worker')) return;
    this.queues.startWorker(QUEUES.fetch, (job, token) => this.process(job as Job<JobPayload<'fetch', 'fetch-run'>>, token));
  }

  async process(job: Job<JobPayload<'fetch', 'fetch-run'>>, token?: string): Promise<string> {
    const { runId } = job.data;
    const logger = new Logger(`run ${runId}`);
    // every database step of a run waits out an outage instead of failing the attempt (see retryWhileUnreachable)
    const reachable = <T>(work: (retry: number) => Promise<T>) =>
      retryWhileUnreachable(work, {
        stopping: () => this.queues.isClosing,
        onWait: (error, retry, delayMs) =>
          logger.warn({ err: (error as Error).message, retry, delayMs }, 'database unreachable; holding what was received and retrying'),
      });
    const claimed = await reachable(() =>
      this.pool.query(
        `UPDATE connector_run SET status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now())
          WHERE id = $1 AND status IN ('queued', 'running')
          RETURNING *`,
        [runId],
      ),
    );
    if (claimed.rows.length === 0) return 'already finished'; // a replay of a finished run does nothing (or it was cancelled while queued)
    const run = claimed.rows[0];
    const steps = new RunStepLog(runId);
    if (run.cancel_requested_at) {
      await reachable(() => this.finishCancelled(runId, steps));
      return 'cancelled';
    }
    // lineage never fails a run: recordRun logs and swallows its own errors (and a sweep catches up)
    if (run.attempts === 1) await this.openlineage.recordRun(runId);
    steps.add('start', `attempt ${run.attempts}${run.cursor ? ', resuming from the last checkpoint' : ''}`);
    const { rows: found } = await reachable(() => this.pool.query('SELECT * FROM connector WHERE id = $1', [run.connector_id]));
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
    let lastNotified = Date.now();
    const archive = new StagedArchive(this.archive);
    let checkpoints: number = run.checkpoints ?? 0;

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
        onRetry: (r) => steps.add('retry', `retry ${r.attempt} in ${r.delayMs} ms: ${r.reason}`, { attempt: r.attempt, delayMs: r.delayMs }),
        egress: this.egress,
      },
      stopping: () => this.queues.isClosing,
      step: (step) => steps.add(step.kind, step.message, step.detail),
      commit: async (work) => {
        let cancelRequested = false;
        // the payloads received since the last checkpoint are archived in the same transaction as what is derived
        // from them (one commit, one sync); if the transaction does not commit they are held again
        const batch = archive.take();
        try {
          await reachable((retry) =>
            withTransaction(this.pool, async (client) => {
              if (retry > 0) {
                // the connection dropped: if it dropped after COMMIT reached the server, this checkpoint landed
                const { rows } = await client.query('SELECT checkpoints, cancel_requested_at FROM connector_run WHERE id = $1', [runId]);
                if (rows[0]?.checkpoints === checkpoints + 1) {
                  cancelRequested = rows[0].cancel_requested_at !== null;
                  return;
                }
              }
              await archive.write(batch, client);
              const { cursor, counts } = await work(client);
              const line = checkpointMessage(counts);
              if (line) steps.add('checkpoint', line, { ...counts });
              await steps.flush(client);
              // `cursor: undefined` keeps the current position (a checkpoint that only adds data)
              const updated = await client.query(
                `UPDATE connector_run SET cursor = CASE WHEN $2::boolean THEN $3::jsonb ELSE cursor END, checkpoints = checkpoints + 1,
                        ${COUNT_COLUMNS.map((c, i) => `${c} = ${c} + $${i + 5}`).join(', ')}
                  WHERE id = $1 AND status = 'running' AND checkpoints = $4
                  RETURNING cancel_requested_at`,
                [runId, cursor !== undefined, JSON.stringify(cursor ?? null), checkpoints, ...COUNT_COLUMNS.map((c) => counts[c] ?? 0)],
              );
              if (updated.rowCount !== 1) throw new UnrecoverableError(`run ${runId} is no longer running, or another worker checkpointed it`);
              cancelRequested = updated.rows[0].cancel_requested_at !== null;
            }),
          );
        } catch (error) {
          archive.restore(batch);
          throw error;
        }
        checkpoints++;
        // cancelled through the API: stop right after this committed checkpoint
        if (cancelRequested) throw new RunCancelled();
        // evidence for the changed months follows the data (the outbox rows are already committed); during a long
        // run it is refreshed now and then, not at every page, so that it does not compete with the fetch
        // (a backfill window leaves it to the last window of its backfill: each build recounts the province's year)
        const now = Date.now();
        if (run.trigger !== 'backfill' && now - lastNotified >= this.config.EVIDENCE_DURING_RUN_MS) {
          lastNotified = now;
          await this.evidence.requestBuild(instance.provinceCode, kind.sourceKind);
        }
      },
    };

    try {
      await kind.execute(context);
    } catch (error) {
      // responses read but not checkpointed (an error page, an interrupted page) are archived all the same
      await reachable(() => archive.flush(this.pool)).catch((e) => logger.error({ err: (e as Error).message, held: archive.size }, 'archiving failed'));
      if (error instanceof RunCancelled) {
        await reachable(() => this.finishCancelled(runId, steps));
        await this.evidence.requestBuild(instance.provinceCode, kind.sourceKind);
        return 'cancelled';
      }
      if (error instanceof RunInterrupted || error instanceof DatabaseWaitAbandoned) {
        await steps.flush(this.pool).catch(() => undefined);
        // shutting down: hand the job back without spending an attempt; it resumes from the cursor (answers
        // still held for an unreachable database go with the process and are fetched again then)
        logger.log('released at a checkpoint for shutdown');
        await job.moveToDelayed(Date.now() + 1000, token);
        throw new DelayedError();
      }
      const described = describeError(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      steps.add('finish', `attempt failed: ${described.code}: ${described.message}`);
      await steps.flush(this.pool).catch((e) => logger.error({ err: (e as Error).message }, 'writing the step log failed'));
      if (isPermanent(error) || error instanceof UnrecoverableError || lastAttempt) {
        await reachable(() => this.finish(runId, 'failed', described));
        logger.warn({ code: described.code, err: described.message }, 'run failed');
        throw new UnrecoverableError(`${described.code}: ${described.message}`);
      }
      await reachable(() =>
        this.pool.query(`UPDATE connector_run SET error_code = $2, error_message = $3 WHERE id = $1`, [runId, described.code, described.message]),
      );
      logger.warn({ code: described.code, err: described.message, attempt: job.attemptsMade + 1 }, 'run attempt failed; will retry');
      throw error;
    }
    steps.add('finish', 'succeeded');
    await reachable(() => steps.flush(this.pool));
    await reachable(() => this.finish(runId, 'succeeded', null));
    // after this run's own commit: of windows finishing together, at least the last to check sees none pending
    if (run.trigger !== 'backfill' || !(await reachable(() => this.windowsPending(instance.id, runId)))) {
      await this.evidence.requestBuild(instance.provinceCode, kind.sourceKind);
    }
    return 'succeeded';
  }

  /** Whether other backfill windows of the connector are still to run (their last one requests the evidence). */
  private async windowsPending(connectorId: string, runId: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      `SELECT EXISTS (SELECT 1 FROM connector_run WHERE connector_id = $1 AND id <> $2 AND trigger = 'backfill' AND status IN ('queued', 'running')) AS pending`,
      [connectorId, runId],
    );
    return rows[0].pending === true;
  }

  /** Closes a run cancelled through the API: what it committed stays (each checkpoint is whole). */
  private async finishCancelled(runId: string, steps: RunStepLog): Promise<void> {
    steps.add('cancel', 'cancelled on request; stopped after the last committed checkpoint');
    await steps.flush(this.pool);
    await this.pool.query(`UPDATE connector_run SET status = 'cancelled', finished_at = now() WHERE id = $1 AND status IN ('queued', 'running')`, [runId]);
  }

  private async finish(runId: string, status: 'succeeded' | 'failed', error: { code: string; message: string } | null): Promise<void> {
    await this.pool.query(
      `UPDATE connector_run SET status = $2, error_code = $3, error_message = $4, finished_at = now()
        WHERE id = $1 AND status IN ('queued', 'running')`,
      [runId, status, error?.code ?? null, error?.message ?? null],
    );
    await this.openlineage.recordRun(runId);
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
