import { toVietnamWallClock, vietnamWallClockToDate } from '../platform/time/vietnam-time';

/**
 * Options every connector kind understands, next to its own (same `options` object):
 * - `lagSeconds`: a run for a slot at S covers source changes up to S − lag (sources commit late);
 * - `initialSyncFrom`: where the first run of a new connector starts (ISO date, read as Vietnam time);
 * - `backfillChunkDays`: a backfill is split into runs of at most this many days.
 */
export interface FrameworkOptions {
  lagSeconds: number;
  initialSyncFrom: Date;
  backfillChunkDays: number;
}

export const FRAMEWORK_OPTION_KEYS = ['lagSeconds', 'initialSyncFrom', 'backfillChunkDays'] as const;

/** Default first sync: 1 January of the previous year, Vietnam time (the PAR INDEX scores the previous year). */
export function defaultInitialSyncFrom(now: Date): Date {
  return vietnamWallClockToDate(toVietnamWallClock(now).year - 1, 1, 1) as Date;
}

export function readFrameworkOptions(raw: Record<string, unknown>, now: Date = new Date()): { options: FrameworkOptions; errors: string[] } {
  const errors: string[] = [];
  const options: FrameworkOptions = { lagSeconds: 300, initialSyncFrom: defaultInitialSyncFrom(now), backfillChunkDays: 31 };
  if (raw.lagSeconds !== undefined) {
    const v = raw.lagSeconds;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 7 * 86400) errors.push('options.lagSeconds must be a whole number of seconds from 0 to 604800');
    else options.lagSeconds = v;
  }
  if (raw.backfillChunkDays !== undefined) {
    const v = raw.backfillChunkDays;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 366) errors.push('options.backfillChunkDays must be a whole number from 1 to 366');
    else options.backfillChunkDays = v;
  }
  if (raw.initialSyncFrom !== undefined) {
    const v = raw.initialSyncFrom;
    const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
    const date = m ? vietnamWallClockToDate(Number(m[1]), Number(m[2]), Number(m[3])) : null;
    if (!date) errors.push('options.initialSyncFrom must be a date written YYYY-MM-DD (Vietnam time)');
    else options.initialSyncFrom = date;
  }
  return { options, errors };
}

/** The options a kind sees: its own, without the framework's. */
export function kindOptions(raw: Record<string, unknown>): Record<string, unknown> {
  const own = { ...raw };
  for (const key of FRAMEWORK_OPTION_KEYS) delete own[key];
  return own;
}
