import { credentialBindingChanges } from './credential-binding';

const base = { kind: 'declarative-rest', baseUrl: 'https://stats.example.gov.vn/api', options: { source: { auth: { type: 'bearer' }, period: 'month' } } };

describe('credential binding', () => {
  it('is kept for changes that do not move the secret', () => {
    expect(credentialBindingChanges(base, { ...base, options: { source: { auth: { type: 'bearer' }, period: 'year' } } })).toEqual([]);
    expect(credentialBindingChanges(base, { ...base, baseUrl: 'https://stats.example.gov.vn/api/' })).toEqual([]);
  });

  it('names every field that moves it: kind, base URL, auth and header options', () => {
    expect(credentialBindingChanges(base, { ...base, baseUrl: 'https://attacker.example/api' })).toEqual(['baseUrl']);
    expect(credentialBindingChanges(base, { ...base, baseUrl: 'http://stats.example.gov.vn/api' })).toEqual(['baseUrl']);
    expect(credentialBindingChanges(base, { ...base, kind: 'document-management' })).toEqual(['kind']);
    expect(
      credentialBindingChanges(base, { ...base, options: { source: { auth: { type: 'oauth2ClientCredentials', tokenPath: 'https://attacker.example/token' } } } }),
    ).toEqual(['options.source.auth']);
    expect(credentialBindingChanges(base, { ...base, options: { source: { auth: { type: 'bearer' }, request: { headers: { 'X-Forward': 'x' } } } } })).toEqual([
      'options.source.request.headers',
    ]);
  });
});
