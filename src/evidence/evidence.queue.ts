import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { QueueService } from '../platform/queue/queue.module';
import { JOB_NAMES, QUEUES, RETRY_PRESETS, debounceSlot, jobIds } from '../platform/queue/queue-catalogue';

/**
 * Asks for evidence to be rebuilt for a province and source. What is stale is already recorded in the
 * evidence outbox (written with the data); this only makes sure a job will look at it soon. Requests within one
 * debounce bucket collapse into one job.
 */
@Injectable()
export class EvidenceQueue {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueService,
  ) {}

  async requestBuild(provinceCode: string, sourceKind: string, now = Date.now()): Promise<void> {
    const { bucket, delayMs } = debounceSlot(now, this.config.EVIDENCE_DEBOUNCE_MS);
    await this.queues.add(
      QUEUES.evidence,
      JOB_NAMES.buildEvidence,
      { provinceCode, sourceKind },
      { jobId: jobIds.buildEvidence(provinceCode, sourceKind, bucket), delay: delayMs, ...RETRY_PRESETS.compute },
    );
  }
}
