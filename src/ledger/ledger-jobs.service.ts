import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig, hasRole } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { HealthRegistry } from '../platform/http/health-registry';
import { TamperCheckService } from './tamper-check.service';
import { TransparencyLogService } from './transparency-log.service';

/**
 * Scheduler role: appends what the outbox holds every tick, signs a checkpoint at least every
 * LEDGER_CHECKPOINT_INTERVAL_MS and runs the tamper check every LEDGER_TAMPER_CHECK_INTERVAL_MS.
 * Every role: open tamper findings show in /health/ready as `ledger: {integrity: degraded}`.
 */
@Injectable()
export class LedgerJobsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LedgerJobsService.name);
  private running = false;
  private checking = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly log: TransparencyLogService,
    private readonly tamper: TamperCheckService,
    private readonly registry: SchedulerRegistry,
    private readonly health: HealthRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.health.register('ledger', async () => {
      const openFindings = await this.tamper.openFindingCount();
      return { status: openFindings > 0 ? 'degraded' : 'ok', openFindings };
    });
    if (!hasRole(this.config, 'scheduler')) return;
    this.registry.addInterval('ledger-append', setInterval(() => void this.tick(), Math.max(this.config.SCHEDULER_TICK_MS, 1000)));
    this.registry.addInterval('ledger-tamper-check', setInterval(() => void this.check(), this.config.LEDGER_TAMPER_CHECK_INTERVAL_MS));
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.log.appendPending();
      await this.log.checkpoint('if-due');
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'ledger append failed');
    } finally {
      this.running = false;
    }
  }

  async check(): Promise<void> {
    // a check over a large archive may outlast its interval: never two at once in this process
    if (this.checking) return;
    this.checking = true;
    try {
      const r = await this.tamper.run();
      this.logger.log({ rowsChecked: r.rowsChecked, findings: r.findings.length, durationMs: r.durationMs }, 'ledger tamper check');
    } catch (error) {
      this.logger.error({ err: (error as Error).message }, 'ledger tamper check failed');
    } finally {
      this.checking = false;
    }
  }
}
