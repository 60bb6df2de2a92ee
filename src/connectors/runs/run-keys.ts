/**
 * Business keys of runs. A run's `job_id` is unique in PostgreSQL and is also its BullMQ job id, so a slot,
 * a backfill chunk or a "run now" request can never start two jobs, whichever replica asks.
 * (BullMQ forbids ':' in custom ids, hence '_' separators.)
 */
const compact = (d: Date): string => d.toISOString().replace(/[-:.]/g, '');

export const runKeys = {
  scheduled: (connectorId: string, slotAt: Date): string => `sched_${connectorId}_${compact(slotAt)}`,
  backfill: (connectorId: string, from: Date, to: Date): string => `backfill_${connectorId}_${compact(from)}_${compact(to)}`,
  manual: (connectorId: string, to: Date): string => `manual_${connectorId}_${compact(to)}`,
  /** a finished run asked again (same window) gets a fresh key */
  again: (key: string, now: Date): string => `${key}_again${now.getTime()}`,
};
