import { Module } from '@nestjs/common';
import { ReconciliationModule } from '../reconciliation/reconciliation.module';
import { ScoringModule } from '../scoring/scoring.module';
import { EvidenceBuilderService } from './evidence-builder.service';
import { EvidenceController } from './evidence.controller';
import { EvidenceQueue } from './evidence.queue';
import { EvidenceService } from './evidence.service';
import { BuildEvidenceProcessor } from './jobs/build-evidence.processor';
import { EVIDENCE_SOURCES, EvidenceSource } from './sources/evidence-source';
import { OneStopShopEvidence } from './sources/one-stop-shop.evidence';
import { PostalEvidence } from './sources/postal.evidence';
import { SectoralEvidence } from './sources/sectoral.evidence';
import { DvcqgEvidence } from './sources/dvcqg.evidence';

/** Evidence records: built from normalised source records, versioned, with lineage to runs and raw payloads. */
@Module({
  imports: [ScoringModule, ReconciliationModule],
  controllers: [EvidenceController],
  providers: [
    EvidenceQueue,
    EvidenceBuilderService,
    EvidenceService,
    BuildEvidenceProcessor,
    OneStopShopEvidence,
    PostalEvidence,
    SectoralEvidence,
    DvcqgEvidence,
    { provide: EVIDENCE_SOURCES, inject: [OneStopShopEvidence, PostalEvidence, SectoralEvidence, DvcqgEvidence], useFactory: (...sources: EvidenceSource[]) => sources },
  ],
  exports: [EvidenceQueue, EvidenceService, EvidenceBuilderService, EVIDENCE_SOURCES],
})
export class EvidenceModule {}
