import { monthPeriod, quarterPeriod, yearPeriod } from '../../platform/time/vietnam-time';
import { parseDeclarativeConfig } from './declarative-config.schema';
import { basicAuthHeader } from './declarative-rest.connector';
import { checkEnvelope, emptyRecordPaths, extractFigures, isOkValue, readFigureNumber } from './metric-mapping';
import { renderTemplate, templateErrors } from './url-template';

const config = (patch: Record<string, unknown> = {}) => {
  const { config: c, errors } = parseDeclarativeConfig({
    request: { path: '/stats', query: {}, headers: {} },
    period: 'month',
    units: ['U1'],
    auth: { type: 'none' },
    paging: { type: 'none' },
    records: '$.items[*]',
    metrics: [{ metric: 'sector.x.share', numerator: '$.a', denominator: '$.b' }],
    ...patch,
  });
  if (!c) throw new Error(errors.join('; '));
  return c;
};

describe('declarative sources: the forms real systems use', () => {
  it('{period:FORMAT} renders every form sources use, plus first and last day', () => {
    const vars = (period: ReturnType<typeof monthPeriod>) => ({ unit: 'U', period });
    const t = '{period:yyyy}|{period:yyyy-Qn}|{period:yyyyQn}|{period:Qn}|{period:q}|{period:yyyy-MM}|{period:yyyyMM}|{period:MM/yyyy}|{period:MM}|{from:yyyy-MM-dd}|{to:yyyy-MM-dd}';
    expect(renderTemplate(t, vars(monthPeriod(2026, 5)))).toBe('2026|2026-Q2|2026Q2|Q2|2|2026-05|202605|05/2026|05|2026-05-01|2026-05-31');
    expect(renderTemplate(t, vars(quarterPeriod(2026, 4)))).toBe('2026|2026-Q4|2026Q4|Q4|4|2026-10|202610|10/2026|10|2026-10-01|2026-12-31');
    expect(renderTemplate(t, vars(yearPeriod(2024)))).toBe('2024|2024-Q1|2024Q1|Q1|1|2024-01|202401|01/2024|01|2024-01-01|2024-12-31');
    expect(renderTemplate('{period}', vars(quarterPeriod(2026, 1)))).toBe('2026-Q1');
    expect(templateErrors('{period:yy}')[0]).toMatch(/format must be one of yyyy, yyyy-Qn/);
  });

  it('Basic auth: base64 of user:password in UTF-8; a ":" in the user name is refused', () => {
    expect(basicAuthHeader('sở-nội-vụ', 'p:ss wörd')).toEqual({ Authorization: `Basic ${Buffer.from('sở-nội-vụ:p:ss wörd').toString('base64')}` });
    expect(() => basicAuthHeader('a:b', 'x')).toThrow(/must not contain ":"/);
    expect(() => basicAuthHeader('', 'x')).toThrow(/username/);
    expect(parseDeclarativeConfig({ ...config(), auth: { type: 'basic' } }).errors).toEqual([]);
  });

  it('okValues may be any JSON scalar; a number matches its text, text never matches other text', () => {
    expect(isOkValue(0, 0)).toBe(true);
    expect(isOkValue(0, '0')).toBe(true);
    expect(isOkValue('00', '00')).toBe(true);
    expect(isOkValue('00', 0)).toBe(false);
    expect(isOkValue(true, true)).toBe(true);
    expect(isOkValue(null, null)).toBe(true);
    expect(isOkValue(null, 'null')).toBe(false);
    expect(isOkValue(1, { a: 1 })).toBe(false);
    const c = config({ envelope: { statusPath: '$.code', okValues: [0, true, null] } });
    expect(checkEnvelope(c, { code: 0 })).toBeNull();
    expect(checkEnvelope(c, { code: true })).toBeNull();
    expect(checkEnvelope(c, { code: null })).toBeNull();
    expect(checkEnvelope(c, { code: 1 })).toMatchObject({ code: 'STATUS_1' });
    expect(checkEnvelope(c, {})).toMatchObject({ code: 'MISSING_STATUS' });
    expect(parseDeclarativeConfig({ ...config(), envelope: { statusPath: '$.s', okValues: [{ a: 1 }] } }).errors).toEqual([
      'options.source.envelope.okValues[0] must be text, a number, true/false or null',
    ]);
  });

  it('numbers given as text are parsed: "0" is 0, not missing', () => {
    expect(readFigureNumber('0')).toEqual({ kind: 'ok', value: 0 });
    expect(readFigureNumber(' 12.5 ')).toEqual({ kind: 'ok', value: 12.5 });
    expect(readFigureNumber('')).toEqual({ kind: 'missing' });
    const out = extractFigures(config({ metrics: [{ metric: 'sector.x.count', numerator: '$.a' }] }), { a: '0' }, 0);
    expect(out).toEqual({ figures: [{ metric: 'sector.x.count', subject: '', numerator: 0, denominator: null }], problems: [] });
  });

  it('a share given as such must lie in 0–1 (or 0–100 as a percentage); outside, it is quarantined with a reason', () => {
    const c = config({
      metrics: [
        { metric: 'sector.a.share', numerator: '$.a', share: 'fraction' },
        { metric: 'sector.b.share', numerator: '$.b', share: 'percent' },
      ],
    });
    expect(extractFigures(c, { a: '0.95', b: 87.5 }, 0).figures).toEqual([
      { metric: 'sector.a.share', subject: '', numerator: 0.95, denominator: 1 },
      { metric: 'sector.b.share', subject: '', numerator: 0.875, denominator: 1 },
    ]);
    const bad = extractFigures(c, { a: 95, b: 101 }, 0);
    expect(bad.figures).toEqual([]);
    expect(bad.problems.map((p) => [p.metric, p.reason, p.detail])).toEqual([
      ['sector.a.share', 'OUT_OF_RANGE', 'record 0 of $.items[*]: 95 is outside 0–1 for a share given as a fraction'],
      ['sector.b.share', 'OUT_OF_RANGE', 'record 0 of $.items[*]: 101 is outside 0–100 for a share given as a percentage'],
    ]);
    expect(extractFigures(c, { a: -0.1, b: 5 }, 0).problems.map((p) => p.reason)).toEqual(['INVALID_NUMBER']);
    expect(parseDeclarativeConfig({ ...config(), metrics: [{ metric: 'sector.a.share', numerator: '$.a', denominator: '$.b', share: 'percent' }] }).errors).toEqual([
      'options.source.metrics[0].share share and denominator exclude each other (a share has no denominator)',
    ]);
  });
});

describe('a records path that matches nothing', () => {
  it('is reported (the answer has no such field), while an empty list is an answer', () => {
    const c = config({ records: [{ path: '$.data' }, { path: '$.data.donVi[*]', subject: '$.id' }] });
    expect(emptyRecordPaths(c, { data: { donVi: [] } })).toEqual([]);
    expect(emptyRecordPaths(c, { data: { tong: 1 } })).toEqual(['$.data.donVi[*]']);
    expect(emptyRecordPaths(c, { payload: {} })).toEqual(['$.data', '$.data.donVi[*]']);
    expect(emptyRecordPaths(c, { data: null })).toEqual(['$.data', '$.data.donVi[*]']);
  });
});
