import { DeclarativeConfig, parseDeclarativeConfig } from './declarative-config.schema';
import { DeclarativePagingError, PagingState, isNextLink, nextPaging, startPaging } from './paging';

const config = (paging: unknown): DeclarativeConfig => {
  const { config, errors } = parseDeclarativeConfig({
    request: { path: '/s' },
    period: 'month',
    units: ['u'],
    auth: { type: 'none' },
    paging,
    records: '$.items[*]',
    metrics: [{ metric: 'sector.x', numerator: '$.a' }],
  });
  expect(errors).toEqual([]);
  return config!;
};

describe('paging', () => {
  it('none: a single request', () => {
    const c = config({ type: 'none' });
    expect(startPaging(c)).toEqual({ type: 'none' });
    expect(nextPaging(c, startPaging(c), {}, 100)).toBeNull();
  });

  it('page with a size: continues while the page is full', () => {
    const c = config({ type: 'page', param: 'page', start: 1, sizeParam: 'size', size: 100 });
    const s0 = startPaging(c);
    expect(s0).toEqual({ type: 'page', page: 1, pages: 0 });
    const s1 = nextPaging(c, s0, {}, 100);
    expect(s1).toEqual({ type: 'page', page: 2, pages: 1 });
    expect(nextPaging(c, s1!, {}, 120)).toEqual({ type: 'page', page: 3, pages: 2 });
    expect(nextPaging(c, s1!, {}, 99)).toBeNull();
    expect(nextPaging(c, s1!, {}, 0)).toBeNull();
  });

  it('page without a size: continues while the page had records', () => {
    const c = config({ type: 'page', param: 'p', start: 0 });
    expect(startPaging(c)).toEqual({ type: 'page', page: 0, pages: 0 });
    expect(nextPaging(c, startPaging(c), {}, 1)).toEqual({ type: 'page', page: 1, pages: 1 });
    expect(nextPaging(c, startPaging(c), {}, 0)).toBeNull();
  });

  it('offset: advances by size while the page is full', () => {
    const c = config({ type: 'offset', param: 'offset', sizeParam: 'limit', size: 50 });
    const s0 = startPaging(c);
    expect(s0).toEqual({ type: 'offset', offset: 0, pages: 0 });
    const s1 = nextPaging(c, s0, {}, 50);
    expect(s1).toEqual({ type: 'offset', offset: 50, pages: 1 });
    expect(nextPaging(c, s1!, {}, 50)).toEqual({ type: 'offset', offset: 100, pages: 2 });
    expect(nextPaging(c, s1!, {}, 49)).toBeNull();
  });

  it('cursor: a token is sent in param; missing, null and "" end', () => {
    const c = config({ type: 'cursor', nextPath: '$.meta.next', param: 'cursor' });
    const s0 = startPaging(c);
    expect(s0).toEqual({ type: 'cursor', token: null, nextLink: null, pages: 0 });
    const s1 = nextPaging(c, s0, { meta: { next: 'abc' } }, 0);
    expect(s1).toEqual({ type: 'cursor', token: 'abc', nextLink: null, pages: 1 });
    expect(nextPaging(c, s1!, { meta: { next: 42 } }, 10)).toEqual({ type: 'cursor', token: '42', nextLink: null, pages: 2 });
    expect(nextPaging(c, s1!, { meta: {} }, 10)).toBeNull();
    expect(nextPaging(c, s1!, { meta: { next: null } }, 10)).toBeNull();
    expect(nextPaging(c, s1!, { meta: { next: '' } }, 10)).toBeNull();
    expect(nextPaging(c, s1!, 'not json', 10)).toBeNull();
  });

  it('cursor: a URL or a path is a next link used as is', () => {
    const c = config({ type: 'cursor', nextPath: '$.links.next' });
    expect(nextPaging(c, startPaging(c), { links: { next: 'https://api.example.vn/s?page=2' } }, 5)).toEqual({
      type: 'cursor', token: null, nextLink: 'https://api.example.vn/s?page=2', pages: 1,
    });
    expect(nextPaging(c, startPaging(c), { links: { next: '/s?page=2' } }, 5)).toMatchObject({ nextLink: '/s?page=2' });
    expect(isNextLink('//evil.example/x')).toBe(false);
    expect(isNextLink('HTTP://a/b')).toBe(true);
  });

  it('cursor: refuses a token with no param, a cursor that does not move, and a non-text cursor', () => {
    const noParam = config({ type: 'cursor', nextPath: '$.next' });
    expect(() => nextPaging(noParam, startPaging(noParam), { next: 'tok' }, 1)).toThrow(DeclarativePagingError);
    const c = config({ type: 'cursor', nextPath: '$.next', param: 'c' });
    const s: PagingState = { type: 'cursor', token: 'tok', nextLink: null, pages: 1 };
    expect(() => nextPaging(c, s, { next: 'tok' }, 1)).toThrow(/did not change/);
    expect(() => nextPaging(c, { type: 'cursor', token: null, nextLink: '/p2', pages: 1 }, { next: '/p2' }, 1)).toThrow(/did not change/);
    expect(() => nextPaging(c, s, { next: { id: 1 } }, 1)).toThrow(/neither text nor a number/);
  });

  it('stops a runaway source at maxPages', () => {
    const c = config({ type: 'page', param: 'page', size: 10, maxPages: 3 });
    let s: PagingState | null = startPaging(c);
    s = nextPaging(c, s, {}, 10);
    s = nextPaging(c, s!, {}, 10);
    expect(s).toEqual({ type: 'page', page: 3, pages: 2 });
    expect(() => nextPaging(c, s!, {}, 10)).toThrow(/maxPages \(3\)/);
  });
});
