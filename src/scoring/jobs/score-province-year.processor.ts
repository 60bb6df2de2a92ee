import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Job } from 'bullmq';
import { AppConfig, hasRole } from '../../platform/config/app-config';
import { APP_CONFIG } from '../../platform/config/config.module';
import { QueueService } from '../../platform/queue/queue.module';
import { JobPayload, QUEUES } from '../../platform/queue/queue-catalogue';
import { ScoringQueue } from '../scoring.queue';
import { ScoringService } from '../scoring.service';

/** Worker role: scores province-years. Scheduler role: re-requests scoring whose outbox rows waited too long. */
@Injectable()
export class ScoreProvinceYearProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueService,
    private readonly scoring: ScoringService,
    private readonly scoringQueue: ScoringQueue,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (hasRole(this.config, 'worker')) {
      this.queues.startWorker(QUEUES.scoring, (job: Job<JobPayload<'scoring', 'score-province-year'>>) =>
        this.scoring.score(job.data.provinceCode, job.data.year),
      );
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
