import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Job } from 'bullmq';
import { AppConfig, hasRole } from '../../platform/config/app-config';
import { APP_CONFIG } from '../../platform/config/config.module';
import { QueueService } from '../../platform/queue/queue.module';
import { JobPayload, QUEUES } from '../../platform/queue/queue-catalogue';
import { EvidenceBuilderService } from '../evidence-builder.service';
import { EvidenceQueue } from '../evidence.queue';

/** Worker role: builds evidence. Scheduler role: re-requests builds whose outbox rows waited too long. */
@Injectable()
export class BuildEvidenceProcessor implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueService,
    private readonly builder: EvidenceBuilderService,
    private readonly evidenceQueue: EvidenceQueue,
    private readonly registry: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (hasRole(this.config, 'worker')) {
      this.queues.startWorker(QUEUES.evidence, async (job: Job<JobPayload<'evidence', 'build-evidence'>>) => {
        const result = await this.builder.build(job.data.provinceCode, job.data.sourceKind);
        return result;
      });
    }
    if (hasRole(this.config, 'scheduler')) {
      this.registry.addInterval(
        'evidence-outbox-sweep',
        setInterval(() => void this.sweep().catch(() => undefined), Math.max(this.config.SCHEDULER_TICK_MS, 1000)),
      );
    }
  }

  async sweep(): Promise<number> {
    const stale = await this.builder.staleOutbox(this.config.OUTBOX_SWEEP_AFTER_MS);
    for (const s of stale) await this.evidenceQueue.requestBuild(s.provinceCode, s.sourceKind);
    return stale.length;
  }
}
