import { REDACTED_PATHS, withoutSecrets } from './logging';

describe('log hygiene', () => {
  it('removes secret-looking query parameters from logged URLs', () => {
    expect(withoutSecrets('/admin/queues?token=peh_at_abc&x=1')).toBe('/admin/queues?token=[REDACTED]&x=1');
    expect(withoutSecrets('/a?apiKey=k1&access_token=t2&password=p')).toBe('/a?apiKey=[REDACTED]&access_token=[REDACTED]&password=[REDACTED]');
    expect(withoutSecrets('/provinces/79/years/2025/scorecard?catalogue=x')).toBe('/provinces/79/years/2025/scorecard?catalogue=x');
  });

  it('redacts credentials headers and fields', () => {
    for (const path of ['req.headers.authorization', 'req.headers["x-api-key"]', '*.password', '*.clientSecret', '*.token']) expect(REDACTED_PATHS).toContain(path);
  });
});
