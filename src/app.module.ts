import { DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AuditModule } from './audit/audit.module';
import { ConnectorsModule } from './connectors/connectors.module';
import { IdentityModule } from './identity/identity.module';
import { LineageModule } from './lineage/lineage.module';
import { AppConfig } from './platform/config/app-config';
import { ConfigModule } from './platform/config/config.module';
import { DatabaseModule } from './platform/database/database.module';
import { HealthController } from './platform/http/health.controller';
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
        DatabaseModule,
        QueueModule,
        UnitsModule,
        IdentityModule,
        AuditModule,
        ConnectorsModule,
        LineageModule,
        WebModule,
      ],
      controllers: [HealthController],
    };
  }
}
