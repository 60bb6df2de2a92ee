import { formatSourceTimestamp, parseSourceDate } from '../../platform/time/vietnam-time';

/**
 * Position inside a dossier window. The API pages by page number over a listing ordered by (NgayCapNhat, MaHoSo)
 * that shifts while we read it (an updated dossier moves to the end; pages slide up by one). Reading page N of a
 * shifting listing skips records, so we emulate keyset paging: each request starts at the last seen
 * `NgayCapNhat` second (capNhatTu is inclusive) from page 1, and drops the records at or before the last seen
 * (NgayCapNhat, MaHoSo). Page numbers advance only while a whole page shares that one second.
 */
export interface DossierCursor {
  /** capNhatTu of the next request, `yyyyMMddHHmmss` */
  from: string;
  page: number;
  /** last record consumed: (timestamp, MaHoSo) */
  afterTs: string | null;
  afterId: string | null;
  /** records without a usable key consumed right after (afterTs, afterId) at the end of the last page */
  afterExtra?: number;
}

export function initialDossierCursor(windowFrom: Date): DossierCursor {
  return { from: formatSourceTimestamp(windowFrom), page: 1, afterTs: null, afterId: null };
}

export interface RecordKey {
  ts: string | null;
  id: string | null;
}

/** The ordering key of a raw record: its NgayCapNhat as a compact stamp and its MaHoSo (null if unusable). */
export function recordKey(record: unknown): RecordKey {
  if (!record || typeof record !== 'object') return { ts: null, id: null };
  const r = record as { NgayCapNhat?: unknown; MaHoSo?: unknown };
  const parsed = parseSourceDate(r.NgayCapNhat);
  const id = typeof r.MaHoSo === 'string' && r.MaHoSo.trim() !== '' ? r.MaHoSo.trim() : null;
  return { ts: parsed.kind === 'ok' ? formatSourceTimestamp(parsed.date) : null, id };
}

/** True if the record was already consumed under this cursor (at or before the last seen key). */
export function alreadySeen(key: RecordKey, cursor: DossierCursor): boolean {
  if (cursor.afterTs === null || key.ts === null) return false;
  if (key.ts < cursor.afterTs) return true;
  if (key.ts > cursor.afterTs) return false;
  return key.id !== null && cursor.afterId !== null && key.id <= cursor.afterId;
}

/**
 * Index of the first record of a page not consumed yet. Records come ordered by (NgayCapNhat, MaHoSo), so every
 * record up to the last one at or before the cursor's key was consumed — including records without a usable key
 * (no MaHoSo, unreadable date) that sit among them, which a key comparison alone would count twice — plus the
 * unkeyed records that ended the previous page right after the cursor's record.
 */
export function firstUnseenIndex(keys: RecordKey[], cursor: DossierCursor): number {
  if (cursor.afterTs === null) return 0;
  let last = -1;
  let exact = false;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k.ts !== null && k.id !== null && alreadySeen(k, cursor)) {
      last = i;
      exact = k.ts === cursor.afterTs && k.id === cursor.afterId;
    } else if (k.ts !== null && k.ts < cursor.afterTs) {
      last = i;
      exact = false;
    }
  }
  if (last < 0) return 0;
  return Math.min(keys.length, last + 1 + (exact ? cursor.afterExtra ?? 0 : 0));
}

/**
 * The cursor after consuming a page. `done` when the page was not full. Throws if the source makes no progress
 * (the same request would come back forever).
 */
export function advanceCursor(
  cursor: DossierCursor,
  keys: RecordKey[],
  pageSize: number,
): { next: DossierCursor; done: boolean } {
  if (keys.length < pageSize) return { next: cursor, done: true };
  let last: RecordKey | null = null;
  let extra = 0;
  for (let i = keys.length - 1; i >= 0; i--) {
    if (keys[i].ts !== null && keys[i].id !== null) {
      last = keys[i];
      extra = keys.length - 1 - i;
      break;
    }
  }
  if (last === null) {
    // a full page with no usable key at all: move by page number, the only position we have
    return { next: { ...cursor, page: cursor.page + 1 }, done: false };
  }
  const next: DossierCursor =
    last.ts === cursor.from
      ? { from: cursor.from, page: cursor.page + 1, afterTs: last.ts, afterId: last.id, afterExtra: extra }
      : { from: last.ts!, page: 1, afterTs: last.ts, afterId: last.id, afterExtra: extra };
  return { next, done: false };
}
