/**
 * An HTTP simulator of the provincial one-stop-shop dossier API (see shared/contracts/one-stop-shop-api.md):
 * OAuth2 client credentials, the procedures catalogue and the dossier listing by last-change window, with the
 * contract's quirks (from the dataset) and injectable faults. Plain `node:http`, no framework.
 *
 * Control endpoints (not part of the contract): `POST /__sim/faults`, `GET /__sim/faults`, `GET /__sim/stats`,
 * `GET /__sim/truth/:province`, `GET /__sim/health`.
 */
import { listen } from '../sim-server';
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createDataset, parseCompact, SimDataset } from './dossier-generator';
import { FaultCounters, FaultInjector, FaultRates, FaultSpec, ScriptedFault } from './faults';

export const TOKEN_PATH = '/oauth2/token';
export const PROCEDURES_PATH = '/motcua/v1/thutuc';
export const DOSSIERS_PATH = '/motcua/v1/hoso';
export const MAX_PAGE_SIZE = 1000;

export interface OneStopShopSimulatorOptions {
  seed?: number | string;
  /** 2-digit province codes served (default 01, 44, 79) */
  provinces?: string[];
  dossiersPerProvince?: number;
  proceduresPerProvince?: number;
  year?: number;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  malformedRate?: number;
  /** scripted faults queued at start, or scripted faults and random rates */
  faults?: ScriptedFault[] | { scripted?: ScriptedFault[]; rates?: FaultRates };
  /** 0 (default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
}

export interface SimulatorStats extends FaultCounters {
  tokenRequests: number;
  rejectedTokenRequests: number;
  unauthorized: number;
  activeTokens: number;
  pagesServed: number;
  recordsServed: number;
  insertedDossiers: number;
}

export interface OneStopShopSimulator {
  url: string;
  port: number;
  dataset: SimDataset;
  faults: FaultInjector;
  stats(): SimulatorStats;
  /** invalidates every issued token (as the token-expiry fault does) */
  revokeTokens(): void;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const OK_MESSAGE = 'Thành công';

interface Counters {
  tokenRequests: number;
  rejectedTokenRequests: number;
  unauthorized: number;
  pagesServed: number;
  recordsServed: number;
  insertedDossiers: number;
}

class HttpReply extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(Buffer.byteLength(text, 'utf8')), ...headers });
  res.end(text, 'utf8');
}

function envelopeError(code: string, message: string): { error_code: string; message: string; data: null } {
  return { error_code: code, message, data: null };
}

async function readBody(req: IncomingMessage, limit = 256 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) throw new HttpReply(413, { error: 'payload_too_large' });
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

type QueryParams = Map<string, string>;

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Parses `a=1&b=2` (a query string or a form-encoded body); the first value of a repeated name wins. */
export function parseQuery(text: string): QueryParams {
  const out: QueryParams = new Map();
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    if (!out.has(name)) out.set(name, eq < 0 ? '' : decodeComponent(part.slice(eq + 1)));
  }
  return out;
}

/** A whole number within [min, max] from a query parameter, the default when absent, else a DATA_INCORRECT. */
function intParam(params: QueryParams, name: string, min: number, max: number, fallback: number | null): number {
  const raw = params.get(name);
  if (raw === undefined || raw === '') {
    if (fallback !== null) return fallback;
    throw new HttpReply(200, envelopeError('500', `DATA_INCORRECT: thiếu tham số ${name}`));
  }
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HttpReply(200, envelopeError('500', `DATA_INCORRECT: ${name} phải là số nguyên từ ${min} đến ${max}`));
  }
  return n;
}

function stampParam(params: QueryParams, name: string, required: boolean): number | null {
  const raw = params.get(name);
  if (raw === undefined || raw === '') {
    if (!required) return null;
    throw new HttpReply(200, envelopeError('500', `DATA_INCORRECT: thiếu tham số ${name}`));
  }
  const sec = parseCompact(raw);
  if (sec === null) throw new HttpReply(200, envelopeError('500', `DATA_INCORRECT: ${name} không đúng định dạng yyyyMMddHHmmss`));
  return sec;
}

export async function createOneStopShopSimulator(options: OneStopShopSimulatorOptions = {}): Promise<OneStopShopSimulator> {
  const seed = options.seed ?? 1;
  const dataset = createDataset({
    seed,
    provinces: options.provinces ?? ['01', '44', '79'],
    dossiersPerProvince: options.dossiersPerProvince ?? 2000,
    proceduresPerProvince: options.proceduresPerProvince,
    year: options.year ?? 2025,
    malformedRate: options.malformedRate ?? 0,
  });
  const clientId = options.clientId ?? 'demo-client';
  const clientSecret = options.clientSecret ?? 'demo-secret';
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  const faults = new FaultInjector(seed);
  if (Array.isArray(options.faults)) faults.push(...options.faults);
  else if (options.faults) {
    if (options.faults.scripted) faults.push(...options.faults.scripted);
    if (options.faults.rates) faults.setRates(options.faults.rates);
  }

  const tokens = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const counters: Counters = { tokenRequests: 0, rejectedTokenRequests: 0, unauthorized: 0, pagesServed: 0, recordsServed: 0, insertedDossiers: 0 };

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const stats = (): SimulatorStats => {
    const now = Date.now();
    let active = 0;
    for (const expiresAt of tokens.values()) if (expiresAt > now) active++;
    return { ...faults.stats(), ...counters, activeTokens: active };
  };

  /** Applies a fault that answers the request by itself; returns true when it did. */
  const answerWithFault = async (fault: FaultSpec, res: ServerResponse): Promise<boolean> => {
    switch (fault.kind) {
      case 'slow':
        faults.applied('slow');
        await delay(fault.ms);
        return false;
      case 'token-expiry':
        faults.applied('token-expiry');
        tokens.clear();
        return false;
      case 'page-shift':
        return false; // applied where the window is known
      case '429':
        faults.applied('429');
        send(res, 429, { error: 'too_many_requests', message: 'Quá nhiều yêu cầu' }, { 'Retry-After': String(Math.ceil(fault.retryAfterSeconds ?? 1)) });
        return true;
      case '503-http':
        faults.applied('503-http');
        send(res, 503, '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>', {
          'Content-Type': 'text/html; charset=utf-8',
        });
        return true;
      case '503-envelope':
        faults.applied('503-envelope');
        send(res, 200, envelopeError('503', 'SYSTEM_BUSY: hệ thống đang bận, vui lòng thử lại sau'));
        return true;
      case '500-envelope-data-incorrect':
        faults.applied('500-envelope-data-incorrect');
        send(res, 200, envelopeError('500', 'DATA_INCORRECT: dữ liệu yêu cầu không hợp lệ'));
        return true;
      case '400':
        faults.applied('400');
        send(res, 400, { error: 'bad_request', message: 'Yêu cầu không hợp lệ' });
        return true;
    }
  };

  const issueToken = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counters.tokenRequests++;
    if (req.method !== 'POST') throw new HttpReply(405, { error: 'method_not_allowed' });
    const form = parseQuery(await readBody(req, 16 * 1024));
    if (form.get('grant_type') !== 'client_credentials') {
      counters.rejectedTokenRequests++;
      throw new HttpReply(400, { error: 'unsupported_grant_type' });
    }
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      counters.rejectedTokenRequests++;
      throw new HttpReply(401, { error: 'invalid_client' });
    }
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, Date.now() + ttlSeconds * 1000);
    faults.tokenIssued();
    send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds }, { 'Cache-Control': 'no-store' });
  };

  const authorise = (req: IncomingMessage): void => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    const expiresAt = m ? tokens.get(m[1]) : undefined;
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      if (m && expiresAt !== undefined) tokens.delete(m[1]);
      counters.unauthorized++;
      throw new HttpReply(401, { error: 'invalid_token' });
    }
  };

  const province = (params: QueryParams): string => {
    const code = params.get('maTinh') ?? '';
    if (!dataset.hasProvince(code)) throw new HttpReply(200, envelopeError('106', `AGENCY_ID_INCORRECT: không có mã tỉnh ${JSON.stringify(code)}`));
    return code;
  };

  const procedures = (params: QueryParams, res: ServerResponse): void => {
    const p = province(params);
    const trang = intParam(params, 'trang', 1, 1_000_000_000, 1);
    const soBanGhi = intParam(params, 'soBanGhi', 1, MAX_PAGE_SIZE, null);
    const page = dataset.procedurePage(p, trang, soBanGhi);
    counters.pagesServed++;
    counters.recordsServed += page.records.length;
    send(res, 200, { error_code: '00', message: OK_MESSAGE, data: { tongSoBanGhi: page.total, trang, soBanGhi, danhSach: page.records } });
  };

  const dossiers = (params: QueryParams, res: ServerResponse, fault: FaultSpec | null): void => {
    const p = province(params);
    const from = stampParam(params, 'capNhatTu', true)!;
    const to = stampParam(params, 'capNhatDen', false);
    if (to !== null && to < from) throw new HttpReply(200, envelopeError('500', 'DATA_INCORRECT: capNhatDen trước capNhatTu'));
    const trang = intParam(params, 'trang', 1, 1_000_000_000, 1);
    const soBanGhi = intParam(params, 'soBanGhi', 1, MAX_PAGE_SIZE, null);
    if (fault?.kind === 'page-shift') {
      faults.applied('page-shift');
      counters.insertedDossiers += dataset.insertDossiers(p, from, fault.count).length;
    }
    const page = dataset.query(p, from, to ?? Infinity, (trang - 1) * soBanGhi, soBanGhi);
    counters.pagesServed++;
    counters.recordsServed += page.records.length;
    send(res, 200, { error_code: '00', message: OK_MESSAGE, data: { tongSoBanGhi: page.total, trang, soBanGhi, danhSach: page.records } });
  };

  const control = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const faultState = () => ({ pending: faults.pending(), rates: faults.currentRates() });
    if (path === '/__sim/health') return send(res, 200, { status: 'ok' });
    if (path === '/__sim/stats' && req.method === 'GET') return send(res, 200, stats());
    if (path === '/__sim/faults' && req.method === 'GET') return send(res, 200, faultState());
    if (path === '/__sim/faults' && req.method === 'POST') {
      let body: unknown;
      try {
        const text = await readBody(req);
        body = text.trim() === '' ? {} : JSON.parse(text);
      } catch (e) {
        if (e instanceof HttpReply) throw e;
        throw new HttpReply(400, { error: 'body is not JSON' });
      }
      try {
        if (Array.isArray(body)) faults.push(...(body as ScriptedFault[]));
        else if (body && typeof body === 'object') {
          const b = body as { reset?: unknown; faults?: unknown; scripted?: unknown; rates?: unknown };
          if (b.reset === true) faults.reset();
          const list = b.faults ?? b.scripted;
          if (list !== undefined) {
            if (!Array.isArray(list)) throw new Error('faults must be a list');
            faults.push(...(list as ScriptedFault[]));
          }
          if (b.rates !== undefined) faults.setRates(b.rates as FaultRates);
        } else throw new Error('expected a list of faults or {faults, rates, reset}');
      } catch (e) {
        throw new HttpReply(400, { error: (e as Error).message });
      }
      return send(res, 200, faultState());
    }
    const truth = /^\/__sim\/truth\/(\d{2})$/.exec(path);
    if (truth && req.method === 'GET') {
      const p = truth[1];
      if (!dataset.hasProvince(p)) throw new HttpReply(404, { error: `province ${p} is not simulated` });
      return send(res, 200, {
        province: p,
        year: dataset.year,
        dossiers: dataset.count(p),
        distinctDossiers: dataset.distinctCount(p),
        malformed: dataset.malformedCount(p),
        inserted: dataset.insertedCount(p),
        resent: dataset.resentCount(p),
        timelineLength: dataset.timelineLength(p),
        procedures: dataset.listProcedures(p).length,
      });
    }
    throw new HttpReply(404, { error: 'not_found' });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    const path = (mark < 0 ? target : target.slice(0, mark)).replace(/\/+$/, '') || '/';
    const query = parseQuery(mark < 0 ? '' : target.slice(mark + 1));
    if (path.startsWith('/__sim/')) return control(req, res, path);

    const fault = faults.next(path);
    if (fault && (await answerWithFault(fault, res))) {
      req.resume();
      return;
    }
    if (path === TOKEN_PATH) return issueToken(req, res);
    if (path !== PROCEDURES_PATH && path !== DOSSIERS_PATH) throw new HttpReply(404, { error: 'not_found' });
    if (req.method !== 'GET') throw new HttpReply(405, { error: 'method_not_allowed' });
    authorise(req);
    if (path === PROCEDURES_PATH) return procedures(query, res);
    return dossiers(query, res, fault);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      req.resume();
      if (error instanceof HttpReply) send(res, error.status, error.body);
      else send(res, 500, { error: 'internal_error', message: error instanceof Error ? error.message : String(error) });
    });
  });
  const listening = await listen(server, options);

  return {
    url: listening.url,
    port: listening.port,
    dataset,
    faults,
    stats,
    revokeTokens: () => tokens.clear(),
    close: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return listening.close();
    },
  };
}
