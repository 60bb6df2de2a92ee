import { resolve } from 'node:path';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { ScoringCatalogue, loadCatalogues } from './catalogue';

export const SCORING_CATALOGUES = Symbol('SCORING_CATALOGUES');

/** Catalogues are loaded and validated at start: a bad file stops start-up with the file and field named. */
export const scoringCataloguesProvider = {
  provide: SCORING_CATALOGUES,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig): ScoringCatalogue[] => loadCatalogues(resolve(config.CATALOGUE_DIR)),
};

/** How a catalogue is named on a score: id and version. */
export const catalogueKey = (c: ScoringCatalogue): string => `${c.id}@${c.version}`;
