import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SourceError } from '../src/connectors/connector-errors';
import { SourceHttp } from '../src/connectors/http/source-http';
import { EgressPolicy } from '../src/platform/http/egress-policy';

/** When a source refuses a call, the run's error says what the source said, without the secrets sent. */
describe("a failed call shows the source's message, redacted", () => {
  let server: Server;
  let base: string;
  const KEY = 'k3y-0f-the-sectoral-system';

  beforeAll(async () => {
    server = createServer((req, res) => {
      const key = String(req.headers.apikey ?? '');
      const answers: Record<string, [number, string, string]> = {
        '/forbidden': [403, 'application/json', JSON.stringify({ status: 'error', code: 'IP_DISALLOWED', message: `Địa chỉ IP không được phép (key ${key}, liên hệ admin@so.gov.vn)` })],
        '/busy': [503, 'text/html', '<html><head><title>Hệ thống bảo trì</title></head><body>…</body></html>'],
        '/bad': [400, 'application/json', JSON.stringify({ error: 'tuNgay không đúng định dạng' })],
      };
      const [status, type, body] = answers[req.url ?? ''] ?? [404, 'application/json', '{}'];
      res.writeHead(status, { 'Content-Type': type });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const http = () =>
    new SourceHttp({ baseUrl: base, headers: { apikey: KEY }, egress: EgressPolicy.fromConfig('127.0.0.1'), timeoutMs: 2000, maxAttempts: 1, backoffBaseMs: 1, backoffMaxMs: 1, onResponse: async () => 'digest' });
  const failure = async (path: string): Promise<SourceError> => {
    try {
      await http().get(path);
    } catch (error) {
      return error as SourceError;
    }
    throw new Error('the call did not fail');
  };

  it('includes the JSON message of the refusal, with the API key and e-mail masked', async () => {
    const error = await failure('/forbidden');
    expect(error.message).toContain('HTTP 403');
    expect(error.message).toContain('the source says: Địa chỉ IP không được phép (key [redacted], liên hệ [email]) — IP_DISALLOWED');
    expect(error.message).not.toContain(KEY);
  });

  it('includes the title of an HTML error page and a 400 error field', async () => {
    expect((await failure('/busy')).message).toContain('the source says: Hệ thống bảo trì');
    expect((await failure('/bad')).message).toContain('the source says: tuNgay không đúng định dạng');
  });
});
