import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { TransparencyLogService } from '../ledger/transparency-log.service';
import { ScoringModule } from '../scoring/scoring.module';
import { APPRAISAL_LEDGER } from './appraisal-ledger';
import { AppraisalController } from './appraisal.controller';
import { AppraisalService } from './appraisal.service';

/** Self-assessment → submitted → appraisal → approved or returned, with manual documents reviewed and approvals bound to evidence. */
@Module({
  imports: [ScoringModule, LedgerModule],
  controllers: [AppraisalController],
  providers: [AppraisalService, { provide: APPRAISAL_LEDGER, useExisting: TransparencyLogService }],
  exports: [AppraisalService],
})
export class AppraisalModule {}
