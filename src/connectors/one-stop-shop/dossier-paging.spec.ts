import { advanceCursor, alreadySeen, DossierCursor, firstUnseenIndex, initialDossierCursor, recordKey } from './dossier-paging';

const key = (ts: string, id: string) => ({ ts, id });

describe('dossier paging (keyset emulation over page numbers)', () => {
  const start: DossierCursor = initialDossierCursor(new Date('2025-12-31T17:00:00Z'));

  it('starts at the window start, page 1', () => {
    expect(start).toEqual({ from: '20260101000000', page: 1, afterTs: null, afterId: null });
  });

  it('restarts from the last seen second after a full page', () => {
    const keys = [key('20260101000001', 'A'), key('20260101000005', 'B'), key('20260101000007', 'C')];
    expect(advanceCursor(start, keys, 3)).toEqual({
      next: { from: '20260101000007', page: 1, afterTs: '20260101000007', afterId: 'C', afterExtra: 0 },
      done: false,
    });
  });

  it('moves by page number while a whole page shares one second', () => {
    const cursor: DossierCursor = { from: '20260101000007', page: 1, afterTs: '20260101000007', afterId: 'C' };
    const keys = [key('20260101000007', 'D'), key('20260101000007', 'E')];
    expect(advanceCursor(cursor, keys, 2).next).toEqual({ from: '20260101000007', page: 2, afterTs: '20260101000007', afterId: 'E', afterExtra: 0 });
  });

  it('is done on a short page', () => {
    expect(advanceCursor(start, [key('20260101000001', 'A')], 3).done).toBe(true);
  });

  it('skips records at or before the last seen key, and keeps later ones of the same second', () => {
    const cursor: DossierCursor = { from: '20260101000007', page: 1, afterTs: '20260101000007', afterId: 'C' };
    expect(alreadySeen(key('20260101000007', 'B'), cursor)).toBe(true);
    expect(alreadySeen(key('20260101000007', 'C'), cursor)).toBe(true);
    expect(alreadySeen(key('20260101000007', 'D'), cursor)).toBe(false);
    expect(alreadySeen(key('20260101000008', 'A'), cursor)).toBe(false);
    expect(alreadySeen({ ts: null, id: 'Z' }, cursor)).toBe(false);
  });

  it('reads keys in both date formats', () => {
    expect(recordKey({ NgayCapNhat: '01/01/2026 00:00:07', MaHoSo: 'X' })).toEqual({ ts: '20260101000007', id: 'X' });
    expect(recordKey({ NgayCapNhat: '', MaHoSo: 'X' })).toEqual({ ts: null, id: 'X' });
  });
});

describe('firstUnseenIndex', () => {
  const k = (ts: string | null, id: string | null) => ({ ts, id });
  const cursor: DossierCursor = { from: '20260101000007', page: 1, afterTs: '20260101000007', afterId: 'C', afterExtra: 0 };

  it('starts at 0 without a cursor key', () => {
    expect(firstUnseenIndex([k('20260101000007', 'A')], initialDossierCursor(new Date()))).toBe(0);
  });

  it('skips everything up to the last consumed key, including records without an id among them', () => {
    const keys = [k('20260101000007', 'A'), k('20260101000007', null), k('20260101000007', 'C'), k('20260101000007', 'D'), k('20260101000007', null)];
    expect(firstUnseenIndex(keys, cursor)).toBe(3);
  });

  it('also skips the unkeyed records that ended the previous page right after the cursor record', () => {
    const keys = [k('20260101000007', 'C'), k(null, null), k('20260101000007', null), k('20260101000007', 'D')];
    expect(firstUnseenIndex(keys, { ...cursor, afterExtra: 2 })).toBe(3);
  });

  it('remembers trailing unkeyed records when advancing', () => {
    const keys = [k('20260101000008', 'A'), k('20260101000009', 'B'), k('20260101000009', null)];
    expect(advanceCursor(cursor, keys, 3).next).toEqual({ from: '20260101000009', page: 1, afterTs: '20260101000009', afterId: 'B', afterExtra: 1 });
  });
});
