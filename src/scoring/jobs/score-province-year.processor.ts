import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Job } from 'bullmq';
import { AppConfig, hasRole } from '../../platform/config/app-config';
import { APP_CONFIG } from '../../platform/config/config.module';
import { QueueService } from '../../platform/queue/queue.module';
import { JobPayload, QUEUES } from '../../platform/queue/queue-catalogue';
import { ScoringQueue } from '../scoring.queue';
import { ScoringService } from '../scoring.service';
import { TransparencyLogService } from '../../ledger/transparency-log.service';
import { logCatalogueVersions } from '../catalogue-watcher.service';
import { ScoringCatalogue } from '../catalogue';
import { SCORING_CATALOGUES } from '../scoring-catalogues.provider';

/** Worker role: scores province-years, then logs them and signs a checkpoint. Scheduler role: re-requests scoring whose outbox rows waited too long. */
@Injectable()
export class ScoreProvinceYearProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueService,
    private readonly scoring: ScoringService,
    private readonly scoringQueue: ScoringQueue,
    private readonly registry: SchedulerRegistry,
    private readonly ledger: TransparencyLogService,
    @Inject(SCORING_CATALOGUES) private readonly catalogues: ScoringCatalogue[],
  ) {}

  onApplicationBootstrap(): void {
    if (hasRole(this.config, 'worker')) {
      this.queues.startWorker(QUEUES.scoring, async (job: Job<JobPayload<'scoring', 'score-province-year'>>) => {
        const result = await this.scoring.score(job.data.provinceCode, job.data.year);
        // the batch's facts (captured with the scores) go into the log, and a checkpoint is signed over them
        if (result.newVersions > 0) {
          await logCatalogueVersions(this.ledger, this.catalogues);
          await this.ledger.appendPending();
          await this.ledger.checkpoint('if-grown');
        }
        return result;
      });
    }
    if (hasRole(this.config, 'scheduler')) {
      this.registry.addInterval(
        'scoring-outbox-sweep',
        setInterval(() => void this.sweep().catch(() => undefined), Math.max(this.config.SCHEDULER_TICK_MS, 1000)),
      );
    }
  }

  async sweep(): Promise<number> {
    const stale = await this.scoring.staleOutbox(this.config.OUTBOX_SWEEP_AFTER_MS);
    for (const s of stale) await this.scoringQueue.requestScoring(s.provinceCode, s.year);
    return stale.length;
  }
}
