import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Pool } from 'pg';
import { AppConfig, hasRole } from '../../platform/config/app-config';
import { APP_CONFIG } from '../../platform/config/config.module';
import { InjectPool } from '../../platform/database/database.module';
import { readFrameworkOptions } from '../connector-options';
import { ConnectorEntity } from '../connector.entity';
import { ConnectorsService } from '../connectors.service';
import { runKeys } from '../runs/run-keys';
import { RunsService } from '../runs/runs.service';
import { planSlots } from './slot-plan';

/**
 * The scheduler role. `@nestjs/schedule` ticks in every replica; what makes each due slot run exactly once is
 * the database: a run row is unique per (connector, slot) and its job id is built from the same key, so the
 * replica whose insert wins enqueues the job and the others see the existing run.
 */
@Injectable()
export class ConnectorSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ConnectorSchedulerService.name);
  private queue: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPool() private readonly pool: Pool,
    private readonly registry: SchedulerRegistry,
    private readonly connectors: ConnectorsService,
    private readonly runs: RunsService,
  ) {}

  onApplicationBootstrap(): void {
    if (!hasRole(this.config, 'scheduler')) return;
    // first tick at once: slots missed while everything was down are caught up (or reported) at start
    setImmediate(() => void this.tick());
    this.registry.addInterval('connector-schedule', setInterval(() => void this.tick(), this.config.SCHEDULER_TICK_MS));
  }

  onApplicationShutdown(): void {
    this.stopped = true;
  }

  /** One pass: due slots of every enabled, scheduled connector; then runs whose job went missing. */
  tick(now = new Date()): Promise<number> {
    // ticks of one process run one after another (a slow pass is never overlapped by the next)
    const next = this.queue.then(() => this.tickOnce(now));
    this.queue = next.catch(() => 0);
    return next;
  }

  private async tickOnce(now: Date): Promise<number> {
    if (this.stopped) return 0;
    let created = 0;
    try {
      for (const connector of await this.connectors.listEnabledScheduled()) {
        try {
          created += await this.scheduleConnector(connector, now);
        } catch (error) {
          this.logger.error({ connectorId: connector.id, err: (error as Error).message }, 'scheduling failed for connector');
        }
      }
      await this.runs.requeueOrphans(Math.max(60_000, this.config.JOB_LOCK_MS * 2));
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'scheduler tick failed');
    }
    return created;
  }

  private async scheduleConnector(connector: ConnectorEntity, now: Date): Promise<number> {
    const { options } = readFrameworkOptions(connector.options, now);
    const { rows } = await this.pool.query(`SELECT max(slot_at) AS last FROM connector_run WHERE connector_id = $1`, [connector.id]);
    const lastSlot: Date | null = rows[0].last;
    const plan = planSlots({
      schedule: connector.schedule as string,
      anchor: connector.scheduleAnchor,
      lastSlot,
      now,
      lagMs: options.lagSeconds * 1000,
      firstFrom: (await this.runs.watermark(connector.id)) ?? options.initialSyncFrom,
      catchUp: this.config.SCHEDULE_CATCH_UP,
      maxSlots: this.config.SCHEDULE_CATCH_UP_MAX_SLOTS,
    });
    let created = 0;
    for (const slot of plan) {
      const { created: isNew } = await this.runs.request(connector, {
        trigger: 'schedule',
        slotAt: slot.slotAt,
        from: slot.from,
        to: slot.to,
        key: runKeys.scheduled(connector.id, slot.slotAt),
        status: slot.status,
      });
      if (isNew) {
        created++;
        if (slot.status === 'missed') this.logger.warn({ connectorId: connector.id, slotAt: slot.slotAt }, 'schedule slot missed while down (reported, not run)');
      }
    }
    return created;
  }
}
