import { Public } from '../auth/auth.decorators';
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { QueueService } from '../queue/queue.module';
import { HealthRegistry } from './health-registry';

/** Liveness (the process answers) and readiness (PostgreSQL and Redis answer; domain details such as the ledger's integrity). */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly queues: QueueService,
    private readonly registry: HealthRegistry,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.db.pingCheck('postgres', { timeout: 2000 }),
      async () => {
        const indicator = this.indicators.check('redis');
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([this.queues.ping(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), 2000)))]);
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        } finally {
          clearTimeout(timer);
        }
      },
      // domain checks (e.g. the ledger's integrity): a degraded one is visible in the details, readiness stays up
      ...this.registry.entries().map(([name, check]) => async () => {
        const indicator = this.indicators.check(name);
        try {
          const { status, ...details } = await check();
          return indicator.up({ integrity: status, ...details });
        } catch (error) {
          return indicator.up({ integrity: 'unknown', message: (error as Error).message });
        }
      }),
    ]);
  }
}
