import { Module } from '@nestjs/common';
import { LedgerJobsService } from './ledger-jobs.service';
import { LedgerMetrics } from './ledger-metrics';
import { LedgerPackService } from './ledger-pack.service';
import { LedgerController } from './ledger.controller';
import { TamperCheckService } from './tamper-check.service';
import { TransparencyLogService } from './transparency-log.service';

/**
 * The transparency log (RFC 6962) over the facts scores rest on. Low in the dependency order: it needs only
 * the platform (and the raw archive's scope rule), so scoring, evidence and any later domain (appraisal,
 * publication) can import it and call `TransparencyLogService.append`.
 */
@Module({
  controllers: [LedgerController],
  providers: [TransparencyLogService, TamperCheckService, LedgerMetrics, LedgerPackService, LedgerJobsService],
  exports: [TransparencyLogService, TamperCheckService, LedgerMetrics, LedgerPackService],
})
export class LedgerModule {}
