import { negotiateLanguage, translateMessage, translatePhrase } from './error-messages';

describe('API error messages in the caller language', () => {
  it('negotiates Vietnamese only when asked for, honouring q-values', () => {
    expect(negotiateLanguage('vi')).toBe('vi');
    expect(negotiateLanguage('vi-VN,vi;q=0.9,en;q=0.8')).toBe('vi');
    expect(negotiateLanguage('en;q=1, vi;q=0.5')).toBe('en');
    expect(negotiateLanguage('fr')).toBe('en');
    expect(negotiateLanguage(undefined)).toBe('en');
  });

  it('translates known message shapes, keeping field names and codes', () => {
    expect(translateMessage('the operator role may not do this (raw.read)', 'vi')).toBe('Vai trò operator không được phép thực hiện thao tác này (raw.read)');
    expect(translateMessage('property nope should not exist', 'vi')).toBe('Trường nope không được chấp nhận');
    expect(translateMessage('baseUrl: changing it needs the credentials again in the same request (the saved apiKey …)', 'vi')).toMatch(/^baseUrl: thay đổi trường này cần nhập lại/);
    expect(translateMessage('EGRESS_REFUSED: outbound call to 127.0.0.1 refused: 127.0.0.1 is a loopback address; an administrator may allow it with EGRESS_ALLOW', 'vi')).toBe(
      'EGRESS_REFUSED: cuộc gọi ra ngoài tới 127.0.0.1 bị từ chối (127.0.0.1 is a loopback address); quản trị viên có thể cho phép bằng EGRESS_ALLOW',
    );
    expect(translatePhrase('Forbidden', 'vi')).toBe('Không có quyền');
  });

  it('leaves English alone, and unknown shapes in English', () => {
    expect(translateMessage('the operator role may not do this (raw.read)', 'en')).toBe('the operator role may not do this (raw.read)');
    expect(translateMessage('something new', 'vi')).toBe('something new');
  });
});
