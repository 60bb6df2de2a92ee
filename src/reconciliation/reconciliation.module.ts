import { Module } from '@nestjs/common';
import { ReconciliationService } from './reconciliation.service';

/** Data-quality findings across sources (postal waybills × one-stop-shop dossiers). */
@Module({ providers: [ReconciliationService], exports: [ReconciliationService] })
export class ReconciliationModule {}
