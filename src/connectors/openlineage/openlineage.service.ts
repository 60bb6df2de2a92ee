import { Inject, Injectable, Logger, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import axios from 'axios';
import { Pool } from 'pg';
import { AppConfig, hasRole } from '../../platform/config/app-config';
import { APP_CONFIG } from '../../platform/config/config.module';
import { InjectPool } from '../../platform/database/database.module';
import { LineageSettings, RunForLineage, databaseDataset, dueEvents, runEvent } from './openlineage-event';

/** who produces the events (a URI, as the specification asks) */
const PRODUCER = 'urn:par-evidence-hub:0.1.0';

/** Delay before the next attempt of an event that could not be sent: 2^attempts seconds, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 1000 * 2 ** Math.min(attempts, 12));
}

/**
 * OpenLineage events of connector runs. `recordRun` stores the events a run is due (START when it starts,
 * COMPLETE or FAIL when it ends) in the `openlineage_event` outbox, at most one per type; it never throws, so
 * lineage can never fail a run. A sweep adds events for runs whose recording was missed (a crash, a run closed
 * by the scheduler), and, when OPENLINEAGE_URL is set, the outbox is sent in order with retries.
 */
@Injectable()
export class OpenLineageService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OpenLineageService.name);
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  readonly settings: LineageSettings;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPool() private readonly pool: Pool,
  ) {
    this.settings = { namespace: config.OPENLINEAGE_NAMESPACE, producer: PRODUCER, database: databaseDataset(config.DATABASE_URL) };
  }

  onApplicationBootstrap(): void {
    if (!hasRole(this.config, 'worker')) return;
    this.timer = setInterval(() => void this.tick(), this.config.OPENLINEAGE_SEND_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Stores the events the run is due; logs and swallows any error. */
  async recordRun(runId: string): Promise<number> {
    try {
      const { rows } = await this.pool.query(
        `SELECT r.*, c.name AS connector_name, c.kind, c.base_url, c.province_code FROM connector_run r JOIN connector c ON c.id = r.connector_id WHERE r.id = $1`,
        [runId],
      );
      if (rows.length === 0) return 0;
      const run = toRun(rows[0]);
      let stored = 0;
      for (const type of dueEvents(run)) {
        const { rowCount } = await this.pool.query(
          `INSERT INTO openlineage_event (run_id, event_type, event) VALUES ($1, $2, $3) ON CONFLICT (run_id, event_type) DO NOTHING`,
          [run.id, type, JSON.stringify(runEvent(type, run, this.settings))],
        );
        stored += rowCount ?? 0;
      }
      return stored;
    } catch (error) {
      this.logger.warn({ runId, err: (error as Error).message }, 'OpenLineage event not recorded (the sweep will retry)');
      return 0;
    }
  }

  /** Records the events of runs that are missing some (recent runs first). */
  async sweep(limit = 500): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT r.id FROM connector_run r
        WHERE r.status IN ('running', 'succeeded', 'failed')
          AND NOT EXISTS (SELECT 1 FROM openlineage_event e WHERE e.run_id = r.id AND e.event_type IN ('COMPLETE', 'FAIL'))
          AND (r.status <> 'running' OR NOT EXISTS (SELECT 1 FROM openlineage_event e WHERE e.run_id = r.id AND e.event_type = 'START'))
        ORDER BY r.requested_at DESC LIMIT $1`,
      [limit],
    );
    let stored = 0;
    for (const r of rows) stored += await this.recordRun(r.id);
    return stored;
  }

  /** Sends due unsent events in order; a run's later events wait while an earlier one is unsent. */
  async send(batch = 100): Promise<{ sent: number; failed: number }> {
    const url = this.config.OPENLINEAGE_URL;
    if (!url) return { sent: 0, failed: 0 };
    // claimed for the time of one attempt, so that two workers do not send the same event
    const { rows } = await this.pool.query(
      `UPDATE openlineage_event SET next_attempt_at = now() + make_interval(secs => $2::float8 / 1000 * 2)
        WHERE id IN (SELECT id FROM openlineage_event WHERE sent_at IS NULL AND next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, run_id, event, attempts`,
      [batch, this.config.OPENLINEAGE_TIMEOUT_MS],
    );
    const blocked = new Set<string>();
    let sent = 0;
    let failed = 0;
    for (const row of rows.sort((a, b) => Number(a.id) - Number(b.id))) {
      const earlier = await this.pool.query(`SELECT 1 FROM openlineage_event WHERE run_id = $1 AND id < $2 AND sent_at IS NULL`, [row.run_id, row.id]);
      if (blocked.has(row.run_id) || earlier.rows.length > 0) {
        await this.pool.query(`UPDATE openlineage_event SET next_attempt_at = now() WHERE id = $1`, [row.id]);
        continue;
      }
      try {
        await axios.post(url, row.event, {
          timeout: this.config.OPENLINEAGE_TIMEOUT_MS,
          headers: { 'content-type': 'application/json', ...(this.config.OPENLINEAGE_API_KEY ? { authorization: `Bearer ${this.config.OPENLINEAGE_API_KEY}` } : {}) },
          validateStatus: (s) => s >= 200 && s < 300,
        });
        await this.pool.query(`UPDATE openlineage_event SET sent_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = $1`, [row.id]);
        sent++;
      } catch (error) {
        const status = axios.isAxiosError(error) && error.response ? `HTTP ${error.response.status}` : (error as Error).message;
        await this.pool.query(
          `UPDATE openlineage_event SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + make_interval(secs => $3::float8 / 1000) WHERE id = $1`,
          [row.id, status.slice(0, 500), retryDelayMs(row.attempts + 1)],
        );
        blocked.add(row.run_id);
        failed++;
      }
    }
    if (failed > 0) this.logger.warn({ sent, failed }, 'some OpenLineage events could not be sent; they stay in the outbox');
    return { sent, failed };
  }

  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.sweep();
      await this.send();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'OpenLineage outbox tick failed');
    } finally {
      this.busy = false;
    }
  }

  /** The events of one run with their delivery state; 404 for an unknown run. */
  async forRun(runId: string) {
    const { rows: runs } = await this.pool.query(`SELECT id FROM connector_run WHERE id = $1`, [runId]);
    if (runs.length === 0) throw new NotFoundException(`run ${runId} not found`);
    const { rows } = await this.pool.query(`SELECT * FROM openlineage_event WHERE run_id = $1 ORDER BY id`, [runId]);
    return rows.map((r) => ({
      id: Number(r.id),
      eventType: r.event_type as string,
      event: r.event as Record<string, unknown>,
      createdAt: r.created_at as Date,
      sentAt: (r.sent_at as Date | null) ?? null,
      attempts: r.attempts as number,
      lastError: (r.last_error as string | null) ?? null,
    }));
  }
}

function toRun(r: Record<string, any>): RunForLineage {
  return {
    id: r.id,
    connectorId: r.connector_id,
    connectorName: r.connector_name,
    kind: r.kind,
    baseUrl: r.base_url,
    provinceCode: r.province_code,
    trigger: r.trigger,
    configVersion: r.config_version,
    windowFrom: r.window_from,
    windowTo: r.window_to,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    fetched: r.fetched,
    normalised: r.normalised,
    quarantined: r.quarantined,
    errorCode: r.error_code,
    errorMessage: r.error_message,
  };
}
