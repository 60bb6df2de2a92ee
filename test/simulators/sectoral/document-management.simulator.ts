/**
 * An HTTP simulator of the document-management and executive system (QLVB&ĐH) statistics API, as published via
 * the LGSP (see shared/contracts/document-management-api.md). Plain `node:http`, no framework.
 *
 *   GET /qlvb/v1/thongke?maDonVi=000.00.00.H44&tuNgay=2026-01-01&denNgay=2026-03-31   header `apikey: …`
 *
 * Units: each simulated province `pp` has the provincial People's Committee `000.00.00.H{pp}` and 5–12 child
 * agencies `000.NN.{pp}.H{pp}` (NN = 01…). Figures are a pure function of (seed, unit, day): every child agency
 * gets per-day figures, a range is the sum of its days (so a quarter is exactly the sum of its months), and the
 * province is the sum of its children. Per day (hence per any range): dienTu ≤ tong, kySo ≤ dienTu and
 * lienThongTrucQuocGia ≤ dienTu (outgoing), dienTu ≤ tong (incoming). Weekends are nearly empty and every
 * province has at least one low-activity agency, so short ranges often show `tong: 0` for it.
 * Querying a child agency returns its own figures with `donVi: []`.
 *
 * Checks, in order: fault hook, path (404) and method (405), apikey (HTTP 200 AUTHEN_ERROR), maDonVi (HTTP 200
 * AGENCY_ID_INCORRECT), tuNgay/denNgay (HTTP 400 DATA_INCORRECT: missing, not a calendar date yyyy-MM-dd,
 * tuNgay > denNgay, or a range longer than MAX_RANGE_DAYS).
 *
 * Control endpoint (not part of the contract): `GET /__sim/stats`, `GET /__sim/health`.
 */
import { listen } from '../sim-server';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { parseQuery } from '../one-stop-shop/one-stop-shop.simulator';
import { hashString, streamOf } from '../one-stop-shop/prng';

export const DOCUMENT_STATS_PATH = '/qlvb/v1/thongke';
export const DEFAULT_DOCUMENT_API_KEY = 'demo-qlvb-key';
/** Longest accepted range, in days (inclusive of both ends). */
export const MAX_RANGE_DAYS = 3700;

export type DocumentFaultKind = '429' | '503' | 'auth';

export interface DocumentManagementSimulatorOptions {
  seed?: number | string;
  /** 2-digit province codes served (default 01, 44, 79) */
  provinces?: string[];
  /** value expected in the `apikey` header (default demo-qlvb-key) */
  apiKey?: string;
  /** 0 (default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
}

export interface OutgoingFigures {
  tong: number;
  dienTu: number;
  kySo: number;
  lienThongTrucQuocGia: number;
}

export interface IncomingFigures {
  tong: number;
  dienTu: number;
}

export interface DocumentUnitFigures {
  maDonVi: string;
  tenDonVi: string;
  vanBanDi: OutgoingFigures;
  vanBanDen: IncomingFigures;
}

/** The `data` object of a successful answer. */
export interface DocumentStatsData {
  maDonVi: string;
  tuNgay: string;
  denNgay: string;
  vanBanDi: OutgoingFigures;
  vanBanDen: IncomingFigures;
  donVi: DocumentUnitFigures[];
}

export interface DocumentUnit {
  maDonVi: string;
  tenDonVi: string;
  province: string;
  /** null for the provincial People's Committee, else the child index (1…) */
  index: number | null;
}

export interface DocumentManagementStats {
  requests: number;
  served: number;
  authErrors: number;
  agencyErrors: number;
  dataErrors: number;
  notFound: number;
  faultsApplied: Record<DocumentFaultKind, number>;
  pendingFaults: number;
}

export interface DocumentManagementSimulator {
  url: string;
  port: number;
  stats(): DocumentManagementStats;
  /** queues a fault answered to the next API request (in call order) */
  failNext(kind: DocumentFaultKind): void;
  /** the `data` object the API returns for these parameters; throws on an unknown unit or bad dates */
  truth(unitId: string, from: string, to: string): DocumentStatsData;
  /** the province unit and its children, for every simulated province */
  units(): DocumentUnit[];
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Child agencies; 01 and 02 are always Nội vụ and Tài chính, the rest follow in a seeded order. */
const AGENCY_NAMES = [
  'Sở Nội vụ',
  'Sở Tài chính',
  'Sở Tư pháp',
  'Sở Công Thương',
  'Sở Xây dựng',
  'Sở Y tế',
  'Sở Giáo dục và Đào tạo',
  'Sở Nông nghiệp và Môi trường',
  'Sở Khoa học và Công nghệ',
  'Sở Văn hóa, Thể thao và Du lịch',
  'Sở Dân tộc và Tôn giáo',
  'Sở Ngoại vụ',
  'Thanh tra tỉnh',
  'Văn phòng Ủy ban nhân dân tỉnh',
] as const;

const SALT_AGENCIES = 0xa6e1;
const SALT_PROFILE = 0xb70f;
const SALT_DAY = 0xd4a7;

interface AgencyProfile {
  outMean: number;
  inMean: number;
  outElectronic: number;
  signed: number;
  axis: number;
  inElectronic: number;
}

interface Agency {
  id: string;
  name: string;
  index: number;
  profile: AgencyProfile;
}

interface Province {
  code: string;
  id: string;
  name: string;
  agencies: Agency[];
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(Buffer.byteLength(text, 'utf8')), ...headers });
  res.end(text, 'utf8');
}

const DAY_MS = 86_400_000;

/** Day number (days since 1970-01-01) of a strict `yyyy-MM-dd` calendar date, else null. */
export function parseIsoDay(text: string | undefined): number | null {
  if (text === undefined) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.round(ms / DAY_MS);
}

function buildProvince(seedHash: number, code: string): Province {
  const pNum = Number(code);
  const r = streamOf(seedHash, pNum, SALT_AGENCIES);
  const count = 5 + Math.floor(r() * 8); // 5..12
  const rest = AGENCY_NAMES.slice(2);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [rest[i], rest[j]] = [rest[j], rest[i]];
  }
  const names = [AGENCY_NAMES[0], AGENCY_NAMES[1], ...rest].slice(0, count);
  const agencies = names.map((name, k): Agency => {
    const index = k + 1;
    const p = streamOf(seedHash, pNum, index, SALT_PROFILE);
    // the last agency is always low-activity; others are with a small probability
    const low = index === count || (index > 2 && p() < 0.15);
    const outMean = low ? 0.2 + 0.4 * p() : 4 + 22 * p();
    const inMean = low ? 0.3 + 0.5 * p() : outMean * (1.6 + 1.6 * p());
    return {
      id: `000.${String(index).padStart(2, '0')}.${code}.H${code}`,
      name,
      index,
      profile: {
        outMean,
        inMean,
        outElectronic: 0.88 + 0.12 * p(),
        signed: 0.85 + 0.15 * p(),
        axis: 0.15 + 0.45 * p(),
        inElectronic: 0.9 + 0.1 * p(),
      },
    };
  });
  return { code, id: `000.00.00.H${code}`, name: `Ủy ban nhân dân tỉnh (mã ${code})`, agencies };
}

const zeroOut = (): OutgoingFigures => ({ tong: 0, dienTu: 0, kySo: 0, lienThongTrucQuocGia: 0 });
const zeroIn = (): IncomingFigures => ({ tong: 0, dienTu: 0 });

/** Adds one agency's figures for day `day` (a pure function of seed, province, agency and day). */
function addDay(seedHash: number, pNum: number, agency: Agency, day: number, out: OutgoingFigures, inc: IncomingFigures): void {
  const r = streamOf(seedHash, pNum, agency.index, day, SALT_DAY);
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  const factor = weekday === 0 || weekday === 6 ? 0.04 : 1;
  const pr = agency.profile;
  const outTotal = Math.floor(pr.outMean * factor * (0.5 + r()) + r());
  const outE = Math.min(outTotal, Math.floor(outTotal * pr.outElectronic + r()));
  const signed = Math.min(outE, Math.floor(outE * pr.signed + r()));
  const axis = Math.min(outE, Math.floor(outE * pr.axis + r()));
  const inTotal = Math.floor(pr.inMean * factor * (0.5 + r()) + r());
  const inE = Math.min(inTotal, Math.floor(inTotal * pr.inElectronic + r()));
  out.tong += outTotal;
  out.dienTu += outE;
  out.kySo += signed;
  out.lienThongTrucQuocGia += axis;
  inc.tong += inTotal;
  inc.dienTu += inE;
}

export async function createDocumentManagementSimulator(options: DocumentManagementSimulatorOptions = {}): Promise<DocumentManagementSimulator> {
  const seedHash = hashString(String(options.seed ?? 1));
  const apiKey = options.apiKey ?? DEFAULT_DOCUMENT_API_KEY;
  const provinces = new Map<string, Province>();
  for (const code of options.provinces ?? ['01', '44', '79']) {
    if (!/^\d{2}$/.test(code)) throw new Error(`province code ${JSON.stringify(code)} is not two digits`);
    if (!provinces.has(code)) provinces.set(code, buildProvince(seedHash, code));
  }
  /** unit id → (province, agency or null for the province) */
  const unitIndex = new Map<string, { province: Province; agency: Agency | null }>();
  for (const p of provinces.values()) {
    unitIndex.set(p.id, { province: p, agency: null });
    for (const a of p.agencies) unitIndex.set(a.id, { province: p, agency: a });
  }

  const pending: DocumentFaultKind[] = [];
  const counters = { requests: 0, served: 0, authErrors: 0, agencyErrors: 0, dataErrors: 0, notFound: 0 };
  const faultsApplied: Record<DocumentFaultKind, number> = { '429': 0, '503': 0, auth: 0 };

  const agencyFigures = (province: Province, agency: Agency, from: number, to: number): DocumentUnitFigures => {
    const vanBanDi = zeroOut();
    const vanBanDen = zeroIn();
    const pNum = Number(province.code);
    for (let d = from; d <= to; d++) addDay(seedHash, pNum, agency, d, vanBanDi, vanBanDen);
    return { maDonVi: agency.id, tenDonVi: agency.name, vanBanDi, vanBanDen };
  };

  const validateRange = (fromText: string | undefined, toText: string | undefined): [number, number] => {
    if (fromText === undefined || fromText === '' || toText === undefined || toText === '') {
      throw new ApiError(400, 'DATA_INCORRECT', 'Thiếu tham số tuNgay hoặc denNgay');
    }
    const from = parseIsoDay(fromText);
    const to = parseIsoDay(toText);
    if (from === null) throw new ApiError(400, 'DATA_INCORRECT', `tuNgay không đúng định dạng yyyy-MM-dd: ${JSON.stringify(fromText)}`);
    if (to === null) throw new ApiError(400, 'DATA_INCORRECT', `denNgay không đúng định dạng yyyy-MM-dd: ${JSON.stringify(toText)}`);
    if (from > to) throw new ApiError(400, 'DATA_INCORRECT', 'tuNgay lớn hơn denNgay');
    if (to - from + 1 > MAX_RANGE_DAYS) throw new ApiError(400, 'DATA_INCORRECT', `Khoảng thời gian vượt quá ${MAX_RANGE_DAYS} ngày`);
    return [from, to];
  };

  const lookupUnit = (unitId: string | undefined) => {
    const found = unitId === undefined ? undefined : unitIndex.get(unitId);
    if (!found) throw new ApiError(200, 'AGENCY_ID_INCORRECT', `Mã đơn vị không đúng: ${JSON.stringify(unitId ?? '')}`);
    return found;
  };

  const compute = (unitId: string | undefined, fromText: string | undefined, toText: string | undefined): DocumentStatsData => {
    const { province, agency } = lookupUnit(unitId);
    const [from, to] = validateRange(fromText, toText);
    if (agency) {
      const own = agencyFigures(province, agency, from, to);
      return { maDonVi: agency.id, tuNgay: fromText!, denNgay: toText!, vanBanDi: own.vanBanDi, vanBanDen: own.vanBanDen, donVi: [] };
    }
    const donVi = province.agencies.map((a) => agencyFigures(province, a, from, to));
    const vanBanDi = zeroOut();
    const vanBanDen = zeroIn();
    for (const u of donVi) {
      vanBanDi.tong += u.vanBanDi.tong;
      vanBanDi.dienTu += u.vanBanDi.dienTu;
      vanBanDi.kySo += u.vanBanDi.kySo;
      vanBanDi.lienThongTrucQuocGia += u.vanBanDi.lienThongTrucQuocGia;
      vanBanDen.tong += u.vanBanDen.tong;
      vanBanDen.dienTu += u.vanBanDen.dienTu;
    }
    return { maDonVi: province.id, tuNgay: fromText!, denNgay: toText!, vanBanDi, vanBanDen, donVi };
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    const path = (mark < 0 ? target : target.slice(0, mark)).replace(/\/+$/, '') || '/';
    const query = parseQuery(mark < 0 ? '' : target.slice(mark + 1));

    if (path === '/__sim/health') return send(res, 200, { status: 'ok' });
    if (path === '/__sim/stats') return send(res, 200, stats());

    counters.requests++;
    const fault = pending.shift();
    if (fault === '429') {
      faultsApplied['429']++;
      return send(res, 429, { status: 'error', code: 'TOO_MANY_REQUESTS', message: 'Quá nhiều yêu cầu, vui lòng thử lại sau' }, { 'Retry-After': '1' });
    }
    if (fault === '503') {
      faultsApplied['503']++;
      return send(res, 503, '<html><head><title>503 Service Temporarily Unavailable</title></head><body><h1>503 Service Temporarily Unavailable</h1></body></html>', {
        'Content-Type': 'text/html; charset=utf-8',
      });
    }
    if (path !== DOCUMENT_STATS_PATH) {
      counters.notFound++;
      return send(res, 404, { status: 'error', code: 'NOT_FOUND', message: 'Không tìm thấy dịch vụ' });
    }
    if (req.method !== 'GET') return send(res, 405, { status: 'error', code: 'METHOD_NOT_ALLOWED', message: 'Chỉ hỗ trợ GET' }, { Allow: 'GET' });
    const key = req.headers.apikey;
    if (fault === 'auth' || key !== apiKey) {
      if (fault === 'auth') faultsApplied.auth++;
      counters.authErrors++;
      return send(res, 200, { status: 'error', code: 'AUTHEN_ERROR', message: 'Xác thực không thành công: apikey không hợp lệ' });
    }
    try {
      const data = compute(query.get('maDonVi'), query.get('tuNgay'), query.get('denNgay'));
      counters.served++;
      send(res, 200, { status: 'success', data });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'AGENCY_ID_INCORRECT') counters.agencyErrors++;
      else counters.dataErrors++;
      send(res, error.status, { status: 'error', code: error.code, message: error.message });
    }
  };

  const stats = (): DocumentManagementStats => ({ ...counters, faultsApplied: { ...faultsApplied }, pendingFaults: pending.length });

  const server: Server = createServer((req, res) => {
    req.resume();
    try {
      handle(req, res);
    } catch (error) {
      send(res, 500, { status: 'error', code: 'INTERNAL_ERROR', message: error instanceof Error ? error.message : String(error) });
    }
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
    truth: (unitId, from, to) => {
      try {
        return compute(unitId, from, to);
      } catch (error) {
        if (error instanceof ApiError) throw new Error(`${error.code}: ${error.message}`);
        throw error;
      }
    },
    units: () => {
      const out: DocumentUnit[] = [];
      for (const p of provinces.values()) {
        out.push({ maDonVi: p.id, tenDonVi: p.name, province: p.code, index: null });
        for (const a of p.agencies) out.push({ maDonVi: a.id, tenDonVi: a.name, province: p.code, index: a.index });
      }
      return out;
    },
    close: () => listening.close(),
  };
}
