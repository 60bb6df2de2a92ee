/**
 * An HTTP simulator of the VNPost public-postal-service (BCCI) report service (see
 * shared/contracts/vnpost-bcci-reports.md): the monthly listing and the file download, behind an API key.
 * Plain `node:http`, no framework. Files are deterministic from the seed, built lazily and cached per
 * (province, month, version); see report-generator.ts for the content and the format variants.
 *
 * Control endpoints (not part of the contract): `GET /__sim/health`, `GET /__sim/stats`.
 */
import { listen } from '../sim-server';
import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FileEntry as BcciFileEntry, ListingAnswer as BcciListing } from './bcci-contract.types';
import {
  BcciTruth,
  encodeReport,
  firstVersion,
  isMonth,
  monthEnd,
  nextVersion,
  PostalDossier,
  postalDossiers,
  ReportModel,
  reportVariant,
  ReportVariant,
  truthOf,
} from './report-generator';

export type { BcciTruth } from './report-generator';

export const LISTING_PATH = '/bcci/v1/baocao';
export const FILE_PATH_PREFIX = '/bcci/v1/tep/';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const JSON_TYPE = 'application/json; charset=utf-8';
const DAY_MS = 86_400_000;

export interface BcciSimulatorOptions {
  seed?: number | string;
  /** 2-digit province codes served (default 01, 44, 79) */
  provinces?: string[];
  /** `yyyy-MM` months with a report (default 2025-01 … 2025-12) */
  months?: string[];
  /** rows per report when there is no one-stop-shop source (default 200) */
  waybillsPerProvinceMonth?: number;
  /** share (0..1) of bad rows added after good rows (default 0.01) */
  badRowRate?: number;
  /** default 'demo-bcci-key' */
  apiKey?: string;
  /** 0 (default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** dossiers of the one-stop shop the waybills should reference (e.g. the one-stop-shop simulator's dataset) */
  oneStopShop?: { listDossiers(province: string): Record<string, unknown>[] };
}

export interface BcciSimulatorStats {
  requests: number;
  listingRequests: number;
  fileRequests: number;
  unauthorized: number;
  notFound: number;
  badRequests: number;
  filesBuilt: number;
  bytesServed: number;
  corrections: number;
  corruptedListings: number;
}

/** A published file with its bytes and how it was made. */
export interface BcciFile extends BcciFileEntry {
  id: string;
  bytes: Buffer;
  contentType: string;
  variant: ReportVariant;
}

export interface BcciSimulator {
  url: string;
  port: number;
  apiKey: string;
  close(): Promise<void>;
  stats(): BcciSimulatorStats;
  /** publishes the next version (phienBan + 1) of a month with some rows changed, added or removed; returns it */
  addCorrection(province: string, month: string): number;
  /** the next listing of that month advertises a wrong sha256 for its newest file (once) */
  corruptDigest(province: string, month: string): void;
  /**
   * The newest file of that month is served broken, with the listing's sha256 matching the broken bytes:
   * `truncated` (a download cut at 60 %), `password` (an encrypted workbook: an OLE2 container) or `wrong-report`
   * (another report sent by mistake). A later correction is served whole.
   */
  breakFile(province: string, month: string, how: 'truncated' | 'password' | 'wrong-report'): void;
  /** the rows of the newest version of a month, as data, with the expected cross-check against the one-stop shop */
  truth(province: string, month: string): BcciTruth;
  /** every published version of a month, oldest first, with bytes (URLs relative to `url`) */
  files(province: string, month: string): Promise<BcciFile[]>;
}

class HttpReply extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(Buffer.byteLength(text, 'utf8')) });
  res.end(text, 'utf8');
}

function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function parseQuery(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    if (!out.has(name)) out.set(name, eq < 0 ? '' : decodeComponent(part.slice(eq + 1)));
  }
  return out;
}

/** A file as it sometimes arrives: cut short, encrypted, or another report altogether. */
function breakBytes(bytes: Buffer, how: 'truncated' | 'password' | 'wrong-report' | undefined): Buffer {
  if (how === 'truncated') return bytes.subarray(0, Math.floor(bytes.length * 0.6));
  // an encrypted workbook is an OLE2 compound file (signature D0 CF 11 E0 A1 B1 1A E1)
  if (how === 'password') return Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(4096, 0x20)]);
  if (how === 'wrong-report') return Buffer.from('\ufeffSTT,Mã hồ sơ,Mã TTHC,Ngày tiếp nhận,Trạng thái\r\n1,H44.22-250101-0001,1.001234,01/01/2025,Đã tiếp nhận\r\n', 'utf8');
  return bytes;
}

function defaultMonths(year: number): string[] {
  return Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
}

/** `2026-09-03T08:00:00+07:00` of an instant. */
function isoVietnam(ms: number): string {
  const d = new Date(ms + 7 * 3600_000);
  return `${d.toISOString().slice(0, 19)}+07:00`;
}

interface Built {
  id: string;
  name: string;
  bytes: Buffer;
  sha256: string;
  createdAt: number;
}

interface MonthState {
  versions: ReportModel[];
  /** waybill ids used by any version of the month */
  used: Set<string>;
  built: Map<number, Promise<Built>>;
}

export async function createBcciSimulator(options: BcciSimulatorOptions = {}): Promise<BcciSimulator> {
  const seed = options.seed ?? 1;
  const provinces = options.provinces ?? ['01', '44', '79'];
  for (const p of provinces) if (!/^\d{2}$/.test(p)) throw new Error(`province code ${JSON.stringify(p)} must be two digits`);
  const months = options.months ?? defaultMonths(2025);
  for (const m of months) if (!isMonth(m)) throw new Error(`month ${JSON.stringify(m)} must be yyyy-MM`);
  const badRowRate = options.badRowRate ?? 0.01;
  if (!(badRowRate >= 0 && badRowRate <= 1)) throw new Error('badRowRate must be within 0..1');
  const waybills = options.waybillsPerProvinceMonth ?? 200;
  if (!Number.isInteger(waybills) || waybills < 0) throw new Error('waybillsPerProvinceMonth must be a whole number ≥ 0');
  const gen = { seed, waybillsPerProvinceMonth: waybills, badRowRate };
  const apiKey = options.apiKey ?? 'demo-bcci-key';
  const knownProvinces = new Set(provinces);
  const knownMonths = new Set(months);

  const counters: BcciSimulatorStats = {
    requests: 0,
    listingRequests: 0,
    fileRequests: 0,
    unauthorized: 0,
    notFound: 0,
    badRequests: 0,
    filesBuilt: 0,
    bytesServed: 0,
    corrections: 0,
    corruptedListings: 0,
  };
  const states = new Map<string, MonthState>();
  const postal = new Map<string, PostalDossier[]>();
  const corrupt = new Set<string>();
  /** `province|month|version` → how that file is broken */
  const broken = new Map<string, 'truncated' | 'password' | 'wrong-report'>();

  const dossiersOf = (province: string): PostalDossier[] | null => {
    if (!options.oneStopShop) return null;
    let list = postal.get(province);
    if (!list) {
      list = postalDossiers(options.oneStopShop.listDossiers(province));
      postal.set(province, list);
    }
    return list;
  };

  const check = (province: string, month: string): void => {
    if (!knownProvinces.has(province)) throw new Error(`province ${province} is not simulated`);
    if (!knownMonths.has(month)) throw new Error(`month ${month} has no report`);
  };

  const state = (province: string, month: string): MonthState => {
    const key = `${province}|${month}`;
    let st = states.get(key);
    if (!st) {
      const used = new Set<string>();
      st = { versions: [firstVersion(gen, province, month, dossiersOf(province), used)], used, built: new Map() };
      states.set(key, st);
    }
    return st;
  };

  const fileId = (province: string, month: string, version: number): string => `${province}${month.replace('-', '')}${String(version).padStart(2, '0')}`;

  /** Published the 3rd of the next month at 08:00 Vietnam time; each correction a week after the previous. */
  const createdAtOf = (month: string, version: number): number => monthEnd(month) * 1000 + 2 * DAY_MS + 8 * 3600_000 + (version - 1) * 7 * DAY_MS;

  const build = (province: string, month: string, version: number): Promise<Built> => {
    const st = state(province, month);
    let p = st.built.get(version);
    if (!p) {
      const model = st.versions[version - 1];
      const variant = reportVariant(seed, province, month);
      const createdAt = createdAtOf(month, version);
      p = encodeReport(model, variant, new Date(createdAt)).then((whole) => {
        counters.filesBuilt++;
        const bytes = breakBytes(whole, broken.get(`${province}|${month}|${version}`));
        const ext = variant.format === 'xlsx' ? 'xlsx' : 'csv';
        return {
          id: fileId(province, month, version),
          name: `BCCI_${province}_${month.replace('-', '')}${version > 1 ? `_v${version}` : ''}.${ext}`,
          bytes,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          createdAt,
        };
      });
      p.catch(() => st.built.delete(version));
      st.built.set(version, p);
    }
    return p;
  };

  const entries = async (province: string, month: string, base: string): Promise<BcciFile[]> => {
    const st = state(province, month);
    const variant = reportVariant(seed, province, month);
    const out: BcciFile[] = [];
    for (let v = 1; v <= st.versions.length; v++) {
      const b = await build(province, month, v);
      out.push({
        tenTep: b.name,
        url: `${base}${FILE_PATH_PREFIX}${b.id}`,
        sha256: b.sha256,
        kichThuoc: b.bytes.length,
        phienBan: v,
        ngayTao: isoVietnam(b.createdAt),
        id: b.id,
        bytes: b.bytes,
        contentType: variant.format === 'xlsx' ? XLSX_TYPE : 'text/csv',
        variant,
      });
    }
    return out;
  };

  const authorise = (req: IncomingMessage): void => {
    const key = req.headers['x-api-key'];
    if (key !== apiKey) {
      counters.unauthorized++;
      throw new HttpReply(401, { error: 'unauthorized', message: key === undefined ? 'Thiếu X-API-Key' : 'X-API-Key không hợp lệ' });
    }
  };

  const listing = async (req: IncomingMessage, res: ServerResponse, query: Map<string, string>, base: string): Promise<void> => {
    counters.listingRequests++;
    const maTinh = (query.get('maTinh') ?? '').trim();
    const thang = (query.get('thang') ?? '').trim();
    if (maTinh === '') throw new HttpReply(400, { error: 'bad_request', message: 'Thiếu tham số maTinh' });
    if (!isMonth(thang)) throw new HttpReply(400, { error: 'bad_request', message: `thang ${JSON.stringify(thang)} phải có dạng yyyy-MM` });
    if (!knownProvinces.has(maTinh)) throw new HttpReply(404, { error: 'not_found', message: `Không có mã tỉnh ${JSON.stringify(maTinh)}` });
    const tep: BcciFileEntry[] = [];
    if (knownMonths.has(thang)) {
      const files = await entries(maTinh, thang, base);
      const key = `${maTinh}|${thang}`;
      for (const f of files) {
        const { tenTep, url, sha256, kichThuoc, phienBan, ngayTao } = f;
        tep.push({ tenTep, url, sha256, kichThuoc, phienBan, ngayTao });
      }
      if (corrupt.delete(key) && tep.length > 0) {
        const last = tep[tep.length - 1];
        last.sha256 = createHash('sha256').update(`corrupt:${last.sha256}`).digest('hex');
        counters.corruptedListings++;
      }
    }
    const body: BcciListing = { maTinh, thang, tep };
    send(res, 200, body);
  };

  const download = async (res: ServerResponse, id: string): Promise<void> => {
    counters.fileRequests++;
    const m = /^(\d{2})(\d{4})(\d{2})(\d{2,})$/.exec(id);
    const province = m?.[1] ?? '';
    const month = m ? `${m[2]}-${m[3]}` : '';
    const version = m ? Number(m[4]) : 0;
    if (!m || !knownProvinces.has(province) || !knownMonths.has(month) || version < 1 || version > state(province, month).versions.length) {
      throw new HttpReply(404, { error: 'not_found', message: `Không có tệp ${JSON.stringify(id)}` });
    }
    const b = await build(province, month, version);
    const variant = reportVariant(seed, province, month);
    const type = variant.format === 'xlsx' ? XLSX_TYPE : variant.encoding === 'windows-1258' ? 'text/csv; charset=windows-1258' : 'text/csv; charset=utf-8';
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': String(b.bytes.length),
      'Content-Disposition': `attachment; filename="${b.name}"`,
    });
    res.end(b.bytes);
    counters.bytesServed += b.bytes.length;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, base: string): Promise<void> => {
    counters.requests++;
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    const path = (mark < 0 ? target : target.slice(0, mark)).replace(/\/+$/, '') || '/';
    const query = parseQuery(mark < 0 ? '' : target.slice(mark + 1));
    if (path === '/__sim/health') return send(res, 200, { status: 'ok' });
    if (path === '/__sim/stats') return send(res, 200, { ...counters });
    const isFile = path.startsWith(FILE_PATH_PREFIX);
    if (path !== LISTING_PATH && !isFile) throw new HttpReply(404, { error: 'not_found', message: 'Không tìm thấy' });
    if (req.method !== 'GET') throw new HttpReply(405, { error: 'method_not_allowed' });
    authorise(req);
    if (isFile) return download(res, decodeComponent(path.slice(FILE_PATH_PREFIX.length)));
    return listing(req, res, query, base);
  };

  let url = '';
  const server: Server = createServer((req, res) => {
    const base = req.headers.host ? `http://${req.headers.host}` : url;
    handle(req, res, base).catch((error: unknown) => {
      req.resume();
      if (error instanceof HttpReply) {
        if (error.status === 404) counters.notFound++;
        if (error.status === 400) counters.badRequests++;
        send(res, error.status, error.body);
      } else send(res, 500, { error: 'internal_error', message: error instanceof Error ? error.message : String(error) });
    });
  });
  const listening = await listen(server, options);
  url = listening.url;

  return {
    url,
    port: listening.port,
    apiKey,
    stats: () => ({ ...counters }),
    addCorrection: (province, month) => {
      check(province, month);
      const st = state(province, month);
      const prev = st.versions[st.versions.length - 1];
      st.versions.push(nextVersion(gen, prev, options.oneStopShop !== undefined, st.used));
      counters.corrections++;
      return st.versions.length;
    },
    corruptDigest: (province, month) => {
      check(province, month);
      corrupt.add(`${province}|${month}`);
    },
    breakFile: (province, month, how) => {
      check(province, month);
      const st = state(province, month);
      broken.set(`${province}|${month}|${st.versions.length}`, how);
      st.built.delete(st.versions.length);
    },
    truth: (province, month) => {
      check(province, month);
      const st = state(province, month);
      return truthOf(st.versions[st.versions.length - 1], reportVariant(seed, province, month));
    },
    files: (province, month) => {
      check(province, month);
      return entries(province, month, url);
    },
    close: () => listening.close(),
  };
}
