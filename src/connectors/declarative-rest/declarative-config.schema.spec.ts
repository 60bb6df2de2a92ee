import { parseDeclarativeConfig, recordSources } from './declarative-config.schema';

const base = () => ({
  request: { path: '/stats', query: { unit: '{unit}', from: '{from:yyyy-MM-dd}' }, headers: {} },
  period: 'month',
  units: ['U1'],
  auth: { type: 'none' },
  paging: { type: 'none' },
  records: '$.items[*]',
  metrics: [{ metric: 'sector.x.share', numerator: '$.a', denominator: '$.b' }],
});

const errorsOf = (patch: (c: any) => void): string[] => {
  const raw: any = base();
  patch(raw);
  const result = parseDeclarativeConfig(raw);
  expect(result.config).toBeNull();
  return result.errors;
};

describe('parseDeclarativeConfig', () => {
  it('accepts a valid configuration and fills defaults', () => {
    const { config, errors } = parseDeclarativeConfig({ ...base(), request: { path: '/stats' }, paging: { type: 'page', param: 'page' } });
    expect(errors).toEqual([]);
    expect(config!.request.query).toEqual({});
    expect(config!.request.headers).toEqual({});
    expect(config!.paging).toEqual({ type: 'page', param: 'page', start: 1, maxPages: 1000 });
  });

  it('accepts every auth and paging type', () => {
    const auths = [
      { type: 'none' },
      { type: 'apiKeyHeader', header: 'apikey' },
      { type: 'bearer' },
      { type: 'oauth2ClientCredentials', tokenPath: '/oauth2/token', scope: 'stats' },
      { type: 'oauth2ClientCredentials', tokenPath: 'https://id.example.vn/token' },
    ];
    const pagings = [
      { type: 'none' },
      { type: 'page', param: 'page', start: 0, sizeParam: 'size', size: 100 },
      { type: 'page', param: 'p', size: 50 },
      { type: 'offset', param: 'offset', sizeParam: 'limit', size: 100 },
      { type: 'cursor', nextPath: '$.meta.next', param: 'cursor' },
      { type: 'cursor', nextPath: '$.links.next' },
    ];
    for (const auth of auths) expect(parseDeclarativeConfig({ ...base(), auth }).errors).toEqual([]);
    for (const paging of pagings) expect(parseDeclarativeConfig({ ...base(), paging }).errors).toEqual([]);
  });

  it('rejects a non-object', () => {
    expect(parseDeclarativeConfig(null).errors).toEqual(['options.source must be an object']);
    expect(parseDeclarativeConfig([]).errors).toEqual(['options.source must be an object']);
  });

  it('rejects unknown keys at every level, naming them', () => {
    expect(errorsOf((c) => (c.extra = 1))).toEqual(['options.source.extra is not a known field']);
    expect(errorsOf((c) => (c.request.method = 'POST'))).toEqual(['options.source.request.method is not a known field']);
    expect(errorsOf((c) => (c.auth = { type: 'none', header: 'x' }))).toEqual(['options.source.auth.header is not a known field']);
    expect(errorsOf((c) => (c.metrics[0].weight = 2))).toEqual(['options.source.metrics[0].weight is not a known field']);
    expect(errorsOf((c) => (c.paging = { type: 'cursor', nextPath: '$.n', size: 5 }))).toEqual(['options.source.paging.size is not a known field']);
  });

  it('names missing and mistyped fields', () => {
    expect(errorsOf((c) => delete c.request)).toEqual(['options.source.request is required']);
    expect(errorsOf((c) => (c.period = 'week'))).toEqual(['options.source.period must be one of month, quarter, year']);
    expect(errorsOf((c) => (c.units = []))).toEqual(['options.source.units must list at least one unit']);
    expect(errorsOf((c) => (c.units = 'U1'))).toEqual(['options.source.units must be a list (got string)']);
    expect(errorsOf((c) => (c.auth = { type: 'digest' }))).toEqual([
      'options.source.auth.type must be one of none, apiKeyHeader, bearer, basic, oauth2ClientCredentials',
    ]);
    expect(errorsOf((c) => (c.auth = { type: 'apiKeyHeader' }))).toEqual(['options.source.auth.header is required']);
    expect(errorsOf((c) => (c.paging = { type: 'offset', param: 'o', sizeParam: 'l', size: 0 }))).toEqual(['options.source.paging.size must be at least 1']);
    expect(errorsOf((c) => (c.metrics = []))).toEqual(['options.source.metrics must list at least one metric']);
  });

  it('validates JSON paths and names the field', () => {
    expect(errorsOf((c) => (c.records = '$..items'))[0]).toMatch(/^options\.source\.records is not a supported JSON path: recursive descent/);
    expect(errorsOf((c) => (c.metrics[0].numerator = '$.a[?(@.x())]'))[0]).toMatch(/^options\.source\.metrics\[0\]\.numerator is not a supported JSON path/);
    const filtered = base();
    filtered.metrics[0].numerator = "$.a[?(@.type=='x')].value";
    expect(parseDeclarativeConfig(filtered).errors).toEqual([]);
    expect(errorsOf((c) => (c.metrics[0].denominator = '$.b[*]'))).toEqual(['options.source.metrics[0].denominator must point to a single value (no [*])']);
    expect(errorsOf((c) => (c.subject = 'id'))[0]).toMatch(/^options\.source\.subject is not a supported JSON path: must start with \$/);
    expect(errorsOf((c) => (c.envelope = { statusPath: '$.s[-1]', okValues: ['ok'] }))[0]).toMatch(/^options\.source\.envelope\.statusPath/);
    expect(errorsOf((c) => (c.paging = { type: 'cursor', nextPath: 'next' }))[0]).toMatch(/^options\.source\.paging\.nextPath/);
  });

  it('validates records lists', () => {
    expect(errorsOf((c) => (c.records = [{ path: '$.a', subject: '$.x[*]' }]))).toEqual([
      'options.source.records[0].subject must point to a single value (no [*])',
    ]);
    expect(errorsOf((c) => (c.records = [{ path: '$.a', sub: '$.x' }]))).toEqual(['options.source.records[0].sub is not a known field']);
    expect(errorsOf((c) => (c.records = []))).toEqual(['options.source.records must list at least one entry']);
    expect(errorsOf((c) => (c.records = 5))).toEqual(['options.source.records must be a JSON path or a list of { path, subject? } entries']);
    expect(errorsOf((c) => ((c.records = [{ path: '$.a' }]), (c.subject = '$.id')))).toEqual([
      'options.source.subject must not be set when options.source.records is a list (give each entry its own subject)',
    ]);
  });

  it('validates templates', () => {
    expect(errorsOf((c) => (c.request.query.from = '{from}'))).toEqual([
      'options.source.request.query.from uses {from} without a format (write {from:yyyy-MM-dd})',
    ]);
    expect(errorsOf((c) => (c.request.query.from = '{from:MM/dd/yyyy}'))[0]).toMatch(/^options\.source\.request\.query\.from uses \{from:MM\/dd\/yyyy\}: the format must be one of/);
    expect(errorsOf((c) => (c.request.path = '/x/{donVi}'))[0]).toMatch(/^options\.source\.request\.path uses unknown placeholder \{donVi\}/);
    expect(errorsOf((c) => (c.request.headers = { 'X-Unit': '{unit' }))).toEqual(['options.source.request.headers["X-Unit"] has an unmatched { or }']);
    expect(errorsOf((c) => (c.request.path = 'stats'))).toEqual([
      'options.source.request.path must be a path starting with / (relative to the connector base URL)',
    ]);
    expect(errorsOf((c) => (c.units = ['000.00.00.H{tinh}']))[0]).toMatch(/^options\.source\.units\[0\] uses unknown placeholder \{tinh\}/);
  });

  it('checks fields against each other', () => {
    expect(errorsOf((c) => (c.units = ['A', 'A']))).toEqual(['options.source.units[1] repeats "A"']);
    expect(errorsOf((c) => c.metrics.push({ ...c.metrics[0] }))).toEqual(['options.source.metrics[1].metric repeats "sector.x.share"']);
    expect(errorsOf((c) => (c.metrics[0].metric = 'docs.share'))[0]).toMatch(/^options\.source\.metrics\[0\]\.metric must match sector\./);
    expect(errorsOf((c) => (c.metrics[0].metric = 'sector.Docs'))[0]).toMatch(/^options\.source\.metrics\[0\]\.metric/);
    expect(errorsOf((c) => (c.request.headers = { Authorization: 'Bearer x' }))[0]).toMatch(/^options\.source\.request\.headers\.Authorization is set by auth/);
    expect(errorsOf((c) => ((c.auth = { type: 'apiKeyHeader', header: 'apikey' }), (c.request.headers = { ApiKey: 'k' })))).toEqual([
      'options.source.request.headers.ApiKey is the API key header of auth',
    ]);
    expect(errorsOf((c) => (c.paging = { type: 'page', param: 'unit' }))).toEqual([
      'options.source.paging.param "unit" is also in options.source.request.query (paging sets it)',
    ]);
    expect(errorsOf((c) => (c.paging = { type: 'page', param: 'page', sizeParam: 'size' }))).toEqual([
      'options.source.paging.size is required when options.source.paging.sizeParam is set',
    ]);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf((c) => {
      c.period = 'day';
      c.units = [];
      c.metrics[0].numerator = 'a';
    });
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e.startsWith('options.source.')).toBe(true);
  });

  it('normalises records to a list of sources', () => {
    const single = parseDeclarativeConfig({ ...base(), subject: '$.id' }).config!;
    expect(recordSources(single)).toEqual([{ path: '$.items[*]', subject: '$.id' }]);
    const list = parseDeclarativeConfig({ ...base(), records: [{ path: '$.data' }, { path: '$.data.children[*]', subject: '$.id' }] }).config!;
    expect(recordSources(list)).toEqual([{ path: '$.data' }, { path: '$.data.children[*]', subject: '$.id' }]);
  });
});
