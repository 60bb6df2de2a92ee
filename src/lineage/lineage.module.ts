import { Module } from '@nestjs/common';
import { LineageController } from './lineage.controller';
import { LineageService } from './lineage.service';

/** Read-only audit trail across scores, evidence, runs and the raw archive. */
@Module({ controllers: [LineageController], providers: [LineageService], exports: [LineageService] })
export class LineageModule {}
