/**
 * Counting rules: how normalised one-stop-shop rows become evidence metrics (numerator / denominator) for a
 * Vietnam-time period. Pure functions, no I/O. The same rules are mirrored in SQL, so each rule is kept to one
 * explicit predicate over NormalisedDossier / NormalisedProcedure fields, written down next to the code.
 *
 * Input assumptions
 * - One row per dossier (dossierId): the newest version (highest sourceUpdatedAt) only. Likewise one row per
 *   procedure of the catalogue.
 * - All rows belong to the province being counted (the caller filters by provinceCode).
 * - Periods are half-open instant ranges [start, end) built from Vietnam-time wall clocks (see vietnam-time.ts),
 *   so "received in the period" is `start <= receivedAt < end`, with receivedAt the NgayTiepNhan instant.
 *
 * Definitions used below (SQL: `LEAST` ignores NULLs in PostgreSQL)
 * - finishedAt = the earliest non-null of processedAt (NgayKetThucXuLy) and returnedAt (NgayTra): Decision 766
 *   ends the clock at the first of "processed", "result returned", "stopped or refused".
 *   SQL: `LEAST(processed_at, returned_at)`.
 * - asOf = min(period.end, now) (see asOfFor): the instant at which unfinished dossiers are judged.
 *   A dossier is finished as of asOf when `finishedAt IS NOT NULL AND finishedAt < asOf` (half-open, like the
 *   period itself); otherwise it is unfinished at asOf.
 * - deadline = dueAt (NgayHenTra) + supplementPauseSeconds when supplementCount = 1 (one supplement request
 *   stops the clock), else dueAt. SQL: `due_at + make_interval(secs => CASE WHEN supplement_count = 1 THEN
 *   supplement_pause_seconds ELSE 0 END)`.
 *
 * Decision 766 sub-indicator 2.1 (confidence R, see the domain notes): on-time rate =
 * (finished on time + in progress within the deadline) / dossiers received or handled in the period, with an
 * unfinished dossier judged at the end of the period. So an unfinished dossier that is not yet due ('pending')
 * counts as on time, in the numerator and the denominator.
 */
import { NormalisedDossier, NormalisedProcedure } from './records/dossier.record';
import { ONE_STOP_SHOP_RULE_VERSION } from '../scoring/metric-catalogue';

/** Stamped on every evidence record computed with these rules; equal to ONE_STOP_SHOP_RULE_VERSION. */
export const COUNTING_RULE_VERSION: typeof ONE_STOP_SHOP_RULE_VERSION = ONE_STOP_SHOP_RULE_VERSION;

/** TrangThaiHoSo values (contract / domain vocabulary). */
export const DOSSIER_STATUS = {
  NEWLY_REGISTERED: 1,
  ACCEPTED: 2,
  NOT_ACCEPTED: 3,
  IN_PROGRESS: 4,
  SUPPLEMENT_REQUESTED: 5,
  AWAITING_FEE_PAYMENT: 6,
  WITHDRAWN: 7,
  PROCESSING_STOPPED: 8,
  PROCESSED: 9,
  RESULT_RETURNED: 10,
} as const;

/** Statuses left out of the on-time rate: not accepted (3) and withdrawn by the citizen (7). */
export const ON_TIME_EXCLUDED_STATUSES: readonly number[] = [DOSSIER_STATUS.NOT_ACCEPTED, DOSSIER_STATUS.WITHDRAWN];

/** KenhThucHien */
export const CHANNEL = { IN_PERSON: 1, ONLINE: 2, POSTAL: 3 } as const;
/** HinhThuc */
export const RESULT_DELIVERY = { IN_PERSON: 0, POSTAL: 1 } as const;
/** MucDo */
export const ONLINE_LEVEL = { INFORMATION: 2, PARTLY_ONLINE: 3, FULLY_ONLINE: 4 } as const;

export const DOSSIER_METRIC_CODES = [
  'dossier.on_time_rate',
  'dossier.on_time_rate.province_level',
  'dossier.on_time_rate.commune_level',
  'dossier.online_submission_rate',
  'dossier.postal_submission_rate',
  'dossier.postal_result_rate',
  'dossier.online_payment_rate',
  'dossier.digitisation_rate',
] as const;
export const PROCEDURE_METRIC_CODES = ['procedure.fully_online_share'] as const;

export type DossierMetricCode = (typeof DOSSIER_METRIC_CODES)[number];
export type ProcedureMetricCode = (typeof PROCEDURE_METRIC_CODES)[number];
export type MetricCode = DossierMetricCode | ProcedureMetricCode;

/** A counted metric. denominator is null when there is nothing to count ("missing is not zero"), never 0. */
export interface MetricCount {
  numerator: number;
  denominator: number | null;
}

export interface CountingPeriod {
  /** inclusive instant */
  start: Date;
  /** exclusive instant */
  end: Date;
}

export type OnTimeStatus = 'on_time' | 'late' | 'pending' | 'excluded';

/** The instant unfinished dossiers are judged at: the end of the period, or now while the period is open. */
export function asOfFor(period: { end: Date }, now: Date): Date {
  return new Date(Math.min(period.end.getTime(), now.getTime()));
}

/** numerator / denominator, or null when the denominator is null or 0 (no data). */
export function ratio(numerator: number, denominator: number | null): number | null {
  if (denominator === null || denominator === 0) return null;
  return numerator / denominator;
}

/** LEAST(processedAt, returnedAt), ignoring nulls: when the clock stopped. */
export function finishedAt(d: NormalisedDossier): Date | null {
  const p = d.processedAt;
  const r = d.returnedAt;
  if (p === null) return r;
  if (r === null) return p;
  return p.getTime() <= r.getTime() ? p : r;
}

/** dueAt extended by the pause of the only supplement request; null when there is no promised date. */
export function deadlineOf(d: NormalisedDossier): Date | null {
  if (d.dueAt === null) return null;
  const pauseMs = d.supplementCount === 1 ? d.supplementPauseSeconds * 1000 : 0;
  return new Date(d.dueAt.getTime() + pauseMs);
}

/**
 * On-time status of one dossier as of `asOf` (Decision 766, sub-indicator 2.1). Checked in this order:
 * 1. 'excluded' when status ∈ {3 not accepted, 7 withdrawn}, or when dueAt is null (no promised date: the
 *    procedure's legal maximum duration, which DVCQG would use instead, is not in the data).
 * 2. 'late' when supplementCount ≥ 2 (a second supplement request makes the dossier overdue).
 * 3. finished as of asOf (finishedAt < asOf): 'on_time' when finishedAt ≤ deadline, else 'late'
 *    (finishing exactly at the promised time is on time).
 * 4. unfinished, status = 5 (supplement requested, at most one request): 'pending' (the clock is stopped).
 * 5. unfinished: 'pending' when asOf ≤ deadline (within the deadline), else 'late' (past due, unfinished).
 * The status and supplement count are those of the newest version of the dossier.
 */
export function onTimeStatus(d: NormalisedDossier, asOf: Date): OnTimeStatus {
  if (ON_TIME_EXCLUDED_STATUSES.includes(d.status)) return 'excluded';
  const deadline = deadlineOf(d);
  if (deadline === null) return 'excluded';
  if (d.supplementCount >= 2) return 'late';
  const end = finishedAt(d);
  if (end !== null && end.getTime() < asOf.getTime()) {
    return end.getTime() <= deadline.getTime() ? 'on_time' : 'late';
  }
  if (d.status === DOSSIER_STATUS.SUPPLEMENT_REQUESTED) return 'pending';
  return asOf.getTime() <= deadline.getTime() ? 'pending' : 'late';
}

/** received in the period: start ≤ receivedAt < end. */
export function receivedInPeriod(d: NormalisedDossier, period: CountingPeriod): boolean {
  const t = d.receivedAt.getTime();
  return t >= period.start.getTime() && t < period.end.getTime();
}

/**
 * Received or handled in the period (the on-time rate's population, "kỳ trước chuyển qua + tiếp nhận trong
 * kỳ"): received before the period ends and not finished before it starts:
 * receivedAt < end AND (finishedAt IS NULL OR finishedAt ≥ start).
 */
export function handledInPeriod(d: NormalisedDossier, period: CountingPeriod): boolean {
  if (d.receivedAt.getTime() >= period.end.getTime()) return false;
  const end = finishedAt(d);
  return end === null || end.getTime() >= period.start.getTime();
}

interface Tally {
  numerator: number;
  denominator: number;
}

const tally = (): Tally => ({ numerator: 0, denominator: 0 });

/** A tally with nothing counted becomes a null denominator: no data, not zero. */
const toCount = (t: Tally): MetricCount => ({
  numerator: t.numerator,
  denominator: t.denominator === 0 ? null : t.denominator,
});

/**
 * Counts the dossier metrics of one province for one period. `asOf` is normally asOfFor(period, now).
 *
 * Period membership
 * - dossier.on_time_rate*: received or handled in the period (handledInPeriod): receivedAt < period.end AND
 *   (finishedAt IS NULL OR finishedAt ≥ period.start). A dossier received in one period and finished in the
 *   next counts in both: unfinished (judged at the first period's end), then finished.
 * - every other dossier metric: received in the period (receivedInPeriod): period.start ≤ receivedAt < period.end.
 */
export function countDossierMetrics(
  dossiers: Iterable<NormalisedDossier>,
  period: CountingPeriod,
  asOf: Date,
): Record<DossierMetricCode, MetricCount> {
  const onTime = tally();
  const onTimeProvince = tally();
  const onTimeCommune = tally();
  const online = tally();
  const postal = tally();
  const postalResult = tally();
  const payment = tally();
  const digitised = tally();

  for (const d of dossiers) {
    if (handledInPeriod(d, period)) {
      const status = onTimeStatus(d, asOf);
      if (status !== 'excluded') {
        // dossier.on_time_rate
        //   numerator:   onTimeStatus ∈ {on_time, pending}
        //   denominator: onTimeStatus ≠ excluded (status NOT IN (3, 7) AND dueAt IS NOT NULL)
        // .province_level / .commune_level: the same, AND handlingLevel = 'TINH' / 'XA'
        // (a dossier with no handlingLevel counts in the overall rate only).
        const hit = status === 'on_time' || status === 'pending' ? 1 : 0;
        onTime.denominator++;
        onTime.numerator += hit;
        if (d.handlingLevel === 'TINH') {
          onTimeProvince.denominator++;
          onTimeProvince.numerator += hit;
        } else if (d.handlingLevel === 'XA') {
          onTimeCommune.denominator++;
          onTimeCommune.numerator += hit;
        }
      }
    }

    if (!receivedInPeriod(d, period)) continue;

    // dossier.online_submission_rate
    //   numerator:   channel = 2 (KenhThucHien online)
    //   denominator: every dossier received in the period (all statuses)
    online.denominator++;
    if (d.channel === CHANNEL.ONLINE) online.numerator++;

    // dossier.postal_submission_rate
    //   numerator:   channel = 3 (KenhThucHien public postal service)
    //   denominator: every dossier received in the period (all statuses)
    postal.denominator++;
    if (d.channel === CHANNEL.POSTAL) postal.numerator++;

    // dossier.postal_result_rate
    //   numerator:   resultDelivery = 1 (HinhThuc by post)
    //   denominator: resultDelivery IS NOT NULL (HinhThuc given, 0 or 1)
    if (d.resultDelivery !== null) {
      postalResult.denominator++;
      if (d.resultDelivery === RESULT_DELIVERY.POSTAL) postalResult.numerator++;
    }

    // dossier.online_payment_rate
    //   numerator:   hasFee AND onlinePaymentChannel IN (1, 2) (DuocThanhToanTrucTuyen: DVCQG or local portal)
    //   denominator: hasFee (DanhSachLePhi with a total Gia > 0)
    if (d.hasFee) {
      payment.denominator++;
      if (d.onlinePaymentChannel === 1 || d.onlinePaymentChannel === 2) payment.numerator++;
    }

    // dossier.digitisation_rate
    //   numerator:   digitised (HoSoCoThanhPhanSoHoa = 1)
    //   denominator: every dossier received in the period (all statuses)
    digitised.denominator++;
    if (d.digitised) digitised.numerator++;
  }

  return {
    'dossier.on_time_rate': toCount(onTime),
    'dossier.on_time_rate.province_level': toCount(onTimeProvince),
    'dossier.on_time_rate.commune_level': toCount(onTimeCommune),
    'dossier.online_submission_rate': toCount(online),
    'dossier.postal_submission_rate': toCount(postal),
    'dossier.postal_result_rate': toCount(postalResult),
    'dossier.online_payment_rate': toCount(payment),
    'dossier.digitisation_rate': toCount(digitised),
  };
}

/**
 * Counts the procedure metrics of one province from its current procedures catalogue (one row per procedure;
 * the catalogue is a snapshot, not period-bound).
 *
 * procedure.fully_online_share
 *   numerator:   onlineLevel = 4 (MucDo fully online, toàn trình)
 *   denominator: every procedure of the province in the catalogue (including MucDo missing)
 */
export function countProcedureMetrics(
  procedures: Iterable<NormalisedProcedure>,
): Record<ProcedureMetricCode, MetricCount> {
  const fullyOnline = tally();
  for (const p of procedures) {
    fullyOnline.denominator++;
    if (p.onlineLevel === ONLINE_LEVEL.FULLY_ONLINE) fullyOnline.numerator++;
  }
  return { 'procedure.fully_online_share': toCount(fullyOnline) };
}
