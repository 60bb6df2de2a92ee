import { API_CSP, DASHBOARD_CSP, bodyParserProblem } from './security';

/** body-parser reports its errors as http-errors: a `type`, a 4xx `status`, expose=true */
const parserError = (type: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(String(extra.message ?? type)), { type, status, statusCode: status, expose: true }, extra);

describe('bodyParserProblem', () => {
  it('turns an oversize body into 413 naming the limit', () => {
    expect(bodyParserProblem(parserError('entity.too.large', 413, { limit: 262144, length: 300000 }), 256)).toEqual({
      status: 413,
      message: 'request body too large: the limit is 256 KB',
    });
  });

  it('turns malformed JSON into 400 saying where, without quoting the body (it may hold a secret)', () => {
    const error = Object.assign(new SyntaxError('Unexpected token n in JSON at position 0'), { type: 'entity.parse.failed', status: 400, expose: true });
    expect(bodyParserProblem(error, 256)).toEqual({ status: 400, message: 'malformed JSON body: cannot be parsed (at character 0); send valid JSON' });
    const quoting = Object.assign(new SyntaxError(`Unexpected token 'h', "hunter2-secret" is not valid JSON`), { type: 'entity.parse.failed', status: 400, expose: true });
    expect(bodyParserProblem(quoting, 256)?.message).not.toContain('hunter2');
  });

  it('maps the other body-parser errors to 4xx', () => {
    expect(bodyParserProblem(parserError('parameters.too.many', 413), 1)?.status).toBe(413);
    expect(bodyParserProblem(parserError('charset.unsupported', 415, { charset: 'koi8-r' }), 1)).toEqual({ status: 415, message: 'unsupported body charset "koi8-r"' });
    expect(bodyParserProblem(parserError('encoding.unsupported', 415, { encoding: 'br' }), 1)).toEqual({ status: 415, message: 'unsupported content encoding "br"' });
    expect(bodyParserProblem(parserError('request.aborted', 400), 1)?.status).toBe(400);
    expect(bodyParserProblem(parserError('request.size.invalid', 400), 1)?.status).toBe(400);
    expect(bodyParserProblem(parserError('something.new', 400, { message: 'odd body' }), 1)).toEqual({ status: 400, message: 'odd body' });
  });

  it('leaves alone what is not a body-parser client error', () => {
    expect(bodyParserProblem(new Error('boom'), 1)).toBeNull();
    expect(bodyParserProblem(Object.assign(new Error('x'), { type: 'stream.encoding.set', status: 500 }), 1)).toBeNull();
    expect(bodyParserProblem(undefined, 1)).toBeNull();
    expect(bodyParserProblem('text', 1)).toBeNull();
  });

  it('does not expose the message of an error that is not meant for clients', () => {
    expect(bodyParserProblem(parserError('something.new', 400, { expose: false, message: 'internal detail' }), 1)).toEqual({
      status: 400,
      message: 'unreadable request body',
    });
  });
});

describe('content security policies', () => {
  it('keeps scripts to this origin, never inline or eval, and does not force HTTPS upgrades', () => {
    for (const csp of [API_CSP, DASHBOARD_CSP]) {
      expect(csp['script-src']).toContain("'self'");
      expect(csp['script-src']).not.toContain("'unsafe-inline'");
      expect(csp['script-src']).not.toContain("'unsafe-eval'");
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(csp['upgrade-insecure-requests']).toBeUndefined();
    }
  });

  it('lets the dashboard compile WebAssembly and load its web fonts, and nothing more', () => {
    expect(DASHBOARD_CSP['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(DASHBOARD_CSP['style-src']).toContain('https://fonts.googleapis.com');
    expect(DASHBOARD_CSP['font-src']).toContain('https://fonts.gstatic.com');
    expect(API_CSP['script-src']).toEqual(["'self'"]);
  });
});
