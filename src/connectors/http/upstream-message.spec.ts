import { upstreamMessage } from './upstream-message';

const json = (v: unknown) => Buffer.from(JSON.stringify(v));

describe("the source's own error message, redacted", () => {
  it('reads the message fields of a JSON error body', () => {
    expect(upstreamMessage(json({ status: 'error', code: 'AUTHEN_ERROR', message: 'Xác thực không thành công: apikey không hợp lệ' }), 'application/json', [])).toBe(
      'Xác thực không thành công: apikey không hợp lệ — AUTHEN_ERROR',
    );
    expect(upstreamMessage(json({ error: 'invalid_token' }), 'application/json', [])).toBe('invalid_token');
    expect(upstreamMessage(json({ error: { message: 'quota exceeded' } }), 'application/json; charset=utf-8', [])).toBe('quota exceeded');
    expect(upstreamMessage(json({ data: null }), 'application/json', [])).toBeNull();
  });

  it('reads the title of an HTML page and the start of a text body', () => {
    expect(upstreamMessage(Buffer.from('<html><head><title>503 Service Temporarily Unavailable</title></head></html>'), 'text/html', [])).toBe('503 Service Temporarily Unavailable');
    expect(upstreamMessage(Buffer.from('Upstream busy\n try later'), 'text/plain', [])).toBe('Upstream busy try later');
    expect(upstreamMessage(Buffer.from(''), 'text/plain', [])).toBeNull();
  });

  it('masks the secrets sent, tokens, e-mail addresses and identity or phone numbers; one short line', () => {
    const said = upstreamMessage(
      json({ message: 'key s3cr3t-KEY rejected for nguyen.a@example.vn (CCCD 001090012345, tel 0912345678); token eyJhbGciOiJIUzI1NiJ9abcdefghijklmnop; Bearer abc.def' }),
      'application/json',
      ['s3cr3t-KEY'],
    )!;
    expect(said).toBe('key [redacted] rejected for [email] (CCCD [number], tel [number]); token [redacted]; Bearer [redacted]');
    expect(upstreamMessage(json({ message: 'word '.repeat(100) }), 'application/json', [])!.length).toBeLessThanOrEqual(200);
  });
});
