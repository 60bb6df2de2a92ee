import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { rm, writeFile, rename } from 'node:fs/promises';
import { Pool } from 'pg';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { InjectPool } from '../database/database.module';
import { QueueService } from '../queue/queue.module';
import { HealthProbe, healthProbe } from './heartbeat';

/**
 * Worker and scheduler containers serve no HTTP: they prove they are alive by rewriting a heartbeat file every
 * HEARTBEAT_INTERVAL_MS, and only while PostgreSQL and Redis answer them. `healthcheck.ts` reads it.
 */
@Injectable()
export class HeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HeartbeatService.name);
  private timer: NodeJS.Timeout | undefined;
  private readonly probe: HealthProbe;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectPool() private readonly pool: Pool,
    private readonly queues: QueueService,
  ) {
    this.probe = healthProbe(config);
  }

  onApplicationBootstrap(): void {
    if (this.probe.kind !== 'heartbeat') return;
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.HEARTBEAT_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    if (this.probe.kind === 'heartbeat') await rm(this.probe.file, { force: true });
  }

  /** Writes the heartbeat when both stores answer; skips it (and says why) when not. */
  async beat(): Promise<void> {
    if (this.probe.kind !== 'heartbeat') return;
    try {
      await this.pool.query('SELECT 1');
      await this.queues.ping();
      const tmp = `${this.probe.file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify({ at: new Date().toISOString(), pid: process.pid, roles: this.config.APP_ROLE }));
      await rename(tmp, this.probe.file);
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'heartbeat skipped: a store does not answer');
    }
  }
}
