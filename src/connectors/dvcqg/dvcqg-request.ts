import { Period, parsePeriodKey, periodsOf, toVietnamWallClock } from '../../platform/time/vietnam-time';
import { periodsInWindow } from '../declarative-rest/periods';
import { DEFAULT_PAGE_SIZE, DvcqgEndpoint, DvcqgPeriodKind } from './dvcqg.options';

export const EVALUATION_PATH = '/api/v1/reporting/evaluation/';
export const FORMALITIES_PATH = '/api/v1/reporting/formalities';

/**
 * The periods a run asks for (Vietnam time), years first, then quarters, then months, each oldest first:
 * - every closed period that overlaps the window [from, to);
 * - with `running` (default), the running month, quarter and year when the window reaches into them: the portal
 *   answers with provisional figures, stored as provisional and refreshed by each scheduled run;
 * - `pending`: periods stored as provisional that have closed since, fetched again to become final.
 */
export function dvcqgPeriods(kinds: DvcqgPeriodKind[], from: Date, to: Date, now: Date, extra: { running?: boolean; pending?: string[] } = {}): Period[] {
  return kinds.flatMap((kind) => {
    const out = periodsInWindow(kind, from, to, now);
    const keys = new Set(out.map((p) => p.key));
    for (const key of extra.pending ?? []) {
      const p = parsePeriodKey(key);
      if (p && p.kind === kind && p.end.getTime() <= now.getTime() && !keys.has(p.key)) {
        out.push(p);
        keys.add(p.key);
      }
    }
    const running = periodsOf(now)[kind];
    if (extra.running !== false && running.start.getTime() < to.getTime() && !keys.has(running.key)) out.push(running);
    return out.sort((a, b) => a.start.getTime() - b.start.getTime());
  });
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The period part of a body: timeType/year/quarter/month, or fromDate/toDate for handling-satisfaction. */
export function periodBody(endpoint: DvcqgEndpoint, periodKey: string): Record<string, unknown> {
  const period = parsePeriodKey(periodKey);
  if (!period) throw new Error(`not a period key: ${periodKey}`);
  const first = toVietnamWallClock(period.start);
  const last = toVietnamWallClock(new Date(period.end.getTime() - 1));
  if (endpoint === 'handling-satisfaction') {
    return { fromDate: `${first.year}-${pad(first.month)}-${pad(first.day)}`, toDate: `${last.year}-${pad(last.month)}-${pad(last.day)}` };
  }
  switch (period.kind) {
    case 'year':
      return { timeType: 'year', year: first.year };
    case 'quarter':
      return { timeType: 'quarter', year: first.year, quarter: Math.floor((first.month - 1) / 3) + 1 };
    case 'month':
      return { timeType: 'month', year: first.year, month: first.month };
  }
}

/** Endpoints that take no procedure filter (contract: handling-satisfaction always answers for all procedures). */
export const UNFILTERED_ENDPOINTS: ReadonlySet<string> = new Set(['handling-satisfaction']);

/** The procedure filter's key: `formalityID` for dossier-digitized, `formalityId` everywhere else (contract). */
export function formalityKey(endpoint: DvcqgEndpoint): 'formalityID' | 'formalityId' {
  return endpoint === 'dossier-digitized' ? 'formalityID' : 'formalityId';
}

export function requestBody(
  endpoint: DvcqgEndpoint,
  periodKey: string,
  rootDepartmentId: string,
  page: number,
  pageSize: number | null,
  formalityId: string,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    ...periodBody(endpoint, periodKey),
    rootDepartmentId,
    currentPage: page,
    pageSize: pageSize ?? DEFAULT_PAGE_SIZE[endpoint],
  };
  // a filter goes only to endpoints that take one; the connector never asks those for a filtered scope
  if (formalityId !== '' && !UNFILTERED_ENDPOINTS.has(endpoint)) body[formalityKey(endpoint)] = formalityId;
  return body;
}
