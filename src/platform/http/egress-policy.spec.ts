import { EgressPolicy, EgressRefusedError, parseEgressAllow, restrictedRange } from './egress-policy';

const policy = (allow = '') => new EgressPolicy(parseEgressAllow(allow).entries);

describe('egress policy', () => {
  it.each([
    'http://127.0.0.1/',
    'http://127.1.2.3:8080/',
    'http://[::1]/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'http://10.0.0.5/',
    'http://192.168.1.1/',
    'http://172.16.0.1/',
    'http://[fd00:ec2::254]/',
    'http://[::ffff:127.0.0.1]/',
    'http://0.0.0.0/',
    'http://0x7f.1/',
    'http://2130706433/',
    'http://100.64.0.1/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'file:///etc/passwd',
    'gopher://example.org/',
  ])('refuses %s without an allow-list entry', (url) => {
    expect(() => policy().checkUrl(url)).toThrow(EgressRefusedError);
  });

  it('lets public addresses and names through (names are checked again once resolved)', () => {
    expect(() => policy().checkUrl('https://8.8.8.8/')).not.toThrow();
    expect(() => policy().checkUrl('https://motcua.example.gov.vn/api')).not.toThrow();
  });

  it('refuses a name that resolves to a restricted address, unless the name or the address is allowed', () => {
    expect(() => policy().checkResolved('evil.example', ['93.184.216.34', '127.0.0.1'])).toThrow(/resolves to 127.0.0.1 is a loopback/);
    expect(() => policy().checkResolved('localhost', ['127.0.0.1'])).toThrow(EgressRefusedError);
    expect(() => policy('localhost').checkResolved('localhost', ['127.0.0.1'])).not.toThrow();
    expect(() => policy('10.1.0.0/16').checkResolved('lgsp.internal', ['10.1.2.3'])).not.toThrow();
    expect(() => policy('10.1.0.0/16').checkResolved('lgsp.internal', ['10.2.2.3'])).toThrow(EgressRefusedError);
  });

  it('binds an entry with a port to that port only', () => {
    expect(() => policy('127.0.0.1:4010').checkUrl('http://127.0.0.1:4010/x')).not.toThrow();
    expect(() => policy('127.0.0.1:4010').checkUrl('http://127.0.0.1:4011/x')).toThrow(EgressRefusedError);
    expect(() => policy('127.0.0.1:4010').checkResolved('rebind.example', ['127.0.0.1'], 4011)).toThrow(EgressRefusedError);
    expect(() => policy('[::1]:4010').checkUrl('http://[::1]:4010/')).not.toThrow();
  });

  it('names every bad allow-list entry', () => {
    expect(parseEgressAllow('a b, 10.0.0.0/99, host:99999, ok.example:80').errors).toHaveLength(3);
  });

  it('classifies ranges', () => {
    expect(restrictedRange('8.8.8.8')).toBeNull();
    expect(restrictedRange('169.254.1.1')).toMatch(/linkLocal/);
    expect(restrictedRange('fd12::1')).toMatch(/uniqueLocal/);
  });

  it('refuses at connection time through the agents: the checked address is the connected one', async () => {
    const { httpAgent } = policy().agents();
    const axios = (await import('axios')).default;
    await expect(axios.get('http://localhost:9/', { httpAgent, timeout: 2000 })).rejects.toMatchObject({ cause: expect.any(EgressRefusedError) });
  });
});
