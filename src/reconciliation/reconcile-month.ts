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
}

export interface MonthReconciliation {
  matched: number;
  matchedByFallback: number;
  unmatchedWaybillIds: string[];
  unmatchedDossierIds: string[];
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
  const open = new Map(dossiers.map((d) => [d.dossierId, d]));
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
  const unmatchedWaybillIds: string[] = [];
  for (const w of left) {
    const day = w.acceptedAt ? vietnamDay(w.acceptedAt) : null;
    let hit: string | null = null;
    if (day !== null && w.procedureCode !== null) {
      for (const d of open.values()) {
        if (d.procedureCode === w.procedureCode && d.postalDays.includes(day)) {
          hit = d.dossierId;
          break;
        }
      }
    }
    if (hit !== null) {
      open.delete(hit);
      matched++;
      matchedByFallback++;
    } else {
      unmatchedWaybillIds.push(w.waybillId);
    }
  }
  return { matched, matchedByFallback, unmatchedWaybillIds: unmatchedWaybillIds.sort(), unmatchedDossierIds: [...open.keys()].sort() };
}
