import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module';
import { APPRAISAL_LEDGER, NoLedger } from './appraisal-ledger';
import { AppraisalController } from './appraisal.controller';
import { AppraisalService } from './appraisal.service';

/** Self-assessment → submitted → appraisal → approved or returned, with manual documents reviewed and approvals bound to evidence. */
@Module({
  imports: [ScoringModule],
  controllers: [AppraisalController],
  providers: [AppraisalService, { provide: APPRAISAL_LEDGER, useClass: NoLedger }],
  exports: [AppraisalService],
})
export class AppraisalModule {}
