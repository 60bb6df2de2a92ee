import { errorForEnvelope, errorForStatus } from './one-stop-shop.errors';

describe('one-stop-shop error mapping', () => {
  it.each([
    [429, false, 'RATE_LIMITED'],
    [502, false, 'SERVER_ERROR'],
    [503, false, 'SERVER_ERROR'],
    [504, false, 'SERVER_ERROR'],
    [400, true, 'BAD_REQUEST'],
    [404, true, 'NOT_FOUND'],
  ])('HTTP %i → permanent=%s %s', (status, permanent, code) => {
    const e = errorForStatus(status, 'u', null);
    expect(e.permanent).toBe(permanent);
    expect(e.code).toBe(code);
  });

  it.each([
    ['503', false, 'SYSTEM_BUSY'],
    ['500', true, 'DATA_INCORRECT'],
    ['100', true, 'AUTH_FAILED'],
    ['101', true, 'IP_DISALLOWED'],
    ['106', true, 'AGENCY_ID_INCORRECT'],
    ['999', true, 'UNEXPECTED_RESPONSE'],
  ])('error_code %s inside HTTP 200 → permanent=%s %s', (code, permanent, mapped) => {
    const e = errorForEnvelope(code, 'x', 'u')!;
    expect(e.permanent).toBe(permanent);
    expect(e.code).toBe(mapped);
  });

  it('treats "00" (and the number 0) as success', () => {
    expect(errorForEnvelope('00', 'Thành công', 'u')).toBeNull();
    expect(errorForEnvelope(0, '', 'u')).toBeNull();
  });
});
