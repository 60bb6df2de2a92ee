import { JobsOptions } from 'bullmq';

/**
 * Every queue, job name and payload in one typed catalogue. Job ids are built from business keys so that
 * replicas and retries cannot double work: BullMQ ignores an `add` whose job id already exists.
 * (BullMQ forbids ':' in custom ids, hence '_' separators.)
 */
export const QUEUES = {
  fetch: 'fetch',
  evidence: 'evidence',
  scoring: 'scoring',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobCatalogue {
  fetch: { 'fetch-run': { runId: string } };
  evidence: { 'build-evidence': { provinceCode: string; sourceKind: string } };
  scoring: { 'score-province-year': { provinceCode: string; year: number } };
}

export type JobName<Q extends QueueName> = keyof JobCatalogue[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = JobCatalogue[Q][N];

export const JOB_NAMES = {
  fetchRun: 'fetch-run',
  buildEvidence: 'build-evidence',
  scoreProvinceYear: 'score-province-year',
} as const;

const compact = (d: Date): string => d.toISOString().replace(/[-:.]/g, '');

export const jobIds = {
  /** one fetch job per run; a run is one connector × window (plus a re-run counter) */
  fetchRun: (runId: string): string => `fetch_${runId}`,
  /**
   * Evidence and scoring are debounced by time bucket: every change in one bucket maps to the same job id
   * (deduplicated), which runs after the bucket closes; a change after that lands in the next bucket, so no change
   * is ever left behind by a job that was already running.
   */
  buildEvidence: (provinceCode: string, sourceKind: string, bucket: number): string =>
    `evidence_${provinceCode}_${sourceKind}_${bucket}`,
  scoreProvinceYear: (provinceCode: string, year: number, bucket: number): string =>
    `score_${provinceCode}_${year}_${bucket}`,
};

/** The debounce bucket of an instant and the delay until that bucket closes. */
export function debounceSlot(nowMs: number, debounceMs: number): { bucket: number; delayMs: number } {
  if (debounceMs <= 0) return { bucket: nowMs, delayMs: 0 };
  const bucket = Math.floor(nowMs / debounceMs);
  return { bucket, delayMs: (bucket + 1) * debounceMs - nowMs };
}

/** Named retry presets. Permanent errors bypass them (UnrecoverableError). */
export const RETRY_PRESETS = {
  /** talking to a source system: transient outages can last minutes */
  source: { attempts: 8, backoff: { type: 'exponential', delay: 2000 } },
  /** local computation over PostgreSQL */
  compute: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
} as const satisfies Record<string, Pick<JobsOptions, 'attempts' | 'backoff'>>;
