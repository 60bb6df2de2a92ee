import { Module } from '@nestjs/common';
import { LedgerModule } from '../ledger/ledger.module';
import { CatalogueWatcherService } from './catalogue-watcher.service';
import { CataloguesController } from './catalogues.controller';
import { ImportsController } from './imports/imports.controller';
import { ScenariosController } from './scenarios/scenarios.controller';
import { SCENARIO_FILES, ScenariosService } from './scenarios/scenarios.service';
import { loadScenarioFiles } from './scenarios/scenario-files';
import { resolve } from 'node:path';
import { ImportsService } from './imports/imports.service';
import { ManualEvidenceController } from './manual-evidence/manual-evidence.controller';
import { ManualEvidenceService } from './manual-evidence/manual-evidence.service';
import { ScoreProvinceYearProcessor } from './jobs/score-province-year.processor';
import { ScorecardService } from './scorecard.service';
import { SCORING_CATALOGUES, scoringCataloguesProvider } from './scoring-catalogues.provider';
import { ResultsController, ScoringController } from './scoring.controller';
import { ScoringQueue } from './scoring.queue';
import { ScoringService } from './scoring.service';
import { Qd766BoardService } from './qd766/qd766-board.service';
import { Qd766Controller } from './qd766/qd766.controller';

/** Scores of sub-criteria from catalogues in config/, versioned, with the evidence they used. */
@Module({
  imports: [LedgerModule],
  controllers: [ScoringController, ResultsController, ImportsController, ScenariosController, ManualEvidenceController, Qd766Controller, CataloguesController],
  providers: [scoringCataloguesProvider, ScoringQueue, ScoringService, ScorecardService, ScoreProvinceYearProcessor, ImportsService, CatalogueWatcherService, ScenariosService, ManualEvidenceService, Qd766BoardService,
    { provide: SCENARIO_FILES, useFactory: () => loadScenarioFiles(resolve('config', 'scenarios')) },
  ],
  exports: [ScoringQueue, ScoringService, ScorecardService, SCORING_CATALOGUES],
})
export class ScoringModule {}
