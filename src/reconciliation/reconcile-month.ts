import { toVietnamWallClock } from '../platform/time/vietnam-time';

export type Direction = 'submission' | 'result';

export interface WaybillSide {
  waybillId: string;
  dossierId: string | null;
  procedureCode: string | null;
  acceptedAt: Date | null;
}

export interface DossierSide {
  dossierId: string;
  procedureCode: string | null;
  /** the day the dossier met the post: received (submission) or processed / returned (result) */
  postalDays: string[];
  /** the dossier's date shown in the lists: received (submission) or returned (result) */
  date: Date | null;
}

export type ItemReason =
  | 'NO_WAYBILL' // a postal dossier of the month without a waybill
  | 'WAYBILL_WITHOUT_DOSSIER_ID' // a waybill with a blank Mã hồ sơ that matched no dossier of its procedure and day
  | 'DOSSIER_NOT_FOUND' // a waybill naming a dossier that is not among the month's postal dossiers
  | 'DOSSIER_ALREADY_MATCHED' // a second waybill naming a dossier another waybill matched
  | 'MATCHED_BY_PROCEDURE_AND_DAY'; // matched without the dossier id: same procedure, same day

/** One line of a finding's lists: both sides' ids and dates (null where a side is missing) and the reason. */
export interface ReconciliationItem {
  reason: ItemReason;
  waybillId: string | null;
  /** the Mã hồ sơ written on the waybill */
  waybillDossierId: string | null;
  waybillDate: string | null;
  dossierId: string | null;
  dossierDate: string | null;
}

export interface MonthReconciliation {
  matched: number;
  matchedByFallback: number;
  unmatchedWaybillIds: string[];
  unmatchedDossierIds: string[];
  /** unmatched waybills, unmatched dossiers and fallback matches, sorted by reason then ids */
  items: ReconciliationItem[];
}

/** yyyy-MM-dd in Vietnam time */
export function vietnamDay(date: Date): string {
  const w = toVietnamWallClock(date);
  return `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/**
 * Matches one month's waybills of one direction against the one-stop-shop dossiers that should have one
 * (submission: KenhThucHien = 3; result: HinhThuc = 1). First by dossier id (MaHoSo); then, for waybills left
 * over, by procedure code and day (the waybill's acceptance day equals the dossier's postal day). Each dossier
 * matches at most one waybill; a second waybill naming an already matched dossier stays unmatched.
 * Pure; the lists come back sorted.
 */
export function reconcileMonth(waybills: WaybillSide[], dossiers: DossierSide[]): MonthReconciliation {
  const all = new Map(dossiers.map((d) => [d.dossierId, d]));
  const open = new Map(all);
  let matched = 0;
  let matchedByFallback = 0;
  const left: WaybillSide[] = [];
  for (const w of [...waybills].sort((a, b) => a.waybillId.localeCompare(b.waybillId))) {
    if (w.dossierId !== null && open.has(w.dossierId)) {
      open.delete(w.dossierId);
      matched++;
    } else {
      left.push(w);
    }
  }
  const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
  const items: ReconciliationItem[] = [];
  const unmatchedWaybillIds: string[] = [];
  for (const w of left) {
    const day = w.acceptedAt ? vietnamDay(w.acceptedAt) : null;
    let hit: DossierSide | null = null;
    if (day !== null && w.procedureCode !== null) {
      for (const d of open.values()) {
        if (d.procedureCode === w.procedureCode && d.postalDays.includes(day)) {
          hit = d;
          break;
        }
      }
    }
    const waybill = { waybillId: w.waybillId, waybillDossierId: w.dossierId, waybillDate: iso(w.acceptedAt) };
    if (hit !== null) {
      open.delete(hit.dossierId);
      matched++;
      matchedByFallback++;
      items.push({ reason: 'MATCHED_BY_PROCEDURE_AND_DAY', ...waybill, dossierId: hit.dossierId, dossierDate: iso(hit.date) });
    } else {
      unmatchedWaybillIds.push(w.waybillId);
      const named = w.dossierId === null ? undefined : all.get(w.dossierId);
      const reason: ItemReason = w.dossierId === null ? 'WAYBILL_WITHOUT_DOSSIER_ID' : named ? 'DOSSIER_ALREADY_MATCHED' : 'DOSSIER_NOT_FOUND';
      items.push({ reason, ...waybill, dossierId: named?.dossierId ?? null, dossierDate: iso(named?.date ?? null) });
    }
  }
  for (const d of open.values()) {
    items.push({ reason: 'NO_WAYBILL', waybillId: null, waybillDossierId: null, waybillDate: null, dossierId: d.dossierId, dossierDate: iso(d.date) });
  }
  const key = (i: ReconciliationItem): string => `${i.reason}|${i.waybillId ?? ''}|${i.dossierId ?? ''}`;
  items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { matched, matchedByFallback, unmatchedWaybillIds: unmatchedWaybillIds.sort(), unmatchedDossierIds: [...open.keys()].sort(), items };
}
