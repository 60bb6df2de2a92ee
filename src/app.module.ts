import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AppraisalModule } from './appraisal/appraisal.module';
import { AuditModule } from './audit/audit.module';
import { ExportsModule } from './exports/exports.module';
import { ConnectorsModule } from './connectors/connectors.module';
import { IdentityModule } from './identity/identity.module';
import { LineageModule } from './lineage/lineage.module';
import { RecomputeModule } from './recompute/recompute.module';
import { AppConfig } from './platform/config/app-config';
import { ConfigModule } from './platform/config/config.module';
import { DatabaseModule } from './platform/database/database.module';
import { HeartbeatService } from './platform/health/heartbeat.service';
import { HealthController } from './platform/http/health.controller';
import { HealthRegistryModule } from './platform/http/health-registry';
import { loggerParams } from './platform/http/logging';
import { QueueModule } from './platform/queue/queue.module';
import { UnitsModule } from './units/units.module';
import { WebModule } from './web/web.module';

/** The whole service. Which parts are active (HTTP API, workers, scheduler) is decided by APP_ROLE. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config)),
        ScheduleModule.forRoot(),
        TerminusModule,
        HealthRegistryModule,
        DatabaseModule,
        QueueModule,
        UnitsModule,
        IdentityModule,
        AuditModule,
        ConnectorsModule,
        LineageModule,
        RecomputeModule,
        AppraisalModule,
        ExportsModule,
        WebModule,
      ],
      controllers: [HealthController],
      providers: [HeartbeatService],
    };
  }
}
