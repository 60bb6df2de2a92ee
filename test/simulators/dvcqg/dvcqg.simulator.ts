/**
 * An HTTP simulator of the National Public Service Portal's evaluation API (Decision 766 index), as described in
 * shared/contracts/dvcqg-evaluation-api.md. Plain `node:http`, no framework.
 *
 *   POST /api/v1/reporting/evaluation/<endpoint>   JSON body, HTTP 201 {"code":"OK","data":…,"message":…}
 *   POST /api/v1/reporting/formalities             the procedure catalogue
 *
 * Provinces: each simulated statistics code `pp` has a root department (a UUID derived from the seed and the code,
 * see `dvcqgRootDepartmentId`; `config/dvcqg/provinces.yaml` holds its values for seed 1) and the department code
 * `H{pp}`. Its units are 8–12 provincial departments (`H{pp}.01`…, level PROVINCE) and 25–50 communes
 * (`H{pp}.101`…, level COMMUNE).
 *
 * Figures: every unit has per-month counts, a pure function of (seed, province, unit, year, month); a quarter or a
 * year is the sum of its months (only months that have started count), and the province is the sum of its units.
 * Ratios are percentages rounded to 2 decimals; scores follow the Decision 766 formulas of shared/domain/qd766.md
 * from the returned numerator and denominator, rounded to 2 decimals, so a recomputation reproduces them.
 * Communes publish no procedures: their PUBLISH_ON_TIME, PUBLIC_UPDATE_ON_TIME and PUBLIC_CONTENT_FULL carry
 * `null` numerator, denominator, ratio and score. Informational metrics (PETITION_CLASSIFICATION_*) have
 * `score: null, maxScore: 0`. `scoreDelta` is always null, `avgProcessingDays` is null when nothing was completed.
 * The last commune of every province has no dossiers at all (zero denominators: 2.1 → 0, 5.2/5.3 → 6, 5.4 → 0,
 * payment terms → 0, 1.4 and 4.x → no score). Metric answers (`evaluation`) carry no `departmentCode`: a unit is
 * joined on its `departmentId`, the same in all six endpoints. Payment C is `totalFeeDossierFormality` (not …Distinct).
 *
 * Data-quality flags, as the real portal sends them: two fields on the `DOSSIER_SYNC` metric object (of the
 * overview and of every unit in the answer), `dataQualityStatus` (TEMP_NATIONAL_REPORT_DENOMINATOR or
 * NO_NATIONAL_REPORT_DATA) and `dataQualityMessage`. Which (province, period) is flagged is a pure function of the
 * seed: NO_NATIONAL_REPORT_DATA means the denominator is DVCQG's own count only.
 *
 * Running periods: the portal answers for the running month, quarter and year with provisional figures; here the
 * running month counts the elapsed share of its figures, so answers change as the clock moves. `revise(month)`
 * makes the portal revise a closed month (new figures for it and for its quarter and year).
 *
 * Checks, in order: fault hook; path (404) and method (405); JSON body (400); rootDepartmentId (400
 * DEPARTMENT_NOT_FOUND); the procedure filter's spelling — `formalityID` for dossier-digitized, `formalityId`
 * elsewhere; the other spelling is 400 INVALID_PARAMETER — and its value (400 FORMALITY_NOT_FOUND); the period
 * (400 INVALID_PERIOD: timeType year/quarter/month with year, quarter, month; handling-satisfaction takes
 * fromDate/toDate covering exactly one month, quarter or year instead, and ignores any procedure filter: it
 * always answers for all procedures); a period not yet started (400 PERIOD_NOT_STARTED); paging
 * (400 INVALID_PAGING: currentPage ≥ 1, 1 ≤ pageSize ≤ 500).
 * Tree endpoints answer every child at once (no `pagination`); metric endpoints page `evaluation`.
 * When filtered by procedure, dossier-digitized omits CITIZEN_DATA_CONNECTED_FORMALITY.
 *
 * Control endpoints (not part of the contract): `GET /__sim/stats`, `GET /__sim/health`, `POST /__sim/revise {"month"}`.
 */
import { listen } from '../sim-server';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { hashOf, hashString, streamOf } from '../one-stop-shop/prng';

export const DVCQG_EVALUATION_PATH = '/api/v1/reporting/evaluation/';
export const DVCQG_FORMALITIES_PATH = '/api/v1/reporting/formalities';

export const DVCQG_ENDPOINTS = ['transparency', 'dvc-progress-tree', 'provide-online-tree', 'formality-online-payment-tree', 'dossier-digitized', 'handling-satisfaction'] as const;
export type DvcqgEndpoint = (typeof DVCQG_ENDPOINTS)[number];

export type DvcqgFaultKind = '429' | '503' | 'busy';

export interface DvcqgSimulatorOptions {
  seed?: number | string;
  /** 2-digit statistics province codes served (default 01, 44, 79) */
  provinces?: string[];
  /** 0 (default) picks a free port */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** the clock deciding which months have ended (default: the real clock) */
  now?: () => Date;
}

export interface DvcqgRequestLogEntry {
  endpoint: string;
  body: unknown;
  status: number;
  code: string;
}

export interface DvcqgSimulatorStats {
  requests: number;
  served: number;
  errors: number;
  byEndpoint: Record<string, number>;
  faultsApplied: Record<DvcqgFaultKind, number>;
  /** every API request in order (the newest 20 000) */
  log: DvcqgRequestLogEntry[];
}

export interface DvcqgProvinceMapping {
  rootDepartmentId: string;
  departmentCode: string;
}

export interface DvcqgSimulator {
  url: string;
  port: number;
  stats(): DvcqgSimulatorStats;
  /** statistics province code → the portal's identifiers */
  mapping(): Record<string, DvcqgProvinceMapping>;
  /** the `data` the API answers for this endpoint and body; throws on a body the API would reject */
  truth(endpoint: string, body: Record<string, unknown>): any;
  /** the procedure catalogue */
  formalities(): DvcqgFormality[];
  /** queues a fault answered to the next API request */
  failNext(kind: DvcqgFaultKind): void;
  /** the portal revises a closed month (yyyy-MM): its figures, and those of its quarter and year, change */
  revise(monthKey: string): void;
  close(): Promise<void>;
}

export interface DvcqgFormality {
  id: string;
  code: string;
  name: string;
  state: string;
  departmentId: string;
  publishingDepartmentIds: string[];
  appliedDepartmentIds: string[];
}

const JSON_TYPE = 'application/json; charset=utf-8';
const PAGE_SIZE_MAX = 500;
const SALT_ROOT = 0x766a;
const SALT_UNITS = 0x766b;
const SALT_UNIT_ID = 0x766c;
const SALT_MONTH = 0x766d;
const SALT_FLAG = 0x766e;
const SALT_FORMALITY = 0x766f;
const SALT_FILTER = 0x7670;

const DEPARTMENT_NAMES = [
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
  'Thanh tra tỉnh',
];

/** A version-4-shaped UUID from a 32-bit key (deterministic). */
export function uuidFromKey(...parts: number[]): string {
  const r = streamOf(...parts);
  const bytes = Array.from({ length: 16 }, () => Math.floor(r() * 256));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The root department UUID the simulator gives a statistics province code, for a seed. */
export function dvcqgRootDepartmentId(seed: number | string, provinceCode: string): string {
  return uuidFromKey(hashString(String(seed)), Number(provinceCode), SALT_ROOT);
}

export function dvcqgProvinceMapping(seed: number | string, provinceCodes: string[]): Record<string, DvcqgProvinceMapping> {
  const out: Record<string, DvcqgProvinceMapping> = {};
  for (const code of provinceCodes) out[code] = { rootDepartmentId: dvcqgRootDepartmentId(seed, code), departmentCode: `H${code}` };
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// figures

/** Everything counted for one unit in one month (or summed over a period). */
interface Counts {
  // transparency
  published: number;
  publishedOnTime: number;
  publicOnTime: number;
  contentFull: number;
  dvcqgReceived: number;
  nationalReceived: number;
  synced: number;
  // progress
  received: number;
  onTime: number;
  overdue: number;
  completed: number;
  processingDays: number;
  // online
  fullCount: number;
  partialCount: number;
  authorityCount: number;
  channelOnline: number;
  channelDirect: number;
  channelPostal: number;
  onlineOnTime: number;
  onlineOverdue: number;
  onlineServiceTotal: number;
  // payment
  feeDossiers: number;
  paidOnline: number;
  formalitiesPaidOnline: number;
  feeFormalities: number;
  feeDossierFormalities: number;
  feeDossierFormalitiesDistinct: number;
  // digitisation
  resultDocDossiers: number;
  resultFile: number;
  digitised: number;
  certifiedCopyRequests: number;
  certifiedCopies: number;
  reused: number;
  personalStorage: number;
  citizenDataDossiers: number;
  citizenDataFormalities: number;
  formalitiesTotal: number;
  // satisfaction
  petitions: number;
  petitionsTthc: number;
  petitionsStaff: number;
  petitionsOnTime: number;
  petitionsHandled: number;
  petitionsSatisfied: number;
  complained: number;
}

const COUNT_KEYS: Array<keyof Counts> = [
  'published', 'publishedOnTime', 'publicOnTime', 'contentFull', 'dvcqgReceived', 'nationalReceived', 'synced',
  'received', 'onTime', 'overdue', 'completed', 'processingDays',
  'fullCount', 'partialCount', 'authorityCount', 'channelOnline', 'channelDirect', 'channelPostal', 'onlineOnTime', 'onlineOverdue', 'onlineServiceTotal',
  'feeDossiers', 'paidOnline', 'formalitiesPaidOnline', 'feeFormalities', 'feeDossierFormalities', 'feeDossierFormalitiesDistinct',
  'resultDocDossiers', 'resultFile', 'digitised', 'certifiedCopyRequests', 'certifiedCopies', 'reused', 'personalStorage', 'citizenDataDossiers', 'citizenDataFormalities', 'formalitiesTotal',
  'petitions', 'petitionsTthc', 'petitionsStaff', 'petitionsOnTime', 'petitionsHandled', 'petitionsSatisfied', 'complained',
];

const zeroCounts = (): Counts => Object.fromEntries(COUNT_KEYS.map((k) => [k, 0])) as unknown as Counts;

/** Procedure-level counts (catalogue sizes) are not summed over months: the period takes their maximum. */
const MAX_KEYS = new Set<keyof Counts>(['fullCount', 'partialCount', 'authorityCount', 'onlineServiceTotal', 'feeFormalities', 'feeDossierFormalities', 'feeDossierFormalitiesDistinct', 'formalitiesTotal', 'citizenDataFormalities', 'formalitiesPaidOnline']);

function addCounts(into: Counts, c: Counts): void {
  for (const k of COUNT_KEYS) into[k] = MAX_KEYS.has(k) ? Math.max(into[k], c[k]) : into[k] + c[k];
}

interface Unit {
  id: string;
  code: string;
  name: string;
  level: 'PROVINCE' | 'COMMUNE';
  index: number;
  /** activity scale */
  size: number;
  quality: number;
  /** no dossiers at all */
  dormant?: boolean;
}

interface Province {
  code: string;
  rootId: string;
  departmentCode: string;
  name: string;
  units: Unit[];
}

const bin = (r: () => number, n: number, p: number): number => {
  // a cheap binomial-looking draw: n × p ± noise, within [0, n]
  if (n <= 0) return 0;
  const v = Math.round(n * Math.min(1, Math.max(0, p + (r() - 0.5) * 0.1)));
  return Math.max(0, Math.min(n, v));
};

function monthCounts(seedHash: number, province: Province, unit: Unit, year: number, month: number, revision = 0): Counts {
  const r = streamOf(seedHash, Number(province.code), unit.index, year * 12 + month + revision * 100_000, SALT_MONTH);
  const q = unit.quality;
  const c = zeroCounts();
  if (unit.dormant) {
    c.authorityCount = 30;
    c.formalitiesTotal = 30;
    return c;
  }
  const dept = unit.level === 'PROVINCE';
  if (dept) {
    c.published = Math.floor(r() * 7 * unit.size);
    c.publishedOnTime = bin(r, c.published, 0.6 + 0.35 * q);
    c.publicOnTime = bin(r, c.published, 0.55 + 0.4 * q);
    c.contentFull = bin(r, c.published, 0.7 + 0.3 * q);
  }
  // a few small communes have quiet months (zero denominators)
  const quiet = !dept && r() < 0.08;
  const received = quiet ? 0 : Math.floor((dept ? 60 : 25) * unit.size * (0.6 + 0.8 * r()));
  c.received = received;
  c.dvcqgReceived = bin(r, received, 0.9 + 0.1 * q);
  c.nationalReceived = received;
  c.synced = bin(r, c.dvcqgReceived, 0.85 + 0.15 * q);
  c.onTime = bin(r, received, 0.75 + 0.24 * q);
  c.overdue = received - c.onTime;
  c.completed = bin(r, received, 0.85 + 0.1 * r());
  c.processingDays = Math.round(c.completed * (1.5 + 6 * r()) * 100) / 100;
  c.authorityCount = Math.floor((dept ? 90 : 40) * (0.8 + 0.2 * unit.size));
  c.fullCount = Math.floor(c.authorityCount * (0.3 + 0.4 * q));
  c.partialCount = Math.floor((c.authorityCount - c.fullCount) * 0.6);
  c.onlineServiceTotal = c.fullCount + c.partialCount;
  c.channelOnline = bin(r, received, 0.3 + 0.5 * q);
  c.channelPostal = bin(r, received - c.channelOnline, 0.05);
  c.channelDirect = received - c.channelOnline - c.channelPostal;
  c.onlineOnTime = bin(r, c.channelOnline, 0.8 + 0.2 * q);
  c.onlineOverdue = c.channelOnline - c.onlineOnTime;
  c.feeDossiers = bin(r, received, 0.3 + 0.2 * r());
  c.paidOnline = bin(r, c.feeDossiers, 0.2 + 0.6 * q);
  c.feeFormalities = Math.floor((dept ? 40 : 12) * (0.8 + 0.4 * unit.size));
  c.feeDossierFormalities = bin(r, c.feeFormalities, 0.6 + 0.3 * q);
  c.formalitiesPaidOnline = bin(r, c.feeFormalities, 0.3 + 0.6 * q);
  c.feeDossierFormalitiesDistinct = bin(r, c.feeFormalities, 0.4 + 0.5 * q);
  c.resultDocDossiers = bin(r, c.completed, 0.7);
  c.resultFile = bin(r, c.resultDocDossiers, 0.6 + 0.4 * q);
  c.digitised = bin(r, received, 0.5 + 0.5 * q);
  c.certifiedCopyRequests = Math.floor((dept ? 5 : 30) * unit.size * r());
  c.certifiedCopies = bin(r, c.certifiedCopyRequests, 0.4 + 0.6 * q);
  c.reused = bin(r, received, 0.2 + 0.7 * q);
  c.personalStorage = bin(r, c.completed, 0.3 + 0.6 * q);
  c.citizenDataDossiers = bin(r, received, 0.4 + 0.5 * q);
  c.formalitiesTotal = c.authorityCount;
  c.citizenDataFormalities = bin(r, c.authorityCount, 0.3 + 0.5 * q);
  c.petitions = r() < 0.35 ? 0 : Math.floor(4 * unit.size * r());
  c.petitionsTthc = bin(r, c.petitions, 0.6);
  c.petitionsStaff = c.petitions - c.petitionsTthc;
  c.petitionsOnTime = bin(r, c.petitions, 0.7 + 0.3 * q);
  c.petitionsHandled = c.petitionsOnTime;
  c.petitionsSatisfied = bin(r, c.petitionsHandled, 0.6 + 0.4 * q);
  c.complained = bin(r, received, 0.02 * (1 - q));
  return c;
}

function buildProvince(seed: number | string, seedHash: number, code: string): Province {
  const pNum = Number(code);
  const r = streamOf(seedHash, pNum, SALT_UNITS);
  const departments = 8 + Math.floor(r() * 5);
  const communes = 25 + Math.floor(r() * 26);
  const units: Unit[] = [];
  for (let i = 1; i <= departments; i++) {
    units.push({
      id: uuidFromKey(seedHash, pNum, i, SALT_UNIT_ID),
      code: `H${code}.${String(i).padStart(2, '0')}`,
      name: DEPARTMENT_NAMES[(i - 1) % DEPARTMENT_NAMES.length],
      level: 'PROVINCE',
      index: i,
      size: 0.5 + r(),
      quality: r(),
    });
  }
  for (let k = 1; k <= communes; k++) {
    const i = 100 + k;
    units.push({
      id: uuidFromKey(seedHash, pNum, i, SALT_UNIT_ID),
      code: `H${code}.${i}`,
      name: `UBND xã ${k} (tỉnh ${code})`,
      level: 'COMMUNE',
      index: i,
      size: 0.3 + 1.2 * r(),
      quality: r(),
      ...(k === communes ? { dormant: true } : {}),
    });
  }
  return { code, rootId: dvcqgRootDepartmentId(seed, code), departmentCode: `H${code}`, name: `UBND tỉnh (mã ${code})`, units };
}

// ---------------------------------------------------------------------------------------------------------------
// scores (Decision 766, shared/domain/qd766.md)

const round2 = (x: number): number => Math.round((x + Number.EPSILON) * 100) / 100;
const pct = (n: number | null, d: number | null): number | null => (n === null || d === null || d === 0 ? null : round2((100 * n) / d));

type ScoreRule = { max: number; score: (n: number, d: number) => number | null };
const linear = (max: number): ScoreRule => ({ max, score: (n, d) => (d === 0 ? null : max * (n / d)) });
const capped = (max: number, divisor = 1): ScoreRule => ({ max, score: (n, d) => (d === 0 ? null : Math.min(max, (max * (n / d)) / divisor)) });
const noFeedbackFull = (max: number): ScoreRule => ({ max, score: (n, d) => (d === 0 ? max : max * (n / d)) });
const informational: ScoreRule = { max: 0, score: () => null };

interface MetricSpec {
  code: string;
  name: string;
  rule: ScoreRule;
  /** numerator and denominator from the counts; null = not applicable to the unit */
  of: (c: Counts, unit: Unit | null) => [number, number] | null;
}

const deptOnly = (f: (c: Counts) => [number, number]) => (c: Counts, unit: Unit | null) => (unit !== null && unit.level === 'COMMUNE' ? null : f(c));

const METRIC_SPECS: Record<'transparency' | 'dossier-digitized' | 'handling-satisfaction', MetricSpec[]> = {
  transparency: [
    { code: 'PUBLISH_ON_TIME', name: 'Tỷ lệ TTHC công bố đúng hạn', rule: linear(6), of: deptOnly((c) => [c.publishedOnTime, c.published]) },
    { code: 'PUBLIC_UPDATE_ON_TIME', name: 'Tỷ lệ TTHC cập nhật, công khai đúng hạn', rule: linear(4), of: deptOnly((c) => [c.publicOnTime, c.published]) },
    { code: 'PUBLIC_CONTENT_FULL', name: 'Tỷ lệ TTHC công khai đầy đủ nội dung', rule: linear(2), of: deptOnly((c) => [c.contentFull, c.published]) },
    { code: 'DOSSIER_SYNC', name: 'Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG', rule: linear(6), of: (c) => [c.synced, Math.max(c.nationalReceived, c.dvcqgReceived)] },
  ],
  'dossier-digitized': [
    { code: 'ORIGINAL_RESULT_AVAILABLE', name: 'Tỷ lệ hồ sơ có kết quả bản điện tử', rule: capped(6), of: (c) => [c.resultFile, c.resultDocDossiers] },
    { code: 'SO_HOA_GIAY_TO_GIAI_QUYET', name: 'Tỷ lệ số hóa hồ sơ, kết quả giải quyết', rule: capped(4), of: (c) => [c.digitised, c.received] },
    { code: 'ELECTRONIC_CERTIFIED_COPY', name: 'Tỷ lệ cấp bản sao điện tử có chứng thực', rule: capped(2), of: (c) => [c.certifiedCopies, c.certifiedCopyRequests] },
    { code: 'REUSED_DIGITIZED_DATA', name: 'Tỷ lệ khai thác, tái sử dụng dữ liệu số hóa', rule: capped(2, 0.8), of: (c) => [c.reused, c.received] },
    { code: 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE', name: 'Tỷ lệ kết quả đồng bộ kho dữ liệu cá nhân', rule: capped(2), of: (c) => [c.personalStorage, c.completed] },
    { code: 'CITIZEN_DATA_CONNECTED_DOSSIER', name: 'Tỷ lệ hồ sơ khai thác CSDL quốc gia về dân cư', rule: capped(4), of: (c) => [c.citizenDataDossiers, c.received] },
    { code: 'CITIZEN_DATA_CONNECTED_FORMALITY', name: 'Tỷ lệ TTHC kết nối CSDL quốc gia về dân cư', rule: capped(2), of: (c) => [c.citizenDataFormalities, c.formalitiesTotal] },
  ],
  'handling-satisfaction': [
    { code: 'PETITION_CLASSIFICATION_TTHC', name: 'Phản ánh kiến nghị về TTHC', rule: informational, of: (c) => [c.petitionsTthc, c.petitions] },
    { code: 'PETITION_CLASSIFICATION_STAFF', name: 'Phản ánh kiến nghị về cán bộ', rule: informational, of: (c) => [c.petitionsStaff, c.petitions] },
    { code: 'PETITION_PROCESSING_ON_TIME', name: 'Tỷ lệ PAKN xử lý đúng hạn', rule: noFeedbackFull(6), of: (c) => [c.petitionsOnTime, c.petitions] },
    { code: 'PETITION_HANDLING_SATISFACTION', name: 'Mức độ hài lòng về xử lý PAKN', rule: noFeedbackFull(6), of: (c) => [c.petitionsSatisfied, c.petitionsHandled] },
    {
      code: 'DOSSIER_RECEIVING_SATISFACTION',
      name: 'Mức độ hài lòng trong giải quyết TTHC',
      rule: { max: 6, score: (n, d) => (d === 0 ? 0 : Math.min(6, (6 * (n / d)) / 0.9)) },
      // 1 − (overdue rate + complaint rate) = (received − overdue − complained) / received
      of: (c) => [Math.max(0, c.received - c.overdue - c.complained), c.received],
    },
  ],
};

const FLAG_MESSAGES = {
  TEMP_NATIONAL_REPORT_DENOMINATOR: 'Mẫu số tạm tính theo số liệu Hệ thống báo cáo quốc gia chưa chốt kỳ',
  NO_NATIONAL_REPORT_DATA: 'Chưa có dữ liệu Hệ thống báo cáo quốc gia; mẫu số tính theo số hồ sơ trên Cổng DVCQG',
} as const;

// ---------------------------------------------------------------------------------------------------------------
// requests

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ResolvedPeriod {
  key: string;
  year: number;
  /** months (1–12) of the period */
  months: number[];
  /** exclusive end, Vietnam time, as a UTC instant */
  end: Date;
}

const VN_OFFSET_MS = 7 * 3600_000;
const vnDate = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m - 1, d) - VN_OFFSET_MS);
const pad2 = (n: number) => String(n).padStart(2, '0');
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function periodOf(kind: 'year' | 'quarter' | 'month', year: number, n: number): ResolvedPeriod {
  if (kind === 'year') return { key: String(year), year, months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], end: vnDate(year + 1, 1, 1) };
  if (kind === 'quarter') {
    const first = (n - 1) * 3 + 1;
    return { key: `${year}-Q${n}`, year, months: [first, first + 1, first + 2], end: n === 4 ? vnDate(year + 1, 1, 1) : vnDate(year, first + 3, 1) };
  }
  return { key: `${year}-${pad2(n)}`, year, months: [n], end: n === 12 ? vnDate(year + 1, 1, 1) : vnDate(year, n + 1, 1) };
}

const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

function resolvePeriod(endpoint: string, body: Record<string, unknown>): ResolvedPeriod {
  if (endpoint === 'handling-satisfaction') {
    const from = typeof body.fromDate === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(body.fromDate) : null;
    const to = typeof body.toDate === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(body.toDate) : null;
    if (!from || !to) throw new ApiError(400, 'INVALID_PERIOD', 'fromDate và toDate (yyyy-MM-dd) là bắt buộc');
    const [fy, fm, fd] = [+from[1], +from[2], +from[3]];
    const [ty, tm, td] = [+to[1], +to[2], +to[3]];
    if (fy !== ty || fd !== 1 || fm < 1 || fm > 12 || tm < fm || tm > 12 || td !== lastDay(ty, tm)) {
      throw new ApiError(400, 'INVALID_PERIOD', `khoảng ${String(body.fromDate)}–${String(body.toDate)} không phải một tháng, quý hoặc năm`);
    }
    if (fm === tm) return periodOf('month', fy, fm);
    if (tm === fm + 2 && (fm - 1) % 3 === 0) return periodOf('quarter', fy, (fm - 1) / 3 + 1);
    if (fm === 1 && tm === 12) return periodOf('year', fy, 0);
    throw new ApiError(400, 'INVALID_PERIOD', `khoảng ${String(body.fromDate)}–${String(body.toDate)} không phải một tháng, quý hoặc năm`);
  }
  if (!isInt(body.year, 2000, 2999)) throw new ApiError(400, 'INVALID_PERIOD', 'year không hợp lệ');
  switch (body.timeType) {
    case 'year':
      return periodOf('year', body.year, 0);
    case 'quarter':
      if (!isInt(body.quarter, 1, 4)) throw new ApiError(400, 'INVALID_PERIOD', 'quarter không hợp lệ');
      return periodOf('quarter', body.year, body.quarter);
    case 'month':
      if (!isInt(body.month, 1, 12)) throw new ApiError(400, 'INVALID_PERIOD', 'month không hợp lệ');
      return periodOf('month', body.year, body.month);
    default:
      throw new ApiError(400, 'INVALID_PERIOD', 'timeType phải là year, quarter hoặc month');
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': String(Buffer.byteLength(text, 'utf8')), ...headers });
  res.end(text, 'utf8');
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new ApiError(413, 'PAYLOAD_TOO_LARGE', 'body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function createDvcqgSimulator(options: DvcqgSimulatorOptions = {}): Promise<DvcqgSimulator> {
  const seed = options.seed ?? 1;
  const seedHash = hashString(String(seed));
  const clock = options.now ?? (() => new Date());
  const provinces = new Map<string, Province>();
  for (const code of options.provinces ?? ['01', '44', '79']) {
    if (!/^\d{2}$/.test(code)) throw new Error(`province code ${JSON.stringify(code)} is not two digits`);
    if (!provinces.has(code)) provinces.set(code, buildProvince(seed, seedHash, code));
  }
  const byRoot = new Map([...provinces.values()].map((p) => [p.rootId, p]));

  // the procedure catalogue: 40 procedures, applied in every simulated province
  const catalogue: DvcqgFormality[] = Array.from({ length: 40 }, (_, i) => {
    const r = streamOf(seedHash, i, SALT_FORMALITY);
    const code = `${i % 3 === 0 ? 1 : 2}.${String(Math.floor(r() * 1_000_000)).padStart(6, '0')}`;
    return {
      id: uuidFromKey(seedHash, i, SALT_FORMALITY),
      code: i === 0 ? '2.000815' : code,
      name: i === 0 ? 'Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực' : `Thủ tục hành chính số ${i + 1}`,
      state: 'PUBLISHED',
      departmentId: uuidFromKey(seedHash, 1000 + (i % 7), SALT_FORMALITY),
      publishingDepartmentIds: [uuidFromKey(seedHash, 1000 + (i % 7), SALT_FORMALITY)],
      appliedDepartmentIds: [...provinces.values()].map((p) => p.rootId),
    };
  });
  const formalityById = new Map(catalogue.map((f, i) => [f.id, i]));

  const counters = { requests: 0, served: 0, errors: 0 };
  const byEndpoint: Record<string, number> = {};
  const faultsApplied: Record<DvcqgFaultKind, number> = { '429': 0, '503': 0, busy: 0 };
  const pending: DvcqgFaultKind[] = [];
  const log: DvcqgRequestLogEntry[] = [];
  const revisions = new Map<string, number>();

  /** a unit's counts over the months of a period that have started, optionally for one procedure */
  const unitCounts = (province: Province, unit: Unit, period: ResolvedPeriod, formality: number | null): Counts => {
    const total = zeroCounts();
    const now = clock().getTime();
    for (const m of period.months) {
      const start = vnDate(period.year, m, 1).getTime();
      if (start > now) continue;
      const month = monthCounts(seedHash, province, unit, period.year, m, revisions.get(`${period.year}-${pad2(m)}`) ?? 0);
      const end = periodOf('month', period.year, m).end.getTime();
      if (end > now) {
        // the running month: the share of its figures that has happened so far (provisional, changes with time)
        const share = Math.max(0, Math.min(1, (now - start) / (end - start)));
        for (const k of COUNT_KEYS) if (!MAX_KEYS.has(k)) month[k] = Math.floor(month[k] * share);
        month.onTime = Math.min(month.onTime, month.received);
        month.overdue = month.received - month.onTime;
      }
      addCounts(total, month);
    }
    if (formality === null) return total;
    // one procedure's share: a fixed fraction per (procedure, unit)
    const share = 0.02 + 0.2 * streamOf(seedHash, formality, unit.index, Number(province.code), SALT_FILTER)();
    const scaled = zeroCounts();
    for (const k of COUNT_KEYS) scaled[k] = MAX_KEYS.has(k) ? Math.min(total[k], 1) : Math.floor(total[k] * share);
    // keep numerators within their denominators after rounding
    scaled.publishedOnTime = Math.min(scaled.publishedOnTime, scaled.published);
    scaled.publicOnTime = Math.min(scaled.publicOnTime, scaled.published);
    scaled.contentFull = Math.min(scaled.contentFull, scaled.published);
    scaled.onTime = Math.min(scaled.onTime, scaled.received);
    scaled.overdue = scaled.received - scaled.onTime;
    return scaled;
  };

  const flagOf = (province: Province, period: ResolvedPeriod): keyof typeof FLAG_MESSAGES | null => {
    const x = streamOf(hashOf(seedHash, Number(province.code), hashString(period.key), SALT_FLAG))();
    return x < 0.2 ? 'NO_NATIONAL_REPORT_DATA' : x < 0.45 ? 'TEMP_NATIONAL_REPORT_DENOMINATOR' : null;
  };

  const metricsOf = (endpoint: keyof typeof METRIC_SPECS, c: Counts, unit: Unit | null, flag: keyof typeof FLAG_MESSAGES | null, filtered: boolean) => {
    const specs = METRIC_SPECS[endpoint].filter((s) => !(filtered && s.code === 'CITIZEN_DATA_CONNECTED_FORMALITY'));
    return specs.map((s) => {
      let nd = s.of(c, unit);
      if (nd && s.code === 'DOSSIER_SYNC' && flag === 'NO_NATIONAL_REPORT_DATA') nd = [c.synced, c.dvcqgReceived];
      const raw = nd === null ? null : s.rule.score(nd[0], nd[1]);
      const metric: Record<string, unknown> = {
        code: s.code,
        name: s.name,
        numerator: nd ? nd[0] : null,
        denominator: nd ? nd[1] : null,
        ratio: nd ? pct(nd[0], nd[1]) : null,
        score: raw === null ? null : round2(raw),
        maxScore: s.rule.max,
      };
      if (flag && s.code === 'DOSSIER_SYNC' && nd) {
        metric.dataQualityStatus = flag;
        metric.dataQualityMessage = FLAG_MESSAGES[flag];
      }
      return metric;
    });
  };

  const totals = (metrics: Array<Record<string, unknown>>) => {
    const scored = metrics.filter((m) => m.numerator !== null && (m.maxScore as number) > 0);
    const totalScore = round2(scored.reduce((s, m) => s + ((m.score as number | null) ?? 0), 0));
    const totalMaxScore = scored.reduce((s, m) => s + (m.maxScore as number), 0);
    return { totalScore, totalMaxScore, ratio: totalMaxScore === 0 ? null : round2((100 * totalScore) / totalMaxScore) };
  };

  const provinceCounts = (province: Province, period: ResolvedPeriod, formality: number | null, filter: (u: Unit) => boolean = () => true): Counts => {
    const total = zeroCounts();
    const each = province.units.filter(filter).map((u) => unitCounts(province, u, period, formality));
    for (const c of each) addCounts(total, c);
    // procedure-level counts of the province are sums over units, not maxima
    for (const k of MAX_KEYS) total[k] = each.reduce((s, c) => s + c[k], 0);
    return total;
  };

  const monthlyChart = (province: Province, period: ResolvedPeriod, f: (c: Counts) => number | null) =>
    period.months.length === 1
      ? []
      : period.months
          .filter((m) => vnDate(period.year, m, 1).getTime() <= clock().getTime())
          .map((m) => ({ month: m, year: period.year, ratio: f(provinceCounts(province, periodOf('month', period.year, m), null)) }));

  const metricAnswer = (endpoint: keyof typeof METRIC_SPECS, province: Province, period: ResolvedPeriod, formality: number | null, page: number, pageSize: number) => {
    const flag = endpoint === 'transparency' ? flagOf(province, period) : null;
    const filtered = formality !== null;
    const provinceTotal = provinceCounts(province, period, formality);
    // procedure publication is the provincial departments' business
    const overviewMetrics = metricsOf(endpoint, provinceTotal, null, flag, filtered);
    const overview = {
      stt: 1,
      departmentId: province.rootId,
      departmentName: province.name,
      departmentType: 'PROVINCE',
      departmentLevel: 'PROVINCE',
      agencyLevel: 'level_1',
      ...totals(overviewMetrics),
      scoreDelta: null,
      metrics: overviewMetrics,
    };
    const units = province.units.map((u) => {
      const metrics = metricsOf(endpoint, unitCounts(province, u, period, formality), u, flag, filtered);
      return {
        departmentId: u.id,
        departmentName: u.name,
        departmentCode: u.code,
        departmentType: u.level === 'PROVINCE' ? 'PROVINCIAL_DEPARTMENT' : 'COMMUNE',
        departmentLevel: u.level,
        agencyLevel: u.level === 'PROVINCE' ? 'level_2' : 'level_3',
        ...totals(metrics),
        scoreDelta: null,
        metrics,
      };
    });
    // ranked by score, then code (stable)
    units.sort((a, b) => b.totalScore - a.totalScore || (a.departmentCode < b.departmentCode ? -1 : 1));
    // metric answers carry no department code (contract): units are joined on departmentId
    const evaluation = units.map(({ departmentCode: _code, ...u }, i) => ({ stt: i + 1, ...u }));
    const totalPages = Math.max(1, Math.ceil(evaluation.length / pageSize));
    const data: Record<string, unknown> = {
      overview,
      ...(endpoint === 'transparency' ? { monthlyChart: monthlyChart(province, period, (c) => pct(c.synced, Math.max(c.nationalReceived, c.dvcqgReceived))) } : {}),
      evaluation: evaluation.slice((page - 1) * pageSize, page * pageSize),
      pagination: { total: evaluation.length, currentPage: page, pageSize, totalPages },
      source: 'Cổng Dịch vụ công quốc gia – Bộ chỉ số chỉ đạo, điều hành (QĐ 766/QĐ-TTg)',
    };
    return data;
  };

  const treeParams = (endpoint: string, c: Counts): Record<string, number | null> => {
    switch (endpoint) {
      case 'dvc-progress-tree':
        return {
          totalReceived: c.received,
          totalOnTime: c.onTime,
          totalOverdue: c.overdue,
          totalCompleted: c.completed,
          avgProcessingDays: c.completed === 0 ? null : round2(c.processingDays / c.completed),
        };
      case 'provide-online-tree':
        return {
          fullCount: c.fullCount,
          partialCount: c.partialCount,
          authorityCount: c.authorityCount,
          channelTotalSum: c.channelOnline + c.channelDirect + c.channelPostal,
          channelOnlineSum: c.channelOnline,
          channelDirectSum: c.channelDirect,
          channelPostalSum: c.channelPostal,
          onlineOnTimeSum: c.onlineOnTime,
          onlineOverdueSum: c.onlineOverdue,
          onlineDossierCount: c.channelOnline,
          onlineServiceTotal: c.onlineServiceTotal,
        };
      default:
        return {
          totalDossierFinancialObligation: c.feeDossiers,
          totalDossierOnlinePaymentSuccess: c.paidOnline,
          totalDossierOnlineFormalityPaymentSuccess: c.formalitiesPaidOnline,
          totalFeeFormality: c.feeFormalities,
          totalFeeDossierFormality: c.feeDossierFormalities,
          totalFeeDossierFormalityDistinct: c.feeDossierFormalitiesDistinct,
        };
    }
  };

  /** group score of a tree endpoint from its raw parameters: [ratio %, score, max] */
  const treeScore = (endpoint: string, c: Counts): [number | null, number | null, number] => {
    const frac = (n: number, d: number) => (d === 0 ? 0 : n / d);
    switch (endpoint) {
      case 'dvc-progress-tree':
        // nothing received: the portal publishes 0
        return c.received === 0 ? [0, 0, 20] : [pct(c.onTime, c.received), round2((20 * c.onTime) / c.received), 20];
      case 'provide-online-tree': {
        // not the portal's formula (not reproducible from public data, qd766.md 3.x): a stand-in
        const total = c.channelOnline + c.channelDirect + c.channelPostal;
        const score = 4 * frac(c.fullCount, c.authorityCount) + 4 * frac(c.onlineServiceTotal, c.authorityCount) + 4 * frac(c.channelOnline, total);
        return [round2((100 * score) / 12), round2(score), 12];
      }
      default: {
        // 6·A + min(2, 2.5·B) + 2.5·C, a zero-denominator ratio counting 0
        const a = frac(c.paidOnline, c.feeDossiers);
        const b = frac(c.formalitiesPaidOnline, c.feeFormalities);
        const cc = frac(c.feeDossierFormalities, c.feeFormalities);
        const score = Math.min(10, 6 * a + Math.min(2, 2.5 * b) + 2.5 * cc);
        return [round2((100 * score) / 10), round2(score), 10];
      }
    }
  };

  const treeAnswer = (endpoint: string, province: Province, period: ResolvedPeriod, formality: number | null) => {
    const total = provinceCounts(province, period, formality);
    const [ratio, totalScore, totalMaxScore] = treeScore(endpoint, total);
    const parent = { departmentId: province.rootId, departmentName: province.name, departmentCode: province.departmentCode, ...treeParams(endpoint, total), ratio, totalScore, totalMaxScore };
    const children = province.units.map((u) => {
      const c = unitCounts(province, u, period, formality);
      const [r, score, maxScore] = treeScore(endpoint, c);
      return { departmentId: u.id, departmentName: u.name, departmentCode: u.code, level: u.level, ...treeParams(endpoint, c), ratio: r, score, maxScore, scoreDelta: null };
    });
    const data: Record<string, unknown> = { parent, children };
    if (endpoint !== 'formality-online-payment-tree') {
      data.monthlyChart = monthlyChart(province, period, (c) => treeScore(endpoint, c)[0]);
    }
    return data;
  };

  const answer = (endpoint: string, body: Record<string, unknown>): unknown => {
    if (!(DVCQG_ENDPOINTS as readonly string[]).includes(endpoint)) throw new ApiError(404, 'NOT_FOUND', `Không tìm thấy: ${endpoint}`);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'INVALID_BODY', 'body phải là một đối tượng JSON');
    const province = typeof body.rootDepartmentId === 'string' ? byRoot.get(body.rootDepartmentId) : undefined;
    if (!province) throw new ApiError(400, 'DEPARTMENT_NOT_FOUND', `Không tìm thấy đơn vị: ${JSON.stringify(body.rootDepartmentId ?? null)}`);
    const right = endpoint === 'dossier-digitized' ? 'formalityID' : 'formalityId';
    const wrong = endpoint === 'dossier-digitized' ? 'formalityId' : 'formalityID';
    const takesFilter = endpoint !== 'handling-satisfaction';
    if (takesFilter && wrong in body) throw new ApiError(400, 'INVALID_PARAMETER', `Tham số không hợp lệ: ${wrong} (dùng ${right})`);
    let formality: number | null = null;
    const filter = body[right];
    // handling-satisfaction has no procedure filter: it answers for all procedures whatever is sent
    if (takesFilter && filter !== undefined && filter !== null && filter !== '') {
      const index = typeof filter === 'string' ? formalityById.get(filter) : undefined;
      if (index === undefined) throw new ApiError(400, 'FORMALITY_NOT_FOUND', `Không tìm thấy thủ tục: ${JSON.stringify(filter)}`);
      formality = index;
    }
    const period = resolvePeriod(endpoint, body);
    if (vnDate(period.year, period.months[0], 1).getTime() > clock().getTime()) {
      throw new ApiError(400, 'PERIOD_NOT_STARTED', `Kỳ ${period.key} chưa bắt đầu`);
    }
    const page = body.currentPage === undefined ? 1 : body.currentPage;
    const pageSize = body.pageSize === undefined ? 200 : body.pageSize;
    if (!isInt(page, 1, 1_000_000) || !isInt(pageSize, 1, PAGE_SIZE_MAX)) throw new ApiError(400, 'INVALID_PAGING', `currentPage ≥ 1, 1 ≤ pageSize ≤ ${PAGE_SIZE_MAX}`);
    if (endpoint === 'transparency' || endpoint === 'dossier-digitized' || endpoint === 'handling-satisfaction') {
      return metricAnswer(endpoint, province, period, formality, page, pageSize);
    }
    return treeAnswer(endpoint, province, period, formality);
  };

  const catalogueAnswer = (body: Record<string, unknown>) => {
    const q = typeof body.q === 'string' ? body.q.trim().toLowerCase() : '';
    const page = body.currentPage === undefined ? 1 : body.currentPage;
    const pageSize = body.pageSize === undefined ? 10 : body.pageSize;
    if (!isInt(page, 1, 1_000_000) || !isInt(pageSize, 1, 100)) throw new ApiError(400, 'INVALID_PAGING', 'currentPage ≥ 1, 1 ≤ pageSize ≤ 100');
    const items = catalogue.filter((f) => q === '' || f.code.includes(q) || f.name.toLowerCase().includes(q));
    const totalPages = Math.max(1, Math.ceil(items.length / pageSize));
    return { items: items.slice((page - 1) * pageSize, page * pageSize), currentPage: page, pageSize, total: items.length, totalPages };
  };

  const record = (endpoint: string, body: unknown, status: number, code: string) => {
    log.push({ endpoint, body, status, code });
    if (log.length > 20_000) log.shift();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
    if (path === '/__sim/health') return send(res, 200, { status: 'ok' });
    if (path === '/__sim/stats') return send(res, 200, stats());
    if (path === '/__sim/revise' && req.method === 'POST') {
      // control: the portal revises a closed month (body {"month":"yyyy-MM"})
      const text = await readBody(req, 1024);
      const month = (JSON.parse(text || '{}') as { month?: unknown }).month;
      if (typeof month !== 'string' || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return send(res, 400, { code: 'INVALID_BODY', data: null, message: 'month (yyyy-MM) is required' });
      revisions.set(month, (revisions.get(month) ?? 0) + 1);
      return send(res, 200, { revised: month, revision: revisions.get(month) });
    }

    counters.requests++;
    const isEvaluation = path.startsWith(DVCQG_EVALUATION_PATH);
    const endpoint = isEvaluation ? path.slice(DVCQG_EVALUATION_PATH.length) : path === DVCQG_FORMALITIES_PATH ? 'formalities' : path;
    byEndpoint[endpoint] = (byEndpoint[endpoint] ?? 0) + 1;
    let body: unknown = null;
    try {
      const text = await readBody(req, 64 * 1024);
      if (!isEvaluation && path !== DVCQG_FORMALITIES_PATH) throw new ApiError(404, 'NOT_FOUND', `Không tìm thấy: ${path}`);
      if (req.method !== 'POST') throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'Chỉ hỗ trợ POST');
      const fault = pending.shift();
      if (fault === '429') {
        faultsApplied['429']++;
        record(endpoint, null, 429, 'TOO_MANY_REQUESTS');
        counters.errors++;
        return send(res, 429, { code: 'TOO_MANY_REQUESTS', data: null, message: 'Quá nhiều yêu cầu' }, { 'Retry-After': '1' });
      }
      if (fault === '503') {
        faultsApplied['503']++;
        record(endpoint, null, 503, 'SERVICE_UNAVAILABLE');
        counters.errors++;
        return send(res, 503, '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>', { 'Content-Type': 'text/html; charset=utf-8' });
      }
      try {
        body = JSON.parse(text);
      } catch {
        throw new ApiError(400, 'INVALID_BODY', 'body không phải JSON');
      }
      if (fault === 'busy') {
        faultsApplied.busy++;
        throw new ApiError(201, 'SYSTEM_BUSY', 'Hệ thống đang bận, vui lòng thử lại sau');
      }
      const data = endpoint === 'formalities' ? catalogueAnswer(body as Record<string, unknown>) : answer(endpoint, body as Record<string, unknown>);
      counters.served++;
      record(endpoint, body, 201, 'OK');
      send(res, 201, { code: 'OK', data, message: 'Thành công' });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      counters.errors++;
      record(endpoint, body, error.status, error.code);
      send(res, error.status, { code: error.code, data: null, message: error.message });
    }
  };

  const stats = (): DvcqgSimulatorStats => ({ ...counters, byEndpoint: { ...byEndpoint }, faultsApplied: { ...faultsApplied }, log: [...log] });

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { code: 'INTERNAL_ERROR', data: null, message: error instanceof Error ? error.message : String(error) }));
  });
  const listening = await listen(server, options);

  return {
    url: listening.url,
    port: listening.port,
    stats,
    mapping: () => dvcqgProvinceMapping(seed, [...provinces.keys()]),
    truth: (endpoint, body) => {
      try {
        return endpoint === 'formalities' ? catalogueAnswer(body) : answer(endpoint, body);
      } catch (error) {
        if (error instanceof ApiError) throw new Error(`${error.code}: ${error.message}`);
        throw error;
      }
    },
    formalities: () => catalogue.map((f) => ({ ...f })),
    revise: (monthKey) => {
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(monthKey)) throw new Error(`not a month key: ${monthKey}`);
      revisions.set(monthKey, (revisions.get(monthKey) ?? 0) + 1);
    },
    failNext: (kind) => {
      if (kind !== '429' && kind !== '503' && kind !== 'busy') throw new Error(`unknown fault ${String(kind)}`);
      pending.push(kind);
    },
    close: () => listening.close(),
  };
}
