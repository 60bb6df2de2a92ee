import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { PostalReports1764100000000 } from './migrations/1764100000000-postal-reports';
import { Reconciliation1764200000000 } from './migrations/1764200000000-reconciliation';
import { SectorStatistics1764300000000 } from './migrations/1764300000000-sector-statistics';
import { Dvcqg1764400000000 } from './migrations/1764400000000-dvcqg';
import { ScoringInputs1764500000000 } from './migrations/1764500000000-scoring-inputs';
import { ScoreChecks1764600000000 } from './migrations/1764600000000-score-checks';
import { PeriodScores1764700000000 } from './migrations/1764700000000-period-scores';
import { IdentityAndAudit1764800000000 } from './migrations/1764800000000-identity-and-audit';
import { SealedCredentials1764900000000 } from './migrations/1764900000000-sealed-credentials';
import { ManualEvidence1765100000000 } from './migrations/1765100000000-manual-evidence';
import { RejectedFilesAndRunSteps1766200000000 } from './migrations/1766200000000-rejected-files-and-run-steps';
import { QuarantineIdentityAndTriage1766200000001 } from './migrations/1766200000001-quarantine-identity-and-triage';
import { SecurityBindings1766100000000 } from './migrations/1766100000000-security-bindings';
import { ReconciliationItems1766200000002 } from './migrations/1766200000002-reconciliation-items';
import { RunCheckpoints1766300000000 } from './migrations/1766300000000-run-checkpoints';
import { DossierPartitions1766300000001 } from './migrations/1766300000001-dossier-partitions';
import { Qd766Units1766000000000 } from './migrations/1766000000000-qd766-units';
import { TransparencyLog1766600000000 } from './migrations/1766600000000-transparency-log';
import { Appraisal1766700000000 } from './migrations/1766700000000-appraisal';
import { OpenlineageOutbox1766700000001 } from './migrations/1766700000001-openlineage-outbox';
import { SectorAggregation1766400000000 } from './migrations/1766400000000-sector-aggregation';

export const MIGRATIONS = [InitialSchema1764000000000, PostalReports1764100000000, Reconciliation1764200000000, SectorStatistics1764300000000, Dvcqg1764400000000, ScoringInputs1764500000000, ScoreChecks1764600000000, PeriodScores1764700000000, IdentityAndAudit1764800000000, SealedCredentials1764900000000, ManualEvidence1765100000000, Qd766Units1766000000000, SecurityBindings1766100000000, RejectedFilesAndRunSteps1766200000000, QuarantineIdentityAndTriage1766200000001, ReconciliationItems1766200000002, RunCheckpoints1766300000000, DossierPartitions1766300000001, SectorAggregation1766400000000, TransparencyLog1766600000000, Appraisal1766700000000, OpenlineageOutbox1766700000001];

/** Schema comes from migrations only: synchronize is always off. */
export function dataSourceOptions(config: Pick<AppConfig, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>, entities: DataSourceOptions['entities'] = []): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    // par.writer marks the service's own connections: only their inserts are captured by the transparency log
    extra: { max: config.DATABASE_POOL_SIZE, application_name: 'par-evidence-hub', options: '-c par.writer=service' },
  };
}
