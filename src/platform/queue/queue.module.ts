import { BeforeApplicationShutdown, Global, Inject, Injectable, Logger, Module, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { ConnectionOptions, Job, JobsOptions, Processor, Queue, Worker, WorkerOptions } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { JobCatalogue, JobName, JobPayload, QUEUES, QueueName } from './queue-catalogue';

/** Redis connection options from REDIS_URL (each BullMQ queue and worker opens its own connection from these). */
export function redisConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname && url.pathname !== '/' ? Number(url.pathname.slice(1)) : undefined,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // workers block on Redis: BullMQ requires this to be null
    maxRetriesPerRequest: null,
  };
}

export type TypedJob<Q extends QueueName, N extends JobName<Q>> = Job<JobPayload<Q, N>, unknown, N>;

/**
 * Producers and workers of the three queues. Every job kept after it finishes is bounded by count and age;
 * run history lives in PostgreSQL, not in Redis. Workers are created only by the roles that process jobs.
 */
@Injectable()
export class QueueService implements OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(QueueService.name);
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private closing = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: redisConnection(this.config.REDIS_URL),
        prefix: this.config.QUEUE_PREFIX,
        defaultJobOptions: {
          removeOnComplete: { count: this.config.JOB_RETENTION_COUNT, age: this.config.JOB_RETENTION_SECONDS },
          removeOnFail: { count: this.config.JOB_RETENTION_COUNT, age: this.config.JOB_RETENTION_SECONDS },
        },
      });
      queue.on('error', (error) => this.logger.warn({ queue: name, err: error.message }, 'queue connection error'));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Adds a typed job. With a `jobId` the add is idempotent: BullMQ ignores an id that already exists. */
  async add<Q extends QueueName, N extends JobName<Q>>(
    queue: Q,
    name: N,
    payload: JobCatalogue[Q][N],
    options: JobsOptions & { jobId: string },
  ): Promise<void> {
    await this.queue(queue).add(name, payload, options);
  }

  /** Starts a worker on `queue`; stopped (current jobs finished or released) at shutdown. */
  startWorker(queue: QueueName, processor: Processor, options: Partial<WorkerOptions> = {}): Worker {
    const worker = new Worker(queue, processor, {
      connection: redisConnection(this.config.REDIS_URL),
      prefix: this.config.QUEUE_PREFIX,
      concurrency: this.config.WORKER_CONCURRENCY,
      lockDuration: this.config.JOB_LOCK_MS,
      stalledInterval: Math.max(1000, Math.floor(this.config.JOB_LOCK_MS / 2)),
      // a killed worker leaves its job stalled; it is taken over, not failed, unless it keeps killing workers
      maxStalledCount: 5,
      ...options,
    });
    worker.on('error', (error) => this.logger.warn({ queue, err: error.message }, 'worker error'));
    worker.on('failed', (job, error) =>
      this.logger.warn({ queue, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'job failed'),
    );
    this.workers.push(worker);
    return worker;
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Readiness: a round trip to Redis. */
  async ping(): Promise<void> {
    const client = (await this.queue(QUEUES.fetch).client) as unknown as { ping(): Promise<string> };
    await client.ping();
  }

  onModuleDestroy(): void {
    // running jobs see this and stop at their next checkpoint (see the fetch processor)
    this.closing = true;
  }

  /** Before the database closes: stop taking jobs and wait for the running ones to finish or be released. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.close().catch(() => undefined)));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}

@Global()
@Module({ providers: [QueueService], exports: [QueueService] })
export class QueueModule {}
