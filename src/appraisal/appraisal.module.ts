import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module';
import { LedgerModule } from '../ledger/ledger.module';
import { TransparencyLogService } from '../ledger/transparency-log.service';
import { APPRAISAL_LEDGER } from './appraisal-ledger';
import { transparencyLogAppraisalLedger } from './appraisal-ledger.adapter';
import { AppraisalController } from './appraisal.controller';
import { AppraisalService } from './appraisal.service';

/** Self-assessment → submitted → appraisal → approved or returned, with manual documents reviewed and approvals bound to evidence. */
@Module({
  imports: [ScoringModule, LedgerModule],
  controllers: [AppraisalController],
  providers: [AppraisalService, { provide: APPRAISAL_LEDGER, inject: [TransparencyLogService], useFactory: transparencyLogAppraisalLedger }],
  exports: [AppraisalService],
})
export class AppraisalModule {}
