import http from 'node:http';

export interface RawRequest {
  method: string;
  /** already encoded: sent on the request line exactly as given */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** send the body with Transfer-Encoding: chunked instead of a Content-Length */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** the parsed JSON body, or undefined when the body is not JSON */
  json: unknown;
}

export type RawResult = { ok: true; response: RawResponse; ms: number } | { ok: false; error: string; ms: number };

/**
 * One request over a fresh connection (no keep-alive, so a reset or a hang is attributed to the request that caused
 * it). Never throws: transport errors (reset, refused, timeout) come back as `{ ok: false }`.
 */
export function sendRaw(baseUrl: string, req: RawRequest, timeoutMs = 15_000): Promise<RawResult> {
  const url = new URL(baseUrl);
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: RawResult) => {
      if (!settled) {
        settled = true;
        resolve(r);
      }
    };
    const headers: Record<string, string | number> = { ...(req.headers ?? {}) };
    if (req.body !== undefined) {
      if (req.chunked) headers['transfer-encoding'] = 'chunked';
      else headers['content-length'] = req.body.length;
    }
    let request: http.ClientRequest;
    try {
      request = http.request({ host: url.hostname, port: url.port, method: req.method, path: req.path, headers, agent: false });
    } catch (error) {
      done({ ok: false, error: `request not sent: ${(error as Error).message}`, ms: 0 });
      return;
    }
    request.setTimeout(timeoutMs, () => {
      done({ ok: false, error: `no answer within ${timeoutMs} ms`, ms: Date.now() - started });
      request.destroy();
    });
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e) => done({ ok: false, error: `answer broken: ${(e as NodeJS.ErrnoException).code ?? e.message}`, ms: Date.now() - started }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        done({ ok: true, response: { status: res.statusCode ?? 0, headers: res.headers, text, json }, ms: Date.now() - started });
        // the server may answer before it has read the whole body (413): stop sending and free the socket
        request.destroy();
      });
    });
    request.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, error: `connection error: ${e.code ?? e.message}`, ms: Date.now() - started }));
    if (req.body === undefined) {
      request.end();
    } else if (req.chunked) {
      // a few chunks, as a streaming client would send them
      const size = Math.max(1, Math.ceil(req.body.length / 8));
      for (let i = 0; i < req.body.length; i += size) request.write(req.body.subarray(i, i + size));
      request.end();
    } else {
      request.end(req.body);
    }
  });
}

/** Runs `work` over `items` with at most `concurrency` at a time; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await work(items[i], i);
    }
  });
  await Promise.all(lanes);
  return results;
}
