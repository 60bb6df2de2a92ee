import { createHash } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer, request } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ServedAnswer {
  method: string;
  /** path and query as requested */
  target: string;
  status: number;
  body: Buffer;
  sha256: string;
}

/**
 * An HTTP proxy in front of a source that keeps a copy of every answer it passed back (the bytes the source
 * served), so a test can compare what was served with what the raw archive holds.
 */
export interface RecordingProxy {
  url: string;
  served(): ServedAnswer[];
  close(): Promise<void>;
}

export async function startRecordingProxy(targetUrl: string, onAnswer?: (answer: ServedAnswer) => void): Promise<RecordingProxy> {
  const target = new URL(targetUrl);
  const served: ServedAnswer[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const entry = { method: req.method ?? 'GET', target: req.url ?? '/', status: answer.statusCode ?? 0, body, sha256: createHash('sha256').update(body).digest('hex') };
          served.push(entry);
          onAnswer?.(entry);
          const headers = { ...answer.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(body.length);
          res.writeHead(answer.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served: () => [...served],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
