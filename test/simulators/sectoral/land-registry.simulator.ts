/**
 * An HTTP simulator of a land-registry / e-cadastre statistics API: a sectoral source shaped differently from the
 * document-management one (OAuth2 bearer tokens, the province in the path, cursor paging, numbers sometimes sent
 * as strings), so that a declaratively configured connector can be shown to generalise. Plain `node:http`.
 *
 *   POST /oauth/token   (application/x-www-form-urlencoded: grant_type=client_credentials, client_id,
 *                        client_secret; HTTP Basic client authentication is accepted too)
 *        → 200 {"access_token": "…", "token_type": "Bearer", "expires_in": 3600}
 *        → 400 {"error":"unsupported_grant_type"} | 401 {"error":"invalid_client"}
 *
 *   GET /api/v2/provinces/{pp}/stats?period=yyyy-MM[&cursor=…]   header `Authorization: Bearer …`
 *        → 200 {"items":[{"office":{"code":"VPDK-01","name":"…"},
 *                         "applications":{"received":"120","processedOnTime":98,"processed":110},
 *                         "onlineApplications":45}, …],
 *               "meta":{"next":"/api/v2/provinces/44/stats?period=2026-03&cursor=…" | null}}
 *        → 401 {"error":"invalid_token"} (missing, unknown, expired or revoked token)
 *        → 404 {"error":"province_not_found"} | 400 {"error":"invalid_period"} | 400 {"error":"invalid_cursor"}
 *
 * The month is the `period` QUERY parameter (yyyy-MM). Pages hold PAGE_SIZE (3) offices; each province has 7–10
 * offices `VPDK-01`…; `meta.next` is a path-and-query relative to the base URL, null on the last page. Each of the
 * four figures is sent as a decimal string in about a quarter of the items (deterministically). Per office and
 * month: processedOnTime ≤ processed ≤ received and onlineApplications ≤ received; an office occasionally has a
 * month with no applications (all zero).
 *
 * Control endpoints (not part of the contract): `GET /__sim/stats`, `GET /__sim/health`.
 */
import { listen } from '../sim-server';
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { parseQuery } from '../one-stop-shop/one-stop-shop.simulator';
import { hashOf, hashString, streamOf } from '../one-stop-shop/prng';

export const LAND_TOKEN_PATH = '/oauth/token';
export const LAND_STATS_PATH_PATTERN = /^\/api\/v2\/provinces\/([^/]+)\/stats$/;
export const LAND_PAGE_SIZE = 3;
export const DEFAULT_LAND_CLIENT_ID = 'demo-land';
export const DEFAULT_LAND_CLIENT_SECRET = 'demo-land-secret';

export type LandFaultKind = '429' | '503' | 'auth';

export interface LandRegistrySimulatorOptions {
  seed?: number | string;
  /** 2-digit province codes served (default 01, 44, 79) */
  provinces?: string[];
  clientId?: string;
  clientSecret?: string;
  /** default 3600 */
  tokenTtlSeconds?: number;
  /** 0 (default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
}

/** A figure as served: a number, or the same number as a decimal string. */
export type LandFigure = number | string;

export interface LandOfficeItem {
  office: { code: string; name: string };
  applications: { received: LandFigure; processedOnTime: LandFigure; processed: LandFigure };
  onlineApplications: LandFigure;
}

export interface LandStatsPage {
  items: LandOfficeItem[];
  meta: { next: string | null };
}

export interface LandRegistryStats {
  tokenRequests: number;
  rejectedTokenRequests: number;
  unauthorized: number;
  activeTokens: number;
  pagesServed: number;
  itemsServed: number;
  badRequests: number;
  notFound: number;
  faultsApplied: Record<LandFaultKind, number>;
  pendingFaults: number;
}

export interface LandRegistrySimulator {
  url: string;
  port: number;
  stats(): LandRegistryStats;
  /** queues a fault answered to the next request (token or stats, in call order); 'auth' answers 401 invalid_token */
  failNext(kind: LandFaultKind): void;
  /** every item of (province, period yyyy-MM), in page order and exactly as served; throws on unknown province/bad period */
  truth(province: string, period: string): LandOfficeItem[];
  /** invalidates every issued token (the next stats call gets 401) */
  revokeTokens(): void;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const SALT_OFFICES = 0x1a9d;
const SALT_OFFICE = 0x2bd3;
const SALT_MONTH = 0x3c41;
const SALT_CURSOR = 0x4e77;

const AREA_NAMES = ['khu vực 1', 'khu vực 2', 'khu vực 3', 'khu vực 4', 'khu vực 5', 'khu vực 6', 'khu vực 7', 'khu vực 8', 'khu vực 9'];

class HttpReply extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
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

async function readBody(req: IncomingMessage, limit = 16 * 1024): Promise<string> {
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

/** Month index (year * 12 + month - 1) of a strict `yyyy-MM`, else null. */
export function parsePeriod(text: string | undefined): number | null {
  const m = text === undefined ? null : /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12) return null;
  return y * 12 + mo - 1;
}

interface Office {
  code: string;
  name: string;
  index: number;
  size: number;
  onTime: number;
  online: number;
  processedShare: number;
}

function buildOffices(seedHash: number, province: string): Office[] {
  const pNum = Number(province);
  const r = streamOf(seedHash, pNum, SALT_OFFICES);
  const count = 7 + Math.floor(r() * 4); // 7..10
  return Array.from({ length: count }, (_, k): Office => {
    const index = k + 1;
    const p = streamOf(seedHash, pNum, index, SALT_OFFICE);
    return {
      code: `VPDK-${String(index).padStart(2, '0')}`,
      name: index === 1 ? 'Văn phòng Đăng ký đất đai' : `Chi nhánh Văn phòng Đăng ký đất đai ${AREA_NAMES[k - 1]}`,
      index,
      size: 40 + Math.floor(p() * 360),
      onTime: 0.72 + 0.26 * p(),
      online: 0.15 + 0.55 * p(),
      processedShare: 0.8 + 0.18 * p(),
    };
  });
}

function officeMonth(seedHash: number, province: string, office: Office, month: number): LandOfficeItem {
  const r = streamOf(seedHash, Number(province), office.index, month, SALT_MONTH);
  const idle = r() < 0.04;
  const received = idle ? 0 : Math.max(0, Math.round(office.size * (0.7 + 0.6 * r())));
  const processed = Math.min(received, Math.round(received * Math.min(1, office.processedShare + 0.1 * (r() - 0.5))));
  const processedOnTime = Math.min(processed, Math.round(processed * Math.min(1, office.onTime + 0.1 * (r() - 0.5))));
  const online = Math.min(received, Math.max(0, Math.round(received * (office.online + 0.2 * (r() - 0.5)))));
  const maybeString = (n: number): LandFigure => (r() < 0.25 ? String(n) : n);
  return {
    office: { code: office.code, name: office.name },
    applications: { received: maybeString(received), processedOnTime: maybeString(processedOnTime), processed: maybeString(processed) },
    onlineApplications: maybeString(online),
  };
}

export async function createLandRegistrySimulator(options: LandRegistrySimulatorOptions = {}): Promise<LandRegistrySimulator> {
  const seedHash = hashString(String(options.seed ?? 1));
  const clientId = options.clientId ?? DEFAULT_LAND_CLIENT_ID;
  const clientSecret = options.clientSecret ?? DEFAULT_LAND_CLIENT_SECRET;
  const ttlSeconds = options.tokenTtlSeconds ?? 3600;
  const offices = new Map<string, Office[]>();
  for (const code of options.provinces ?? ['01', '44', '79']) {
    if (!/^\d{2}$/.test(code)) throw new Error(`province code ${JSON.stringify(code)} is not two digits`);
    if (!offices.has(code)) offices.set(code, buildOffices(seedHash, code));
  }

  const tokens = new Map<string, number>();
  const pending: LandFaultKind[] = [];
  const faultsApplied: Record<LandFaultKind, number> = { '429': 0, '503': 0, auth: 0 };
  const counters = { tokenRequests: 0, rejectedTokenRequests: 0, unauthorized: 0, pagesServed: 0, itemsServed: 0, badRequests: 0, notFound: 0 };

  const items = (province: string, month: number): LandOfficeItem[] => (offices.get(province) ?? []).map((o) => officeMonth(seedHash, province, o, month));

  const cursorCheck = (province: string, period: string, offset: number): string => hashOf(seedHash, hashString(`${province}|${period}`), offset, SALT_CURSOR).toString(36);
  const encodeCursor = (province: string, period: string, offset: number): string =>
    Buffer.from(`${offset}.${cursorCheck(province, period, offset)}`, 'utf8').toString('base64url');
  const decodeCursor = (province: string, period: string, cursor: string, total: number): number => {
    const m = /^(\d{1,6})\.([0-9a-z]+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    const offset = m ? Number(m[1]) : NaN;
    if (!m || m[2] !== cursorCheck(province, period, offset) || offset <= 0 || offset >= total || offset % LAND_PAGE_SIZE !== 0) {
      throw new HttpReply(400, { error: 'invalid_cursor', message: 'cursor is not valid for this province and period' });
    }
    return offset;
  };

  const issueToken = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counters.tokenRequests++;
    if (req.method !== 'POST') throw new HttpReply(405, { error: 'method_not_allowed' }, { Allow: 'POST' });
    const form = parseQuery(await readBody(req));
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (basic && id === undefined) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        id = decodeURIComponent(decoded.slice(0, colon));
        secret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    if (form.get('grant_type') !== 'client_credentials') {
      counters.rejectedTokenRequests++;
      throw new HttpReply(400, { error: 'unsupported_grant_type' });
    }
    if (id !== clientId || secret !== clientSecret) {
      counters.rejectedTokenRequests++;
      throw new HttpReply(401, { error: 'invalid_client' });
    }
    const token = randomBytes(24).toString('base64url');
    tokens.set(token, Date.now() + ttlSeconds * 1000);
    send(res, 200, { access_token: token, token_type: 'Bearer', expires_in: ttlSeconds }, { 'Cache-Control': 'no-store' });
  };

  const unauthorized = (): HttpReply => {
    counters.unauthorized++;
    return new HttpReply(401, { error: 'invalid_token', message: 'access token is missing, invalid or expired' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
  };

  const authorise = (req: IncomingMessage): void => {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const expiresAt = m ? tokens.get(m[1]) : undefined;
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      if (m && expiresAt !== undefined) tokens.delete(m[1]);
      throw unauthorized();
    }
  };

  const statsPage = (req: IncomingMessage, res: ServerResponse, province: string, query: Map<string, string>): void => {
    if (req.method !== 'GET') throw new HttpReply(405, { error: 'method_not_allowed' }, { Allow: 'GET' });
    authorise(req);
    const list = offices.get(province);
    if (!list) {
      counters.notFound++;
      throw new HttpReply(404, { error: 'province_not_found', message: `province ${JSON.stringify(province)} is not served` });
    }
    const period = query.get('period');
    const month = parsePeriod(period);
    if (month === null || period === undefined) {
      counters.badRequests++;
      throw new HttpReply(400, { error: 'invalid_period', message: 'period must be yyyy-MM' });
    }
    const cursor = query.get('cursor');
    let offset = 0;
    if (cursor !== undefined && cursor !== '') {
      try {
        offset = decodeCursor(province, period, cursor, list.length);
      } catch (error) {
        counters.badRequests++;
        throw error;
      }
    }
    const all = items(province, month);
    const page = all.slice(offset, offset + LAND_PAGE_SIZE);
    const nextOffset = offset + LAND_PAGE_SIZE;
    const next =
      nextOffset < all.length ? `/api/v2/provinces/${province}/stats?period=${encodeURIComponent(period)}&cursor=${encodeCursor(province, period, nextOffset)}` : null;
    counters.pagesServed++;
    counters.itemsServed += page.length;
    send(res, 200, { items: page, meta: { next } });
  };

  const stats = (): LandRegistryStats => {
    const now = Date.now();
    let active = 0;
    for (const expiresAt of tokens.values()) if (expiresAt > now) active++;
    return { ...counters, activeTokens: active, faultsApplied: { ...faultsApplied }, pendingFaults: pending.length };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    const path = (mark < 0 ? target : target.slice(0, mark)).replace(/\/+$/, '') || '/';
    const query = parseQuery(mark < 0 ? '' : target.slice(mark + 1));
    if (path === '/__sim/health') return send(res, 200, { status: 'ok' });
    if (path === '/__sim/stats') return send(res, 200, stats());

    const fault = pending.shift();
    if (fault === '429') {
      faultsApplied['429']++;
      throw new HttpReply(429, { error: 'rate_limited', message: 'too many requests' }, { 'Retry-After': '1' });
    }
    if (fault === '503') {
      faultsApplied['503']++;
      throw new HttpReply(503, { error: 'service_unavailable', message: 'service temporarily unavailable' });
    }
    if (fault === 'auth') {
      faultsApplied.auth++;
      throw unauthorized();
    }
    if (path === LAND_TOKEN_PATH) return issueToken(req, res);
    const m = LAND_STATS_PATH_PATTERN.exec(path);
    if (m) {
      let province = m[1];
      try {
        province = decodeURIComponent(province);
      } catch {
        // keep the raw segment: it matches no province
      }
      return statsPage(req, res, province, query);
    }
    counters.notFound++;
    throw new HttpReply(404, { error: 'not_found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      req.resume();
      if (error instanceof HttpReply) send(res, error.status, error.body, error.headers);
      else send(res, 500, { error: 'internal_error', message: error instanceof Error ? error.message : String(error) });
    });
  });
  const listening = await listen(server, options);

  return {
    url: listening.url,
    port: listening.port,
    stats,
    failNext: (kind) => {
      if (kind !== '429' && kind !== '503' && kind !== 'auth') throw new Error(`unknown fault ${String(kind)}`);
      pending.push(kind);
    },
    truth: (province, period) => {
      if (!offices.has(province)) throw new Error(`province ${JSON.stringify(province)} is not simulated`);
      const month = parsePeriod(period);
      if (month === null) throw new Error(`period ${JSON.stringify(period)} is not yyyy-MM`);
      return items(province, month);
    },
    revokeTokens: () => tokens.clear(),
    close: () => listening.close(),
  };
}
