import { DeclarativeConfig, parseDeclarativeConfig } from './declarative-config.schema';
import { checkEnvelope, extractFigures, extractPositionedRecords, extractRecords, readFigureNumber } from './metric-mapping';

const config = (patch: Record<string, unknown> = {}): DeclarativeConfig => {
  const { config, errors } = parseDeclarativeConfig({
    request: { path: '/s' },
    period: 'month',
    units: ['u'],
    auth: { type: 'none' },
    paging: { type: 'none' },
    records: '$.items[*]',
    subject: '$.id',
    metrics: [
      { metric: 'sector.x.share', numerator: '$.done', denominator: '$.total' },
      { metric: 'sector.x.count', numerator: '$.done' },
    ],
    ...patch,
  });
  expect(errors).toEqual([]);
  return config!;
};

describe('checkEnvelope', () => {
  const c = config({
    envelope: { statusPath: '$.status', okValues: ['success', '0'], codePath: '$.code', messagePath: '$.message', permanentCodes: ['AUTHEN_ERROR'] },
  });

  it('is null without an envelope or with an OK status', () => {
    expect(checkEnvelope(config(), { status: 'error' })).toBeNull();
    expect(checkEnvelope(c, { status: 'success', data: {} })).toBeNull();
    expect(checkEnvelope(c, { status: 0 })).toBeNull();
  });

  it('reports permanent and transient errors with code and message', () => {
    expect(checkEnvelope(c, { status: 'error', code: 'AUTHEN_ERROR', message: 'Sai apikey' })).toEqual({ code: 'AUTHEN_ERROR', message: 'Sai apikey', permanent: true });
    expect(checkEnvelope(c, { status: 'error', code: 'BUSY', message: 'try later' })).toEqual({ code: 'BUSY', message: 'try later', permanent: false });
  });

  it('falls back when code, message or status are missing', () => {
    expect(checkEnvelope(c, { status: 'error' })).toEqual({ code: 'STATUS_error', message: 'the source answered status "error"', permanent: false });
    expect(checkEnvelope(c, { data: [] })).toEqual({ code: 'MISSING_STATUS', message: 'the response has no status at $.status', permanent: false });
    expect(checkEnvelope(c, '<html>')).toMatchObject({ code: 'MISSING_STATUS' });
  });
});

describe('extractRecords', () => {
  it('reads a list, a single object, and flattens a path to a list', () => {
    expect(extractRecords(config(), { items: [{ id: 1 }, null, { id: 2 }] })).toEqual([{ id: 1 }, { id: 2 }]);
    expect(extractRecords(config({ records: '$.data' }), { data: { id: 1 } })).toEqual([{ id: 1 }]);
    expect(extractRecords(config({ records: '$.items' }), { items: [{ id: 1 }, { id: 2 }] })).toEqual([{ id: 1 }, { id: 2 }]);
    expect(extractRecords(config(), { items: null })).toEqual([]);
    expect(extractRecords(config(), {})).toEqual([]);
  });

  it('reads several record sources in order, with positions', () => {
    const c = config({ subject: undefined, records: [{ path: '$.data' }, { path: '$.data.children[*]', subject: '$.id' }] });
    const json = { data: { id: 'root', children: [{ id: 'a' }, { id: 'b' }] } };
    expect(extractPositionedRecords(c, json).map((r) => r.position)).toEqual([
      { entry: 0, index: 0 },
      { entry: 1, index: 0 },
      { entry: 1, index: 1 },
    ]);
  });
});

describe('readFigureNumber', () => {
  it.each([
    [12, 12],
    [0, 0],
    [98.5, 98.5],
    ['12040', 12040],
    [' 7 ', 7],
    ['0.25', 0.25],
  ])('reads %p', (raw, value) => expect(readFigureNumber(raw)).toEqual({ kind: 'ok', value }));

  it.each([['12,040'], ['12.040.5'], ['1e3'], ['-5'], [-5], ['abc'], [true], [{}], [Number.NaN], [Infinity], ['0x10']])('rejects %p', (raw) =>
    expect(readFigureNumber(raw).kind).toBe('invalid'),
  );

  it.each([[null], [undefined], [''], ['  ']])('treats %p as missing', (raw) => expect(readFigureNumber(raw)).toEqual({ kind: 'missing' }));
});

describe('extractFigures', () => {
  const c = config();

  it('reads numbers and numeric strings, with the subject', () => {
    expect(extractFigures(c, { id: 'U1', done: '45', total: 60 }, 0)).toEqual({
      figures: [
        { metric: 'sector.x.share', subject: 'U1', numerator: 45, denominator: 60 },
        { metric: 'sector.x.count', subject: 'U1', numerator: 45, denominator: null },
      ],
      problems: [],
    });
  });

  it('a zero or missing denominator is null (no data), never 0', () => {
    expect(extractFigures(c, { id: 'U1', done: 0, total: 0 }, 0).figures[0]).toEqual({ metric: 'sector.x.share', subject: 'U1', numerator: 0, denominator: null });
    expect(extractFigures(c, { id: 'U1', done: 3 }, 0).figures[0].denominator).toBeNull();
    expect(extractFigures(c, { id: 'U1', done: 3, total: null }, 0).figures[0].denominator).toBeNull();
    expect(extractFigures(c, { id: 'U1', done: 3, total: '' }, 0).problems).toEqual([]);
  });

  it('a missing numerator skips the figure with MISSING_VALUE (not 0)', () => {
    const r = extractFigures(c, { id: 'U1', total: 10 }, 3);
    expect(r.figures).toEqual([]);
    expect(r.problems).toEqual([
      { metric: 'sector.x.share', field: '$.done', reason: 'MISSING_VALUE', detail: 'record 3 of $.items[*] (U1): no value at $.done' },
      { metric: 'sector.x.count', field: '$.done', reason: 'MISSING_VALUE', detail: 'record 3 of $.items[*] (U1): no value at $.done' },
    ]);
  });

  it('an invalid numerator or denominator skips the figure with INVALID_NUMBER', () => {
    const r = extractFigures(c, { id: 'U1', done: '1.234,5', total: 'n/a' }, 0);
    expect(r.figures).toEqual([]);
    expect(r.problems.map((p) => [p.metric, p.field, p.reason])).toEqual([
      ['sector.x.share', '$.done', 'INVALID_NUMBER'],
      ['sector.x.count', '$.done', 'INVALID_NUMBER'],
    ]);
    const d = extractFigures(c, { id: 'U1', done: 5, total: 'n/a' }, 0);
    expect(d.figures).toEqual([{ metric: 'sector.x.count', subject: 'U1', numerator: 5, denominator: null }]);
    expect(d.problems).toEqual([{ metric: 'sector.x.share', field: '$.total', reason: 'INVALID_NUMBER', detail: 'record 0 of $.items[*] (U1): "n/a" is not a plain decimal number' }]);
  });

  it("uses '' as subject without a subject path, and numeric subjects as text", () => {
    expect(extractFigures(config({ subject: undefined }), { done: 1 }, 0).figures[0].subject).toBe('');
    expect(extractFigures(c, { id: 7, done: 1 }, 0).figures[0].subject).toBe('7');
    expect(extractFigures(c, { done: 1 }, 0).figures[0].subject).toBe('');
  });

  it('takes the subject path of the record entry', () => {
    const multi = config({ subject: undefined, records: [{ path: '$.data' }, { path: '$.data.kids[*]', subject: '$.id' }] });
    const record = { id: 'child', done: 1 };
    expect(extractFigures(multi, record, { entry: 0, index: 0 }).figures[0].subject).toBe('');
    expect(extractFigures(multi, record, { entry: 1, index: 0 }).figures[0].subject).toBe('child');
    expect(() => extractFigures(multi, record, { entry: 2, index: 0 })).toThrow(/no entry 2/);
  });
});
