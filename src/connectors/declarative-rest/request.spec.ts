import { monthPeriod, quarterPeriod, yearPeriod } from '../../platform/time/vietnam-time';
import { DeclarativeConfig, parseDeclarativeConfig } from './declarative-config.schema';
import { startPaging } from './paging';
import { authHeaders, buildRequest, resolveUnits } from './request';
import { formatVietnamDate, renderTemplate } from './url-template';

const config = (patch: Record<string, unknown> = {}): DeclarativeConfig => {
  const { config, errors } = parseDeclarativeConfig({
    request: { path: '/qlvb/v1/thongke', query: { maDonVi: '{unit}', tuNgay: '{from:yyyy-MM-dd}', denNgay: '{to:yyyy-MM-dd}' }, headers: {} },
    period: 'quarter',
    units: ['000.00.00.H{province}'],
    auth: { type: 'apiKeyHeader', header: 'apikey' },
    paging: { type: 'none' },
    records: '$.data',
    metrics: [{ metric: 'sector.docs.x', numerator: '$.a' }],
    ...patch,
  });
  expect(errors).toEqual([]);
  return config!;
};

describe('templates', () => {
  const q1 = quarterPeriod(2026, 1);
  const vars = { unit: 'U 1/2', period: q1 };

  it('renders from as the first day and to as the LAST day (inclusive), Vietnam time', () => {
    expect(renderTemplate('{from:yyyy-MM-dd}..{to:yyyy-MM-dd}', vars)).toBe('2026-01-01..2026-03-31');
    expect(renderTemplate('{from:yyyyMMdd}-{to:yyyyMMdd}', vars)).toBe('20260101-20260331');
    expect(renderTemplate('{from:yyyy-MM}/{to:yyyy-MM}', vars)).toBe('2026-01/2026-03');
    expect(renderTemplate('{from:dd/MM/yyyy}-{to:dd/MM/yyyy}', vars)).toBe('01/01/2026-31/03/2026');
    expect(renderTemplate('{from:yyyyMMddHHmmss}-{to:yyyyMMddHHmmss}', vars)).toBe('20260101000000-20260331235959');
  });

  it('handles leap years, year ends, period keys and years', () => {
    expect(renderTemplate('{from:yyyy-MM-dd}/{to:yyyy-MM-dd} {period} {year}', { unit: 'u', period: monthPeriod(2028, 2) })).toBe('2028-02-01/2028-02-29 2028-02 2028');
    expect(renderTemplate('{to:dd/MM/yyyy} {period}', { unit: 'u', period: quarterPeriod(2025, 4) })).toBe('31/12/2025 2025-Q4');
    expect(renderTemplate('{from:yyyyMMdd}-{to:yyyyMMdd} {period}', { unit: 'u', period: yearPeriod(2025) })).toBe('20250101-20251231 2025');
  });

  it('formats instants in Vietnam time, not UTC', () => {
    // 2026-03-31T17:30Z is 1 April 00:30 in Vietnam
    expect(formatVietnamDate(new Date('2026-03-31T17:30:00Z'), 'yyyy-MM-dd')).toBe('2026-04-01');
    expect(formatVietnamDate(new Date('2026-03-31T16:59:59Z'), 'yyyyMMddHHmmss')).toBe('20260331235959');
  });

  it('encodes substituted values only when asked, never the literal text', () => {
    expect(renderTemplate('/a b/{unit}', vars, encodeURIComponent)).toBe('/a b/U%201%2F2');
    expect(renderTemplate('{unit}', vars)).toBe('U 1/2');
  });

  it('throws on an invalid template (validated at parse time)', () => {
    expect(() => renderTemplate('{from}', vars)).toThrow(/invalid template/);
  });
});

describe('buildRequest', () => {
  const q1 = quarterPeriod(2026, 1);

  it('builds the document-management request', () => {
    const c = config();
    expect(buildRequest(c, { unit: '000.00.00.H44', period: q1 }, startPaging(c))).toEqual({
      path: '/qlvb/v1/thongke',
      query: { maDonVi: '000.00.00.H44', tuNgay: '2026-01-01', denNgay: '2026-03-31' },
      headers: {},
    });
  });

  it('fills path and header templates', () => {
    const c = config({ request: { path: '/units/{unit}/stats/{period}', headers: { 'X-Year': '{year}' } } });
    expect(buildRequest(c, { unit: 'a/b', period: q1 }, startPaging(c))).toEqual({
      path: '/units/a%2Fb/stats/2026-Q1',
      query: {},
      headers: { 'X-Year': '2026' },
    });
  });

  it('adds page, size, offset and cursor parameters', () => {
    const page = config({ paging: { type: 'page', param: 'page', start: 1, sizeParam: 'size', size: 100 } });
    expect(buildRequest(page, { unit: 'u', period: q1 }, { type: 'page', page: 3, pages: 2 }).query).toMatchObject({ page: '3', size: '100' });
    const pageNoSize = config({ paging: { type: 'page', param: 'p' } });
    expect(buildRequest(pageNoSize, { unit: 'u', period: q1 }, startPaging(pageNoSize)).query).toEqual({
      maDonVi: 'u', tuNgay: '2026-01-01', denNgay: '2026-03-31', p: '1',
    });
    const offset = config({ paging: { type: 'offset', param: 'offset', sizeParam: 'limit', size: 50 } });
    expect(buildRequest(offset, { unit: 'u', period: q1 }, { type: 'offset', offset: 100, pages: 2 }).query).toMatchObject({ offset: '100', limit: '50' });
    const cursor = config({ paging: { type: 'cursor', nextPath: '$.meta.next', param: 'cursor' } });
    expect(buildRequest(cursor, { unit: 'u', period: q1 }, startPaging(cursor)).query).not.toHaveProperty('cursor');
    expect(buildRequest(cursor, { unit: 'u', period: q1 }, { type: 'cursor', token: 'abc', nextLink: null, pages: 1 }).query).toMatchObject({ cursor: 'abc' });
  });

  it('follows a next link as is, with an empty query', () => {
    const c = config({ request: { path: '/s', query: { u: '{unit}' }, headers: { Accept: 'application/json' } }, paging: { type: 'cursor', nextPath: '$.next' } });
    expect(buildRequest(c, { unit: 'u', period: q1 }, { type: 'cursor', token: null, nextLink: 'https://lgsp.example.vn/s?page=2', pages: 1 })).toEqual({
      path: 'https://lgsp.example.vn/s?page=2',
      query: {},
      headers: { Accept: 'application/json' },
    });
  });
});

describe('resolveUnits', () => {
  it('replaces {province} with the connector province code', () => {
    expect(resolveUnits(config(), { province: '44' })).toEqual({ units: ['000.00.00.H44'], errors: [] });
    expect(resolveUnits(config({ units: ['X', '000.00.00.H{province}'] }), { province: '01' }).units).toEqual(['X', '000.00.00.H01']);
  });

  it('names the unit that needs a missing province', () => {
    expect(resolveUnits(config({ units: ['X', 'H{province}'] }))).toEqual({
      units: ['X'],
      errors: ['options.source.units[1] uses {province} but the connector has no valid province code'],
    });
    expect(resolveUnits(config(), { province: '4 4' }).errors).toHaveLength(1);
  });
});

describe('auth helpers', () => {
  it('builds the auth header of each type', () => {
    expect(authHeaders(config(), 'k')).toEqual({ apikey: 'k' });
    expect(authHeaders(config({ auth: { type: 'bearer' } }), 't')).toEqual({ Authorization: 'Bearer t' });
    expect(authHeaders(config({ auth: { type: 'none' } }), null)).toEqual({});
    expect(() => authHeaders(config(), '')).toThrow(/needs a secret/);
  });

});
