import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { QueueService } from '../platform/queue/queue.module';
import { JOB_NAMES, QUEUES, RETRY_PRESETS, debounceSlot, jobIds } from '../platform/queue/queue-catalogue';

/** Asks for a province-year to be scored again; requests within one debounce bucket collapse into one job. */
@Injectable()
export class ScoringQueue {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueService,
  ) {}

  async requestScoring(provinceCode: string, year: number, now = Date.now()): Promise<void> {
    const { bucket, delayMs } = debounceSlot(now, this.config.SCORING_DEBOUNCE_MS);
    await this.queues.add(
      QUEUES.scoring,
      JOB_NAMES.scoreProvinceYear,
      { provinceCode, year },
      { jobId: jobIds.scoreProvinceYear(provinceCode, year, bucket), delay: delayMs, ...RETRY_PRESETS.compute },
    );
  }
}
