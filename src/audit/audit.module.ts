import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditService } from './audit.service';

/**
 * The audit trail: a global interceptor records every state-changing call (and reads marked `@AuditRead`), the
 * authentication guard records refused ones, and GET /audit-events shows them to admins and auditors.
 * Global so that the guard and services of other modules can record events.
 */
@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditService, AuditInterceptor, { provide: APP_INTERCEPTOR, useExisting: AuditInterceptor }],
  exports: [AuditService],
})
export class AuditModule {}
