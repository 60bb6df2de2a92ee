import { Module } from '@nestjs/common';
import { AppraisalModule } from '../appraisal/appraisal.module';
import { EvidenceModule } from '../evidence/evidence.module';
import { LineageModule } from '../lineage/lineage.module';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { ScoringModule } from '../scoring/scoring.module';
import { LedgerModule } from '../ledger/ledger.module';
import { EXPORT_CHECKPOINTS, LedgerCheckpoints } from './export-checkpoints';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';
import { ProvinceYearExportService } from './province-year-export.service';

/** Evidence packs (XLSX, PDF), generated evidence documents and PROV-JSON lineage. */
@Module({
  imports: [ScoringModule, EvidenceModule, ReconciliationModule, LineageModule, AppraisalModule, LedgerModule],
  controllers: [ExportsController],
  providers: [ExportsService, ProvinceYearExportService, { provide: EXPORT_CHECKPOINTS, useClass: LedgerCheckpoints }],
})
export class ExportsModule {}
