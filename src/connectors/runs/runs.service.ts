import { redactText } from '../../platform/privacy/personal-fields';
import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Pool } from 'pg';
import { InjectPool } from '../../platform/database/database.module';
import { QueueService } from '../../platform/queue/queue.module';
import { JOB_NAMES, QUEUES, RETRY_PRESETS } from '../../platform/queue/queue-catalogue';
import { readFrameworkOptions } from '../connector-options';
import { ConnectorEntity } from '../connector.entity';
import type { ConnectorView } from '../connectors.service';
import { splitWindow } from '../scheduling/schedule-slots';
import { RunStatus, RunTrigger } from './connector-run.entity';
import { runKeys } from './run-keys';

export interface RunView {
  id: string;
  connectorId: string;
  configVersion: number;
  trigger: RunTrigger;
  slotAt: Date | null;
  windowFrom: Date;
  windowTo: Date;
  status: RunStatus;
  attempts: number;
  counts: { pages: number; fetched: number; normalised: number; unchanged: number; quarantined: number };
  /** lines of the step log that need the operator's eye (e.g. a report file rejected); the run still succeeds */
  warnings: number;
  error: { code: string; message: string | null } | null;
  cancelRequestedAt: Date | null;
  requestedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
}

export interface RunStepView {
  id: number;
  at: Date;
  kind: 'start' | 'checkpoint' | 'file' | 'retry' | 'warning' | 'cancel' | 'finish';
  message: string;
  detail: Record<string, unknown> | null;
}

/** What the connector list shows of the last run. */
export interface LastRunSummary {
  id: string;
  status: RunStatus;
  /** succeeded, succeeded with warnings, failed (with the error code), cancelled, or still queued / running */
  outcome: string;
  warnings: number;
  requestedAt: Date;
  finishedAt: Date | null;
}

export type ConnectorOverview = ConnectorView & { lastRun: LastRunSummary | null; nextRunAt: Date | null };

export function lastRunSummary(run: RunView | undefined): LastRunSummary | null {
  if (!run) return null;
  const outcome =
    run.status === 'succeeded' && run.warnings > 0
      ? `succeeded with ${run.warnings} warning(s)`
      : run.status === 'failed' && run.error
        ? `failed: ${run.error.code}`
        : run.status;
  return { id: run.id, status: run.status, outcome, warnings: run.warnings, requestedAt: run.requestedAt, finishedAt: run.finishedAt };
}

export function toRunView(r: Record<string, any>): RunView {
  return {
    id: r.id,
    connectorId: r.connector_id,
    configVersion: r.config_version,
    trigger: r.trigger,
    slotAt: r.slot_at,
    windowFrom: r.window_from,
    windowTo: r.window_to,
    status: r.status,
    attempts: r.attempts,
    counts: { pages: r.pages, fetched: r.fetched, normalised: r.normalised, unchanged: r.unchanged, quarantined: r.quarantined },
    warnings: r.warnings ?? 0,
    // an upstream's message may quote what it was sent: personal values are masked in every view
    error: r.error_code ? { code: r.error_code, message: r.error_message === null ? null : redactText(r.error_message) } : null,
    cancelRequestedAt: r.cancel_requested_at ?? null,
    requestedAt: r.requested_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.started_at && r.finished_at ? r.finished_at.getTime() - r.started_at.getTime() : null,
  };
}

export interface RunRequest {
  trigger: RunTrigger;
  slotAt: Date | null;
  from: Date;
  to: Date;
  key: string;
  status?: 'queued' | 'missed';
}

/** Creating runs (idempotently, by business key), enqueuing their jobs, and reading run history. */
@Injectable()
export class RunsService {
  private readonly logger = new Logger(RunsService.name);

  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly queues: QueueService,
  ) {}

  /**
   * Inserts a run unless its key (or its schedule slot) already has one, then enqueues its job. Returns the run
   * and whether this call created it. A key whose run already finished gets a fresh key: asking again re-runs.
   */
  async request(connector: ConnectorEntity, req: RunRequest): Promise<{ run: RunView; created: boolean }> {
    let key = req.key;
    for (let attempt = 0; attempt < 2; attempt++) {
      const { rows } = await this.pool.query(
        `INSERT INTO connector_run (connector_id, config_version, trigger, slot_at, window_from, window_to, status, job_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT DO NOTHING
         RETURNING *`,
        [connector.id, connector.configVersion, req.trigger, req.slotAt, req.from, req.to, req.status ?? 'queued', key],
      );
      if (rows.length === 1) {
        const run = toRunView(rows[0]);
        if (run.status === 'queued') await this.enqueue(run.id, key);
        return { run, created: true };
      }
      const existing = await this.pool.query(
        `SELECT * FROM connector_run WHERE job_id = $1 OR (connector_id = $2 AND slot_at = $3)`,
        [key, connector.id, req.slotAt],
      );
      const found = existing.rows[0];
      if (!found) continue;
      if (req.slotAt !== null || found.status === 'queued' || found.status === 'running') {
        return { run: toRunView(found), created: false };
      }
      key = runKeys.again(req.key, new Date());
    }
    throw new Error(`could not create run ${req.key}`);
  }

  /** "Run now": from where the connector's successful runs reached (or its initial sync date) to now − lag. */
  async runNow(connector: ConnectorEntity, now = new Date()): Promise<RunView> {
    if (!connector.enabled) throw new BadRequestException(`connector ${connector.name} is disabled`);
    const { options } = readFrameworkOptions(connector.options, now);
    const to = new Date(now.getTime() - options.lagSeconds * 1000);
    const from = (await this.watermark(connector.id)) ?? options.initialSyncFrom;
    if (from >= to) throw new BadRequestException(`connector ${connector.name} is already synced up to ${from.toISOString()}`);
    const { run } = await this.request(connector, { trigger: 'manual', slotAt: null, from, to, key: runKeys.manual(connector.id, to) });
    return run;
  }

  /** Backfill [from, to): one run per chunk of `backfillChunkDays`. Asking twice for the same range doubles nothing. */
  async backfill(connector: ConnectorEntity, from: Date, to: Date, now = new Date()): Promise<RunView[]> {
    if (!connector.enabled) throw new BadRequestException(`connector ${connector.name} is disabled`);
    if (!(from < to)) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['from must be before to'] });
    if (to > now) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['to must not be in the future'] });
    const { options } = readFrameworkOptions(connector.options, now);
    const chunks = splitWindow(from, to, options.backfillChunkDays * 86_400_000);
    if (chunks.length > 500) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['the range needs more than 500 runs: raise options.backfillChunkDays or narrow it'] });
    const runs: RunView[] = [];
    for (const chunk of chunks) {
      const { run } = await this.request(connector, { trigger: 'backfill', slotAt: null, from: chunk.from, to: chunk.to, key: runKeys.backfill(connector.id, chunk.from, chunk.to) });
      runs.push(run);
    }
    return runs;
  }

  /** End of the newest window any successful run of this connector covered. */
  async watermark(connectorId: string): Promise<Date | null> {
    const { rows } = await this.pool.query(
      `SELECT max(window_to) AS at FROM connector_run WHERE connector_id = $1 AND status = 'succeeded' AND trigger <> 'backfill'`,
      [connectorId],
    );
    return rows[0].at ?? null;
  }

  async enqueue(runId: string, jobId: string): Promise<void> {
    await this.queues.add(QUEUES.fetch, JOB_NAMES.fetchRun, { runId }, { jobId, ...RETRY_PRESETS.source });
  }

  /**
   * Runs still queued or running whose job Redis no longer holds (lost on a Redis restart, or never enqueued
   * because the process died right after the insert) get their job back. Adding an existing job id is a no-op.
   */
  async requeueOrphans(olderThanMs: number): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT id, job_id FROM connector_run
        WHERE status IN ('queued', 'running') AND requested_at < now() - make_interval(secs => $1::float8 / 1000)
        ORDER BY requested_at LIMIT 1000`,
      [olderThanMs],
    );
    let requeued = 0;
    const queue = this.queues.queue(QUEUES.fetch);
    for (const row of rows) {
      const job = await queue.getJob(row.job_id);
      if (!job) {
        await this.enqueue(row.id, row.job_id);
        requeued++;
      } else if ((await job.getState()) === 'failed') {
        // the job gave up but the run row was not closed (crash between the two): close it
        await this.pool.query(
          `UPDATE connector_run SET status = 'failed', error_code = coalesce(error_code, 'JOB_ENDED'),
             error_message = coalesce(error_message, $2), finished_at = now()
           WHERE id = $1 AND status IN ('queued', 'running')`,
          [row.id, job.failedReason ?? 'the job ended without closing its run'],
        );
      }
    }
    if (requeued > 0) this.logger.warn({ requeued }, 're-enqueued runs whose job was missing');
    return requeued;
  }

  /**
   * Cancels a run: a queued one at once (its job then finds nothing to do), a running one at its next checkpoint
   * (what it committed stays, whole). A finished run cannot be cancelled (409).
   */
  async cancel(id: string): Promise<RunView> {
    await this.get(id);
    const { rows } = await this.pool.query(
      `UPDATE connector_run SET
          status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
          finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
          cancel_requested_at = coalesce(cancel_requested_at, now())
        WHERE id = $1 AND status IN ('queued', 'running')
        RETURNING *`,
      [id],
    );
    if (rows.length === 0) throw new ConflictException(`run ${id} has already finished`);
    const run = toRunView(rows[0]);
    if (run.status === 'cancelled') {
      await this.pool.query(`INSERT INTO connector_run_step (run_id, kind, message) VALUES ($1, 'cancel', 'cancelled on request before it started')`, [id]);
      await this.queues.queue(QUEUES.fetch).remove(rows[0].job_id).catch(() => 0); // a job already taken stays: it finds the run closed
    }
    return run;
  }

  /** The run's step log, oldest first: starts, checkpoints with their counts, files, retries, warnings, the end. */
  async steps(id: string, page: { afterId?: number; limit?: number } = {}): Promise<RunStepView[]> {
    await this.get(id);
    const { rows } = await this.pool.query(
      `SELECT id, at, kind, message, detail FROM connector_run_step WHERE run_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
      [id, page.afterId ?? 0, Math.min(page.limit ?? 500, 1000)],
    );
    return rows.map((r) => ({ id: Number(r.id), at: r.at, kind: r.kind, message: r.message, detail: r.detail }));
  }

  /** The latest run of each connector (by request time), for the connector list. */
  async lastRuns(connectorIds: string[]): Promise<Map<string, RunView>> {
    if (connectorIds.length === 0) return new Map();
    const { rows } = await this.pool.query(
      `SELECT DISTINCT ON (connector_id) * FROM connector_run WHERE connector_id = ANY($1::uuid[]) AND status <> 'missed'
        ORDER BY connector_id, requested_at DESC`,
      [connectorIds],
    );
    return new Map(rows.map((r) => [r.connector_id as string, toRunView(r)]));
  }

  async get(id: string): Promise<RunView> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new NotFoundException(`run ${id} not found`);
    const { rows } = await this.pool.query('SELECT * FROM connector_run WHERE id = $1', [id]);
    if (rows.length === 0) throw new NotFoundException(`run ${id} not found`);
    return toRunView(rows[0]);
  }

  async list(filter: { connectorId?: string; status?: string; limit?: number }): Promise<RunView[]> {
    const { rows } = await this.pool.query(
      `SELECT * FROM connector_run
        WHERE ($1::text IS NULL OR connector_id::text = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY requested_at DESC LIMIT $3`,
      [filter.connectorId ?? null, filter.status ?? null, Math.min(filter.limit ?? 50, 1000)],
    );
    return rows.map(toRunView);
  }
}
