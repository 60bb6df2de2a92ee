import { DeclarativeConfig } from './declarative-config.schema';
import { jsonPathOne } from './json-path';

/**
 * Where a fetch is in the pages of one request. `pages` counts the pages already requested before this one.
 * - page: `page` is sent in `paging.param` (and `size` in `sizeParam` when configured);
 * - offset: `offset` is sent in `param`, `size` in `sizeParam`;
 * - cursor: the first request carries neither; later ones carry a `token` (sent in `param`) or follow a
 *   `nextLink` (a full URL or a path starting with /, used as is).
 */
export type PagingState =
  | { type: 'none' }
  | { type: 'page'; page: number; pages: number }
  | { type: 'offset'; offset: number; pages: number }
  | { type: 'cursor'; token: string | null; nextLink: string | null; pages: number };

/** A paging problem the run cannot recover from by retrying (a source that loops or sends an unusable cursor). */
export class DeclarativePagingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeclarativePagingError';
  }
}

export function startPaging(config: DeclarativeConfig): PagingState {
  const p = config.paging;
  switch (p.type) {
    case 'none':
      return { type: 'none' };
    case 'page':
      return { type: 'page', page: p.start, pages: 0 };
    case 'offset':
      return { type: 'offset', offset: 0, pages: 0 };
    case 'cursor':
      return { type: 'cursor', token: null, nextLink: null, pages: 0 };
  }
}

/** A next link is a full http(s) URL or a path starting with `/`; any other value is a cursor token. */
export function isNextLink(value: string): boolean {
  return /^https?:\/\//i.test(value) || (value.startsWith('/') && !value.startsWith('//'));
}

/**
 * The paging state of the next request, or null when the last response was the last page.
 * - page: the next page while the page was full (`recordCount ≥ size`); with no `size`, while `recordCount > 0`;
 * - offset: `offset += size` while `recordCount ≥ size`;
 * - cursor: from the value at `nextPath` (missing, null or "" = done);
 * - none: always null.
 * Throws DeclarativePagingError past `paging.maxPages`, when a cursor repeats, or when a token arrives but
 * no `paging.param` is configured to send it.
 */
export function nextPaging(config: DeclarativeConfig, state: PagingState, responseJson: unknown, recordCount: number): PagingState | null {
  const p = config.paging;
  if (p.type === 'none' || state.type === 'none') return null;
  const tooMany = (pages: number) => {
    if (pages >= p.maxPages) throw new DeclarativePagingError(`more than options.source.paging.maxPages (${p.maxPages}) pages`);
  };
  if (p.type === 'page' && state.type === 'page') {
    const more = p.size !== undefined ? recordCount >= p.size : recordCount > 0;
    if (!more) return null;
    tooMany(state.pages + 1);
    return { type: 'page', page: state.page + 1, pages: state.pages + 1 };
  }
  if (p.type === 'offset' && state.type === 'offset') {
    if (recordCount < p.size) return null;
    tooMany(state.pages + 1);
    return { type: 'offset', offset: state.offset + p.size, pages: state.pages + 1 };
  }
  if (p.type === 'cursor' && state.type === 'cursor') {
    const raw = jsonPathOne(responseJson, p.nextPath);
    if (raw === undefined || raw === null || raw === '') return null;
    if (typeof raw !== 'string' && !(typeof raw === 'number' && Number.isFinite(raw))) {
      throw new DeclarativePagingError(`the value at options.source.paging.nextPath (${p.nextPath}) is neither text nor a number`);
    }
    const value = String(raw);
    tooMany(state.pages + 1);
    if (isNextLink(value)) {
      if (value === state.nextLink) throw new DeclarativePagingError(`the next link did not change (${value})`);
      return { type: 'cursor', token: null, nextLink: value, pages: state.pages + 1 };
    }
    if (p.param === undefined) {
      throw new DeclarativePagingError(`the source sent a cursor token but options.source.paging.param is not configured to send it`);
    }
    if (value === state.token) throw new DeclarativePagingError(`the cursor did not change (${value})`);
    return { type: 'cursor', token: value, nextLink: null, pages: state.pages + 1 };
  }
  throw new Error(`paging state ${state.type} does not match options.source.paging.type ${p.type}`);
}
