import { Module } from '@nestjs/common';
import { RawArchiveController } from './raw-archive.controller';
import { RawArchiveService } from './raw-archive.service';

@Module({ controllers: [RawArchiveController], providers: [RawArchiveService], exports: [RawArchiveService] })
export class RawArchiveModule {}
