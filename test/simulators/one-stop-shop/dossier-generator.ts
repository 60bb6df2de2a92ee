/**
 * Deterministic, lazy dossier dataset for the one-stop-shop simulator.
 *
 * Per province only the timeline is materialised: a sorted Float64Array of NgayCapNhat (epoch seconds) and a
 * parallel Uint32Array of entry codes (`dossierIndex * 2 + version`). A dossier's full raw record is a pure
 * function of (seed, province, dossier index, version), rebuilt on demand, so a million dossiers cost a few
 * tens of MB and a 1000-record page is a few milliseconds of work.
 *
 * Story of dossier d (all times whole seconds, Vietnam wall-clock when formatted):
 * - version 0 is sent at its anchor time (the base timeline, spread over the year, many equal seconds);
 * - about 12% of finished dossiers are "re-sent": version 0 then shows the dossier still in progress, and
 *   version 1 (the truth) comes later with the end/return dates, the final status and the result files;
 * - dossiers inserted during a sync (page-shift fault) get indices N, N+1, … and MaHoSo `H{pp}.99-…`, which
 *   sorts after every generated MaHoSo of the same second.
 */
import { streamOf, hashString, hashOf, pick } from './prng';

export const VIETNAM_OFFSET_SECONDS = 7 * 3600;
const DAY = 86400;
const RESEND_RATE = 0.12;

const SALT_TIMELINE = 0x7101;
const SALT_STORY = 0x7102;
const SALT_CONTENT = 0x7103;
const SALT_QUIRK = 0x7104;
const SALT_MALFORMED = 0x7105;
const SALT_RESEND = 0x7106;
const SALT_PROCEDURE = 0x7107;

export interface DatasetOptions {
  seed: number | string;
  /** 2-digit province codes */
  provinces: string[];
  dossiersPerProvince: number;
  year: number;
  proceduresPerProvince?: number;
  /** share of dossiers (0..1) that are malformed in every version; default 0 */
  malformedRate?: number;
}

/** A raw dossier exactly as served (loose wire shape, see the contract). */
export type RawDossier = Record<string, unknown>;

export interface RawProcedure {
  MaTTHC: string;
  TenTTHC: string;
  MaLinhVuc: string;
  MucDo: number | string;
  CapThucHien: string[];
  CoPhiLePhi: boolean | number;
  DuDieuKienToanTrinh: boolean | number;
  CoKetQuaGiay: boolean | number;
}

export type OutcomeClass = 'early' | 'on-time' | 'late' | 'unfinished' | 'stopped';
export type MalformedKind = 'missing-id' | 'impossible-date' | 'unknown-channel';

export interface TimelineEntry {
  /** NgayCapNhat, epoch seconds */
  updatedAt: number;
  dossierIndex: number;
  version: 0 | 1;
}

export interface DossierPage {
  /** entries in the window at the time of the call */
  total: number;
  records: RawDossier[];
}

interface ProcedureInfo {
  code: string;
  name: string;
  field: string;
  mucDo: 2 | 3 | 4;
  levels: string[];
  hasFee: boolean;
  fee: number;
  fullyOnline: boolean;
  paperResult: boolean;
  allowedDays: number;
}

interface Story {
  proc: number;
  unit: number;
  level: 'TINH' | 'XA';
  cls: OutcomeClass;
  received: number;
  due: number;
  end: number | null;
  returned: number | null;
  status: number;
  supplements: Array<{ req: number; back: number | null }>;
  /** NgayCapNhat of version 0 */
  firstSend: number;
  /** NgayCapNhat of version 1, null when the dossier is sent once */
  resentAt: number | null;
}

interface ProvinceState {
  code: string;
  base: number;
  /** anchor (version-0 NgayCapNhat) of generated dossiers, seconds, ascending */
  anchor: Float64Array;
  /** anchors of dossiers inserted later (index N + i) */
  inserted: number[];
  ts: Float64Array;
  codes: Uint32Array;
  length: number;
  malformed: number;
  procedures: ProcedureInfo[];
  catalogue: RawProcedure[];
}

// ---------------------------------------------------------------------------------------------------------
// time formatting (Vietnam wall clock, fixed UTC+7)

const p2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function wall(sec: number): Date {
  return new Date((sec + VIETNAM_OFFSET_SECONDS) * 1000);
}

/** `yyyyMMddHHmmss`, Vietnam time. */
export function formatCompact(sec: number): string {
  const d = wall(sec);
  return `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}`;
}

/** `dd/MM/yyyy HH:mm:ss`, Vietnam time (the alternate format seen in practice). */
export function formatDisplay(sec: number): string {
  const d = wall(sec);
  return `${p2(d.getUTCDate())}/${p2(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

function yymmdd(sec: number): string {
  const d = wall(sec);
  return `${p2(d.getUTCFullYear() % 100)}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}`;
}

/** Epoch seconds of a `yyyyMMddHHmmss` Vietnam-time stamp; null when it is not a real date. */
export function parseCompact(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return null;
  return utc / 1000 - VIETNAM_OFFSET_SECONDS;
}

/** Start of a Vietnam-time year, epoch seconds. */
export function vietnamYearStart(year: number): number {
  return Date.UTC(year, 0, 1) / 1000 - VIETNAM_OFFSET_SECONDS;
}

function lowerBound(a: Float64Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(a: Float64Array, length: number, value: number): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---------------------------------------------------------------------------------------------------------
// fake reference data

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Đức', 'Minh', 'Thanh', 'Ngọc', 'Quốc', 'Thu'];
const GIVEN = ['An', 'Bình', 'Chi', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hoa', 'Hùng', 'Lan', 'Linh', 'Long', 'Mai', 'Nam', 'Phúc', 'Quân', 'Sơn', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy'];
const PROCEDURE_NAMES = [
  'Đăng ký khai sinh',
  'Đăng ký kết hôn',
  'Chứng thực bản sao từ bản chính',
  'Cấp giấy phép xây dựng',
  'Đăng ký thành lập hộ kinh doanh',
  'Cấp phiếu lý lịch tư pháp',
  'Đăng ký biến động đất đai',
  'Cấp giấy chứng nhận quyền sử dụng đất',
  'Đăng ký thường trú',
  'Cấp đổi giấy phép lái xe',
  'Cấp giấy phép kinh doanh rượu',
  'Xác nhận tình trạng hôn nhân',
];
const ALLOWED_DAYS = [1, 2, 3, 5, 5, 7, 10, 10, 15, 20, 30];

function buildProcedures(seedHash: number, provinceHash: number, count: number): { infos: ProcedureInfo[]; catalogue: RawProcedure[] } {
  const infos: ProcedureInfo[] = [];
  for (let j = 0; j < count; j++) {
    // national attributes: the same code means the same procedure in every province
    const r = streamOf(seedHash, j, SALT_PROCEDURE);
    const prefix = r() < 0.35 ? '2' : '1';
    const mu = r();
    const mucDo: 2 | 3 | 4 = mu < 0.25 ? 2 : mu < 0.55 ? 3 : 4;
    const lv = r();
    const levels = lv < 0.35 ? ['TINH'] : lv < 0.7 ? ['XA'] : ['TINH', 'XA'];
    const hasFee = r() < 0.45;
    const fee = hasFee ? pick(r, [10000, 20000, 50000, 100000, 150000, 500000]) : 0;
    infos.push({
      code: `${prefix}.${String(1000 + j).padStart(6, '0')}`,
      name: `${PROCEDURE_NAMES[j % PROCEDURE_NAMES.length]} (${j + 1})`,
      field: `G${p2(1 + Math.floor(r() * 30))}`,
      mucDo,
      levels,
      hasFee,
      fee,
      fullyOnline: mucDo === 4,
      paperResult: r() < 0.7,
      allowedDays: pick(r, ALLOWED_DAYS),
    });
  }
  const catalogue = infos.map((info, j) => {
    // per-province wire quirks: MucDo as a string, flags as 1/0
    const q = streamOf(provinceHash, j, SALT_PROCEDURE, SALT_QUIRK);
    const looseNumber = q() < 0.1;
    const flagsAsNumbers = q() < 0.1;
    const flag = (b: boolean): boolean | number => (flagsAsNumbers ? (b ? 1 : 0) : b);
    return {
      MaTTHC: info.code,
      TenTTHC: info.name,
      MaLinhVuc: info.field,
      MucDo: looseNumber ? String(info.mucDo) : info.mucDo,
      CapThucHien: info.levels,
      CoPhiLePhi: flag(info.hasFee),
      DuDieuKienToanTrinh: flag(info.fullyOnline),
      CoKetQuaGiay: flag(info.paperResult),
    };
  });
  const order = catalogue.map((_, j) => j).sort((a, b) => (catalogue[a].MaTTHC < catalogue[b].MaTTHC ? -1 : 1));
  return { infos, catalogue: order.map((j) => catalogue[j]) };
}

// ---------------------------------------------------------------------------------------------------------
// the dataset

export class SimDataset {
  readonly seed: number | string;
  readonly provinces: readonly string[];
  readonly year: number;
  readonly dossiersPerProvince: number;
  readonly proceduresPerProvince: number;
  readonly malformedRate: number;
  /** [start, end) of the Vietnam-time year, epoch seconds */
  readonly yearStart: number;
  readonly yearEnd: number;
  private readonly seedHash: number;
  private readonly states = new Map<string, ProvinceState>();
  private readonly known: Set<string>;

  constructor(options: DatasetOptions) {
    if (!Number.isInteger(options.dossiersPerProvince) || options.dossiersPerProvince < 0) {
      throw new Error('dossiersPerProvince must be a whole number ≥ 0');
    }
    if (options.dossiersPerProvince > 0x7ffffff0) throw new Error('dossiersPerProvince is too large');
    for (const p of options.provinces) {
      if (!/^\d{2}$/.test(p)) throw new Error(`province code ${JSON.stringify(p)} must be two digits`);
    }
    const rate = options.malformedRate ?? 0;
    if (!(rate >= 0 && rate <= 1)) throw new Error('malformedRate must be within 0..1');
    this.seed = options.seed;
    this.provinces = [...options.provinces];
    this.known = new Set(this.provinces);
    this.year = options.year;
    this.dossiersPerProvince = options.dossiersPerProvince;
    this.proceduresPerProvince = Math.max(1, Math.floor(options.proceduresPerProvince ?? 300));
    this.malformedRate = rate;
    this.seedHash = hashString(String(options.seed));
    this.yearStart = vietnamYearStart(options.year);
    this.yearEnd = vietnamYearStart(options.year + 1);
  }

  hasProvince(province: string): boolean {
    return this.known.has(province);
  }

  // ----- serving

  /** Dossiers whose NgayCapNhat is in [fromSec, toSec), ordered by (NgayCapNhat, MaHoSo), from `offset`. */
  query(province: string, fromSec: number, toSec: number, offset: number, limit: number): DossierPage {
    const st = this.state(province);
    const lo = lowerBound(st.ts, st.length, fromSec);
    const hi = toSec === Infinity ? st.length : lowerBound(st.ts, st.length, toSec);
    const total = Math.max(0, hi - lo);
    const start = lo + Math.max(0, offset);
    const end = Math.min(hi, start + Math.max(0, limit));
    const records: RawDossier[] = [];
    for (let k = start; k < end; k++) {
      const code = st.codes[k];
      records.push(this.build(st, code >>> 1, (code & 1) as 0 | 1));
    }
    return { total, records };
  }

  /** One page of the procedures catalogue (pages from 1). */
  procedurePage(province: string, page: number, size: number): { total: number; records: RawProcedure[] } {
    const list = this.state(province).catalogue;
    const start = (page - 1) * size;
    return { total: list.length, records: list.slice(start, start + size) };
  }

  /**
   * Inserts `count` brand-new dossiers whose NgayCapNhat is `atSec` (the page-shift fault). Their MaHoSo
   * (`H{pp}.99-{yyMMdd}-{nnnnnn}`) sorts after every other MaHoSo of that second, so they go at the end of that
   * second's group. Returns their MaHoSo.
   */
  insertDossiers(province: string, atSec: number, count: number): string[] {
    const st = this.state(province);
    const n = Math.max(0, Math.floor(count));
    if (n === 0) return [];
    const at = Math.floor(atSec);
    const pos = upperBound(st.ts, st.length, at);
    if (st.length + n > st.ts.length) {
      const capacity = Math.max(st.ts.length * 2, st.length + n + 1024);
      const ts = new Float64Array(capacity);
      ts.set(st.ts.subarray(0, st.length));
      const codes = new Uint32Array(capacity);
      codes.set(st.codes.subarray(0, st.length));
      st.ts = ts;
      st.codes = codes;
    }
    st.ts.copyWithin(pos + n, pos, st.length);
    st.codes.copyWithin(pos + n, pos, st.length);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const d = this.dossiersPerProvince + st.inserted.length;
      st.inserted.push(at);
      st.ts[pos + i] = at;
      st.codes[pos + i] = d * 2;
      ids.push(this.idOf(st, d, this.story(st, d)));
    }
    st.length += n;
    return ids;
  }

  // ----- ground truth

  /** Distinct valid dossiers (generated + inserted, malformed excluded). */
  count(province: string): number {
    const st = this.state(province);
    return this.dossiersPerProvince + st.inserted.length - st.malformed;
  }

  /** Distinct dossiers including malformed ones. */
  distinctCount(province: string): number {
    return this.dossiersPerProvince + this.state(province).inserted.length;
  }

  malformedCount(province: string): number {
    return this.state(province).malformed;
  }

  insertedCount(province: string): number {
    return this.state(province).inserted.length;
  }

  /** Number of records in the province's timeline (every version of every dossier). */
  timelineLength(province: string): number {
    return this.state(province).length;
  }

  /** Number of dossiers that are sent twice (two versions in the timeline). */
  resentCount(province: string): number {
    return this.timelineLength(province) - this.distinctCount(province);
  }

  /** The newest raw version of each distinct valid dossier (the truth), in dossier-index order. */
  listDossiers(province: string): RawDossier[] {
    const out: RawDossier[] = [];
    this.forEachDossier(province, (raw) => {
      out.push(raw);
    });
    return out;
  }

  /** Streams the newest raw version of each distinct valid dossier (for big datasets). */
  forEachDossier(province: string, visit: (raw: RawDossier, info: { index: number; outcome: OutcomeClass; resent: boolean }) => void): void {
    const st = this.state(province);
    const total = this.distinctCount(province);
    for (let d = 0; d < total; d++) {
      if (this.malformedKind(st, d) !== null) continue;
      const story = this.story(st, d);
      const version = story.resentAt === null ? 0 : 1;
      visit(this.buildFrom(st, d, version, story), { index: d, outcome: story.cls, resent: version === 1 });
    }
  }

  /** The newest raw version of every malformed dossier, with what is wrong with it. */
  listMalformed(province: string): Array<{ kind: MalformedKind; record: RawDossier }> {
    const st = this.state(province);
    const out: Array<{ kind: MalformedKind; record: RawDossier }> = [];
    for (let d = 0; d < this.dossiersPerProvince; d++) {
      const kind = this.malformedKind(st, d);
      if (kind === null) continue;
      const story = this.story(st, d);
      out.push({ kind, record: this.buildFrom(st, d, story.resentAt === null ? 0 : 1, story) });
    }
    return out;
  }

  listProcedures(province: string): RawProcedure[] {
    return [...this.state(province).catalogue];
  }

  /** The raw record of one timeline position (tests). */
  timelineEntry(province: string, position: number): TimelineEntry {
    const st = this.state(province);
    if (position < 0 || position >= st.length) throw new RangeError(`no timeline position ${position}`);
    const code = st.codes[position];
    return { updatedAt: st.ts[position], dossierIndex: code >>> 1, version: (code & 1) as 0 | 1 };
  }

  /** Builds one version of one dossier (pure function of seed, province, index, version). */
  dossier(province: string, index: number, version: 0 | 1 = 0): RawDossier {
    const st = this.state(province);
    if (index < 0 || index >= this.distinctCount(province)) throw new RangeError(`no dossier ${index}`);
    const story = this.story(st, index);
    if (version === 1 && story.resentAt === null) throw new RangeError(`dossier ${index} has no second version`);
    return this.buildFrom(st, index, version, story);
  }

  // ----- internals

  private state(province: string): ProvinceState {
    let st = this.states.get(province);
    if (!st) {
      if (!this.known.has(province)) throw new Error(`province ${province} is not in this dataset`);
      st = this.buildProvince(province);
      this.states.set(province, st);
    }
    return st;
  }

  private buildProvince(code: string): ProvinceState {
    const n = this.dossiersPerProvince;
    const base = hashOf(this.seedHash, Number(code), 0x51);
    const { infos, catalogue } = buildProcedures(this.seedHash, base, this.proceduresPerProvince);

    // 1. anchors: cumulative random gaps, many of them zero (equal seconds), bursts of bulk updates
    const anchor = new Float64Array(n);
    const r = streamOf(base, SALT_TIMELINE);
    let cumulative = 0;
    let burst = 0;
    for (let k = 0; k < n; k++) {
      if (k > 0) {
        if (burst > 0) {
          burst--;
        } else {
          const u = r();
          if (u < 0.004) burst = 4 + Math.floor(r() * 40);
          else if (u >= 0.12) cumulative += -Math.log(1 - r());
        }
      }
      anchor[k] = cumulative;
    }
    const span = this.yearEnd - this.yearStart;
    const total = cumulative + 1 - Math.log(1 - r());
    for (let k = 0; k < n; k++) anchor[k] = this.yearStart + Math.floor((anchor[k] / total) * span);

    const st: ProvinceState = {
      code,
      base,
      anchor,
      inserted: [],
      ts: new Float64Array(0),
      codes: new Uint32Array(0),
      length: 0,
      malformed: 0,
      procedures: infos,
      catalogue,
    };

    // 2. second versions (re-sent dossiers) and malformed count
    const resentIndex: number[] = [];
    const resentAt: number[] = [];
    for (let d = 0; d < n; d++) {
      if (this.malformedKind(st, d) !== null) st.malformed++;
      if (!this.wantsResend(st, d)) continue;
      const story = this.story(st, d);
      if (story.resentAt !== null) {
        resentIndex.push(d);
        resentAt.push(story.resentAt);
      }
    }
    const order = resentIndex.map((_, i) => i).sort((a, b) => resentAt[a] - resentAt[b] || resentIndex[a] - resentIndex[b]);

    // 3. merge both sorted runs into the timeline
    const length = n + order.length;
    const capacity = length + 1024;
    const ts = new Float64Array(capacity);
    const codes = new Uint32Array(capacity);
    let i = 0;
    let j = 0;
    for (let k = 0; k < length; k++) {
      if (j >= order.length || (i < n && anchor[i] <= resentAt[order[j]])) {
        ts[k] = anchor[i];
        codes[k] = i * 2;
        i++;
      } else {
        ts[k] = resentAt[order[j]];
        codes[k] = resentIndex[order[j]] * 2 + 1;
        j++;
      }
    }
    st.ts = ts;
    st.codes = codes;
    st.length = length;

    // 4. within one second, order by MaHoSo
    let k = 0;
    while (k < length) {
      let e = k + 1;
      while (e < length && ts[e] === ts[k]) e++;
      if (e - k > 1) this.sortGroup(st, k, e);
      k = e;
    }
    return st;
  }

  private sortGroup(st: ProvinceState, from: number, to: number): void {
    const members: Array<{ id: string; code: number }> = [];
    for (let k = from; k < to; k++) {
      const code = st.codes[k];
      const d = code >>> 1;
      members.push({ id: this.idOf(st, d, this.story(st, d)), code });
    }
    members.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.code - b.code));
    for (let k = from; k < to; k++) st.codes[k] = members[k - from].code;
  }

  private anchorOf(st: ProvinceState, d: number): number {
    return d < this.dossiersPerProvince ? st.anchor[d] : st.inserted[d - this.dossiersPerProvince];
  }

  private wantsResend(st: ProvinceState, d: number): boolean {
    return d < this.dossiersPerProvince && streamOf(st.base, d, SALT_RESEND)() < RESEND_RATE;
  }

  private malformedKind(st: ProvinceState, d: number): MalformedKind | null {
    if (this.malformedRate <= 0 || d >= this.dossiersPerProvince) return null;
    const r = streamOf(st.base, d, SALT_MALFORMED);
    if (r() >= this.malformedRate) return null;
    const u = r();
    return u < 1 / 3 ? 'missing-id' : u < 2 / 3 ? 'impossible-date' : 'unknown-channel';
  }

  /** The dossier's life: dates relative to receipt, anchored so version 0 is sent at its anchor second. */
  private story(st: ProvinceState, d: number): Story {
    const anchor = this.anchorOf(st, d);
    const r = streamOf(st.base, d, SALT_STORY);
    const proc = Math.floor(r() * st.procedures.length);
    const info = st.procedures[proc];
    const dueOff = info.allowedDays * DAY;
    const unit = 1 + Math.floor(r() * 40);
    const level: 'TINH' | 'XA' = info.levels.length === 1 ? (info.levels[0] as 'TINH' | 'XA') : r() < 0.3 ? 'TINH' : 'XA';
    const u = r();
    const cls: OutcomeClass = u < 0.45 ? 'early' : u < 0.7 ? 'on-time' : u < 0.84 ? 'late' : u < 0.97 ? 'unfinished' : 'stopped';
    const supplementsOff: Array<{ req: number; back: number | null }> = [];
    let endOff: number | null = null;
    let returnOff: number | null = null;
    let lastOff: number;
    let status: number;
    if (cls === 'unfinished') {
      status = pick(r, [1, 2, 4, 4, 4, 5, 6]);
      // some of them are already past their due date (judged at the end of the period)
      lastOff = Math.floor(60 + r() * dueOff * 1.3);
      if (status === 5) supplementsOff.push({ req: lastOff, back: null });
    } else {
      let work: number;
      if (cls === 'early') work = dueOff * (0.1 + 0.75 * r());
      else if (cls === 'on-time') work = r() < 0.05 ? dueOff /* exactly on the due second */ : dueOff * (0.85 + 0.15 * r());
      else if (cls === 'late') work = dueOff * (1.02 + 0.6 * r()) + 3600;
      else work = dueOff * 0.5 * r() + 600;
      work = Math.floor(work);
      let pauses = 0;
      if (cls !== 'stopped') {
        // supplement requests stop the clock: the end moves by the pause, the due date does not
        const s = r();
        const count = s < 0.015 ? 2 : s < 0.085 ? 1 : 0;
        let at = Math.floor(work * (0.1 + 0.3 * r()));
        for (let i = 0; i < count; i++) {
          const pause = Math.floor((1 + 4 * r()) * DAY);
          supplementsOff.push({ req: at + pauses, back: at + pauses + pause });
          pauses += pause;
          at += Math.floor(work * 0.2 * r());
        }
      }
      endOff = work + pauses;
      status = cls === 'stopped' ? pick(r, [3, 7, 8]) : r() < 0.85 ? 10 : 9;
      returnOff = status === 10 ? endOff + Math.floor(r() * 3 * DAY) : null;
      lastOff = Math.max(endOff, returnOff ?? 0) + Math.floor(r() * 3600);
    }

    let firstSendOff = lastOff;
    let resentAt: number | null = null;
    if (cls !== 'unfinished' && endOff !== null && this.wantsResend(st, d)) {
      // version 0 is sent while the dossier is still being handled
      const f = Math.floor(60 + r() * Math.max(endOff - 120, 0));
      if (lastOff - f >= 600) {
        const received = anchor - f;
        const at = Math.ceil((received + lastOff) / 300) * 300; // sent in 5-minute batches
        if (at > anchor && at < this.yearEnd) {
          resentAt = at;
          firstSendOff = f;
        }
      }
    }
    const received = anchor - firstSendOff;
    return {
      proc,
      unit,
      level,
      cls,
      received,
      due: received + dueOff,
      end: endOff === null ? null : received + endOff,
      returned: returnOff === null ? null : received + returnOff,
      status,
      supplements: supplementsOff.map((s) => ({ req: received + s.req, back: s.back === null ? null : received + s.back })),
      firstSend: anchor,
      resentAt,
    };
  }

  private idOf(st: ProvinceState, d: number, story: Story): string {
    if (d >= this.dossiersPerProvince) {
      const ordinal = d - this.dossiersPerProvince;
      return `H${st.code}.99-${yymmdd(story.firstSend)}-${String(ordinal + 1).padStart(6, '0')}`;
    }
    return `H${st.code}.${p2(story.unit)}-${yymmdd(story.received)}-${String(d + 1).padStart(4, '0')}`;
  }

  private build(st: ProvinceState, d: number, version: 0 | 1): RawDossier {
    return this.buildFrom(st, d, version, this.story(st, d));
  }

  private buildFrom(st: ProvinceState, d: number, version: 0 | 1, s: Story): RawDossier {
    const info = st.procedures[s.proc];
    const partial = version === 0 && s.resentAt !== null;
    const updatedAt = version === 1 && s.resentAt !== null ? s.resentAt : s.firstSend;

    // the dossier's own content: identical in every version
    const c = streamOf(st.base, d, SALT_CONTENT);
    const onlineShare = info.mucDo === 4 ? 0.7 : info.mucDo === 3 ? 0.4 : 0.05;
    const cu = c();
    const channel = cu < 0.05 ? 3 : cu < 0.05 + onlineShare * 0.95 ? 2 : 1;
    const byPost = c() < 0.12;
    const resultDelivery = channel === 3 || byPost ? 1 : 0;
    const payU = c();
    const payment = info.hasFee && channel === 2 ? (payU < 0.5 ? 1 : payU < 0.8 ? 2 : 0) : 0;
    const secondFee = c() < 0.15;
    const componentCount = 1 + Math.floor(c() * 5);
    const components: Array<{ digitised: number; reused: number; fromStore: number }> = [];
    for (let i = 0; i < componentCount; i++) {
      components.push({ digitised: c() < 0.75 ? 1 : 0, reused: c() < 0.2 ? 1 : 0, fromStore: c() < 0.1 ? 1 : 0 });
    }
    const hasResultFile = c() < 0.8;
    const emptyResultLink = c() < 0.05;
    const person = `${pick(c, FAMILY)} ${pick(c, MIDDLE)} ${pick(c, GIVEN)}`;
    const idNumber = `0${st.code}${String(Math.floor(c() * 1e9)).padStart(9, '0')}`;
    const phone = `09${String(Math.floor(c() * 1e8)).padStart(8, '0')}`;
    const hasEmail = c() < 0.6;

    // the wire quirks of this version
    const q = streamOf(st.base, d * 2 + version, SALT_QUIRK);
    const displayDates = q() < 0.02;
    const stringNumbers = q() < 0.05;
    const missingU = q();
    const missing: '' | null | undefined = missingU < 0.6 ? '' : missingU < 0.9 ? null : undefined;
    const lowerLevel = q() < 0.02;
    const emptyListAsBlank = q() < 0.1;

    const fmt = (sec: number): string => (displayDates ? formatDisplay(sec) : formatCompact(sec));
    const date = (sec: number | null): string | null | undefined => (sec === null ? missing : fmt(sec));
    const num = (n: number): number | string => (stringNumbers ? String(n) : n);
    const list = <T>(items: T[]): T[] | '' | null => (items.length > 0 ? items : emptyListAsBlank ? (missing === null ? null : '') : items);

    const status = partial ? this.partialStatus(s) : s.status;
    const finished = !partial && s.end !== null;
    const supplements = s.supplements
      .filter((x) => !partial || x.req <= s.firstSend)
      .map((x) => ({
        NgayBoSung: fmt(x.req),
        NgayTiepNhanBoSung: x.back === null || (partial && x.back > s.firstSend) ? (missing ?? '') : fmt(x.back),
      }));
    const id = this.idOf(st, d, s);
    const results =
      finished && (status === 9 || status === 10) && (hasResultFile || info.paperResult)
        ? [{ MaGiayToKetQua: 'KQ1', DuongDanTepTinKetQua: hasResultFile && !emptyResultLink ? `https://motcua.tinh${st.code}.gov.vn/ketqua/${id}/kq.pdf` : '' }]
        : [];
    const fees = info.hasFee ? [{ MaPhiLePhi: 'LP01', Gia: num(info.fee) }] : [];
    if (info.hasFee && secondFee) fees.push({ MaPhiLePhi: 'LP02', Gia: num(10000) });

    const raw: RawDossier = {};
    const set = (key: string, value: unknown): void => {
      if (value !== undefined) raw[key] = value;
    };
    const malformed = this.malformedKind(st, d);
    set('MaHoSo', malformed === 'missing-id' ? (q() < 0.5 ? '' : undefined) : id);
    set('MaTTHC', info.code);
    set('TenTTHC', info.name);
    set('MaLinhVuc', info.field);
    set('MaDonViXuLy', s.level === 'TINH' ? `000.00.${p2(s.unit)}.H${st.code}` : `000.${p2(s.unit)}.${st.code}.H${st.code}`);
    set('CapDonViXuLy', s.level); // the contract allows only TINH / XA (the old lower-case draw stays, so the data do not shift)
    void lowerLevel;
    set('KenhThucHien', malformed === 'unknown-channel' ? 9 : num(channel));
    set('HinhThuc', num(resultDelivery));
    set('NgayTiepNhan', malformed === 'impossible-date' ? `${this.year}1345250000` : fmt(s.received));
    set('NgayHenTra', fmt(s.due));
    set('NgayKetThucXuLy', date(partial ? null : s.end));
    set('NgayTra', date(partial ? null : s.returned));
    set('TrangThaiHoSo', num(status));
    set('DuocThanhToanTrucTuyen', payment === 0 && missing !== undefined && stringNumbers ? '' : num(payment));
    set('DanhSachLePhi', list(fees));
    set(
      'TaiLieuNop',
      components.map((x, i) => ({ MaThanhPhanHoSo: `TP${i + 1}`, DuocSoHoa: num(x.digitised), DuocTaiSuDung: num(x.reused), DuocLayTuKhoDMQG: num(x.fromStore) })),
    );
    set('DanhSachGiayToKetQua', list(results));
    set('DanhSachHoSoBoSung', list(supplements));
    set('HoSoCoThanhPhanSoHoa', num(components.every((x) => x.digitised === 1) ? 1 : 0));
    set('ChuHoSo', person);
    set('SoGiayToChuHoSo', idNumber);
    set('SoDienThoai', phone);
    set('Email', hasEmail ? `${idNumber.slice(-6)}@example.vn` : (missing ?? ''));
    set('NgayCapNhat', fmt(updatedAt));
    return raw;
  }

  private partialStatus(s: Story): number {
    const open = s.supplements.find((x) => x.req <= s.firstSend && (x.back === null || x.back > s.firstSend));
    if (open) return 5;
    return s.firstSend - s.received < 3600 ? 2 : 4;
  }
}

export function createDataset(options: DatasetOptions): SimDataset {
  return new SimDataset(options);
}
