import { Module } from '@nestjs/common';
import { EvidenceModule } from '../evidence/evidence.module';
import { ScoringModule } from '../scoring/scoring.module';
import { RecomputeController } from './recompute.controller';
import { RecomputeService } from './recompute.service';

/** Deterministic recompute: on top of connectors' parsers, evidence sources and scoring (nothing imports it). */
@Module({
  imports: [EvidenceModule, ScoringModule],
  controllers: [RecomputeController],
  providers: [RecomputeService],
  exports: [RecomputeService],
})
export class RecomputeModule {}
