import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EvidenceModule } from '../evidence/evidence.module';
import { RawArchiveModule } from '../raw-archive/raw-archive.module';
import { CONNECTOR_KINDS, ConnectorKind } from './connector-kind';
import { ConnectorKindRegistry } from './connector-kind.registry';
import { ConnectorKindsController } from './connector-kinds.controller';
import { ConnectorEntity } from './connector.entity';
import { ConnectorsController, RunsController } from './connectors.controller';
import { ConnectorsService } from './connectors.service';
import { ConnectorCredentialsService } from './credentials/connector-credentials.service';
import { OneStopShopConnector } from './one-stop-shop/one-stop-shop.connector';
import { OpenLineageController } from './openlineage/openlineage.controller';
import { OpenLineageService } from './openlineage/openlineage.service';
import { QuarantineController } from './quarantine/quarantine.controller';
import { QuarantineTriageController } from './quarantine/quarantine-triage.controller';
import { QuarantineTriageService } from './quarantine/quarantine-triage.service';
import { ConnectorRunEntity } from './runs/connector-run.entity';
import { FetchRunProcessor } from './runs/fetch-run.processor';
import { RunsService } from './runs/runs.service';
import { ConnectorSchedulerService } from './scheduling/connector-scheduler.service';
import { VnpostBcciConnector } from './vnpost-bcci/vnpost-bcci.connector';
import { DeclarativeRestConnector, DocumentManagementConnector } from './declarative-rest/declarative-rest.connector';
import { DvcqgEvaluationConnector } from './dvcqg/dvcqg-evaluation.connector';

/** Connector instances, their runs and schedule, and the kinds of source this build can talk to. */
@Module({
  imports: [TypeOrmModule.forFeature([ConnectorEntity, ConnectorRunEntity]), EvidenceModule, RawArchiveModule],
  controllers: [ConnectorsController, RunsController, QuarantineTriageController, QuarantineController, OpenLineageController, ConnectorKindsController],
  providers: [
    QuarantineTriageService,
    OneStopShopConnector,
    VnpostBcciConnector,
    DeclarativeRestConnector,
    DocumentManagementConnector,
    DvcqgEvaluationConnector,
    {
      provide: CONNECTOR_KINDS,
      inject: [OneStopShopConnector, VnpostBcciConnector, DeclarativeRestConnector, DocumentManagementConnector, DvcqgEvaluationConnector],
      useFactory: (...kinds: ConnectorKind[]) => kinds,
    },
    ConnectorKindRegistry,
    ConnectorCredentialsService,
    ConnectorsService,
    RunsService,
    FetchRunProcessor,
    OpenLineageService,
    ConnectorSchedulerService,
  ],
  exports: [ConnectorsService, RunsService],
})
export class ConnectorsModule {}
