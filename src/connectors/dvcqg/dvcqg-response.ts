import { METRIC_ENDPOINTS } from './dvcqg.options';

/** Raw parameters of the tree endpoints (contract), kept as received (null when absent or null). */
export const TREE_PARAMETERS: Record<string, readonly string[]> = {
  'dvc-progress-tree': ['totalReceived', 'totalOnTime', 'totalOverdue', 'totalCompleted', 'avgProcessingDays'],
  'provide-online-tree': [
    'fullCount',
    'partialCount',
    'authorityCount',
    'channelTotalSum',
    'channelOnlineSum',
    'channelDirectSum',
    'channelPostalSum',
    'onlineOnTimeSum',
    'onlineOverdueSum',
    'onlineDossierCount',
    'onlineServiceTotal',
  ],
  'formality-online-payment-tree': [
    'totalDossierFinancialObligation',
    'totalDossierOnlinePaymentSuccess',
    'totalDossierOnlineFormalityPaymentSuccess',
    'totalFeeFormality',
    'totalFeeDossierFormality',
    'totalFeeDossierFormalityDistinct',
  ],
};

export interface DvcqgFlag {
  /** '' = the whole answer */
  departmentId: string;
  /** '' = about the unit (or the answer), not one metric */
  metricCode: string;
  code: string;
  message: string | null;
  raw: unknown;
  position: number;
}

export interface DvcqgUnitRow {
  /** true for `overview` / `parent` (the province itself) */
  root: boolean;
  departmentId: string;
  departmentCode: string | null;
  departmentName: string | null;
  departmentType: string | null;
  departmentLevel: string | null;
  agencyLevel: string | null;
  level: string | null;
  stt: number | null;
  /** totalScore (overview, parent, evaluation units) or score (tree children): the official value */
  totalScore: number | null;
  totalMaxScore: number | null;
  ratio: number | null;
  scoreDelta: number | null;
  /** the tree endpoint's raw parameters, every one of them (null kept) */
  rawParams: Record<string, number | null> | null;
  /** the object as received, without `metrics` */
  record: Record<string, unknown>;
  /** -1 for the root, else the index in `evaluation` / `children` of the page */
  position: number;
}

export interface DvcqgMetricRow {
  root: boolean;
  departmentId: string;
  departmentCode: string | null;
  code: string;
  name: string | null;
  numerator: number | null;
  denominator: number | null;
  ratio: number | null;
  score: number | null;
  maxScore: number | null;
  record: Record<string, unknown>;
  position: number;
}

export interface DvcqgProblem {
  position: number;
  recordKey: string | null;
  record: unknown;
  reason: string;
  field: string;
  detail: string;
}

export interface DvcqgPage {
  units: DvcqgUnitRow[];
  metrics: DvcqgMetricRow[];
  flags: DvcqgFlag[];
  problems: DvcqgProblem[];
  /** total pages announced (null: the answer is not paged) */
  totalPages: number | null;
  message: string | null;
  source: string | null;
  /** top-level fields kept beside the rows (monthlyChart, pagination, …) */
  extras: Record<string, unknown>;
}

export class DvcqgShapeError extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A number as sent (numbers, or numeric strings); anything else is null (the record keeps the original). */
export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/**
 * Data-quality flags, wherever an object carries them. The portal's shape (contract): two fields on the metric
 * (or unit) object, `dataQualityStatus` (e.g. TEMP_NATIONAL_REPORT_DENOMINATOR, NO_NATIONAL_REPORT_DATA) and
 * `dataQualityMessage`. Also read, in case the portal lists them: `flags` / `dataQualityFlags` / `warnings` lists
 * of `{code, message}` (or bare code strings), or a single `flag` / `dataQualityFlag`.
 */
export function flagsOf(o: Json): Array<{ code: string; message: string | null; raw: unknown }> {
  const out: Array<{ code: string; message: string | null; raw: unknown }> = [];
  const take = (v: unknown) => {
    if (typeof v === 'string' && v !== '') out.push({ code: v, message: null, raw: v });
    else if (isObject(v) && typeof (v.code ?? v.flag) === 'string') out.push({ code: String(v.code ?? v.flag), message: str(v.message ?? v.description), raw: v });
  };
  if (typeof o.dataQualityStatus === 'string' && o.dataQualityStatus.trim() !== '') {
    out.push({ code: o.dataQualityStatus.trim(), message: str(o.dataQualityMessage), raw: { dataQualityStatus: o.dataQualityStatus, dataQualityMessage: o.dataQualityMessage ?? null } });
  } else if (o.dataQualityStatus === undefined && typeof o.dataQualityMessage === 'string' && o.dataQualityMessage.trim() !== '') {
    out.push({ code: 'MESSAGE_ONLY', message: o.dataQualityMessage, raw: { dataQualityMessage: o.dataQualityMessage } });
  }
  for (const key of ['flags', 'dataQualityFlags', 'warnings']) {
    const v = o[key];
    if (Array.isArray(v)) v.forEach(take);
  }
  for (const key of ['flag', 'dataQualityFlag']) if (o[key] !== undefined && o[key] !== null) take(o[key]);
  return out;
}

/**
 * Reads one answer's `data` into rows: the province (overview / parent) and every unit, their official scores,
 * every metric (nulls kept) and every data-quality flag. A missing part of the contract's shape is a
 * DvcqgShapeError; a unit or metric that cannot be keyed (no departmentId, no code) is a problem to quarantine.
 */
export function readDvcqgData(endpoint: string, data: unknown, root: { rootDepartmentId: string; departmentCode: string }): DvcqgPage {
  if (!isObject(data)) throw new DvcqgShapeError(`${endpoint}: "data" is not an object`);
  const page: DvcqgPage = { units: [], metrics: [], flags: [], problems: [], totalPages: null, message: null, source: str(data.source), extras: {} };
  for (const f of flagsOf(data)) page.flags.push({ departmentId: '', metricCode: '', ...f, position: -1 });
  const metricEndpoint = METRIC_ENDPOINTS.has(endpoint);
  const rootKey = metricEndpoint ? 'overview' : 'parent';
  const listKey = metricEndpoint ? 'evaluation' : 'children';
  const rootObject = data[rootKey];
  const list = data[listKey];
  if (!isObject(rootObject) && rootObject !== null) throw new DvcqgShapeError(`${endpoint}: "data.${rootKey}" is missing`);
  if (!Array.isArray(list)) throw new DvcqgShapeError(`${endpoint}: "data.${listKey}" is not a list`);
  for (const [k, v] of Object.entries(data)) if (k !== rootKey && k !== listKey && k !== 'source') page.extras[k] = v;
  if (data.pagination !== undefined) {
    if (!isObject(data.pagination)) throw new DvcqgShapeError(`${endpoint}: "data.pagination" is not an object`);
    const total = num(data.pagination.totalPages);
    if (total === null || !Number.isInteger(total) || total < 0) throw new DvcqgShapeError(`${endpoint}: "data.pagination.totalPages" is not a whole number`);
    page.totalPages = total;
  } else if (metricEndpoint) {
    throw new DvcqgShapeError(`${endpoint}: "data.pagination" is missing`);
  }

  const seenUnits = new Set<string>();
  const readUnit = (o: Json, position: number, isRoot: boolean) => {
    const departmentId = isRoot ? (str(o.departmentId) ?? root.rootDepartmentId) : str(o.departmentId);
    if (departmentId === null || departmentId === '') {
      page.problems.push({ position, recordKey: str(o.departmentCode), record: o, reason: 'MISSING_FIELD', field: 'departmentId', detail: `${listKey}[${position}] has no departmentId` });
      return;
    }
    if (seenUnits.has(departmentId)) {
      page.problems.push({ position, recordKey: departmentId, record: o, reason: 'DUPLICATE_ID', field: 'departmentId', detail: `unit ${departmentId} appears twice in the answer; the first is kept` });
      return;
    }
    seenUnits.add(departmentId);
    const departmentCode = str(o.departmentCode) ?? (isRoot ? root.departmentCode : null);
    const params = TREE_PARAMETERS[endpoint];
    const { metrics, ...record } = o;
    page.units.push({
      root: isRoot,
      departmentId,
      departmentCode,
      departmentName: str(o.departmentName),
      departmentType: str(o.departmentType),
      departmentLevel: str(o.departmentLevel),
      agencyLevel: str(o.agencyLevel),
      level: str(o.level),
      stt: num(o.stt),
      totalScore: num(o.totalScore !== undefined ? o.totalScore : o.score),
      totalMaxScore: num(o.totalMaxScore !== undefined ? o.totalMaxScore : o.maxScore),
      ratio: num(o.ratio),
      scoreDelta: num(o.scoreDelta),
      rawParams: params ? Object.fromEntries(params.map((p) => [p, num(o[p])])) : null,
      record,
      position,
    });
    for (const f of flagsOf(o)) page.flags.push({ departmentId, metricCode: '', ...f, position });
    if (metrics === undefined || metrics === null) return;
    if (!Array.isArray(metrics)) {
      page.problems.push({ position, recordKey: departmentId, record: o, reason: 'UNEXPECTED_TYPE', field: 'metrics', detail: `metrics of ${departmentId} is not a list` });
      return;
    }
    const seen = new Set<string>();
    metrics.forEach((m, i) => {
      const code = isObject(m) ? str(m.code) : null;
      if (!isObject(m) || code === null || code === '') {
        page.problems.push({ position, recordKey: departmentId, record: m, reason: 'MISSING_FIELD', field: `metrics[${i}].code`, detail: `metric ${i} of ${departmentId} has no code` });
        return;
      }
      if (seen.has(code)) {
        page.problems.push({ position, recordKey: `${departmentId}/${code}`, record: m, reason: 'DUPLICATE_ID', field: `metrics[${i}].code`, detail: `metric ${code} appears twice for ${departmentId}; the first is kept` });
        return;
      }
      seen.add(code);
      page.metrics.push({
        root: isRoot,
        departmentId,
        departmentCode,
        code,
        name: str(m.name),
        numerator: num(m.numerator),
        denominator: num(m.denominator),
        ratio: num(m.ratio),
        score: num(m.score),
        maxScore: num(m.maxScore),
        record: m,
        position,
      });
      for (const f of flagsOf(m)) page.flags.push({ departmentId, metricCode: code, ...f, position });
    });
  };

  if (isObject(rootObject)) readUnit(rootObject, -1, true);
  list.forEach((item, i) => {
    if (!isObject(item)) {
      page.problems.push({ position: i, recordKey: null, record: item, reason: 'UNEXPECTED_TYPE', field: listKey, detail: `${listKey}[${i}] is not an object` });
      return;
    }
    readUnit(item, i, false);
  });
  // a flag repeated in one answer (same place, same code) is kept once
  const unique = new Map(page.flags.map((f) => [`${f.departmentId}|${f.metricCode}|${f.code}`, f]));
  page.flags = [...unique.values()];
  return page;
}

/**
 * One page as the rows the Decision 766 scoring reads (the same columns the writer stores): units with the
 * endpoint they came from, metrics, and flags keyed by unit and metric.
 */
export function pageAnswerRows(endpoint: string, page: DvcqgPage) {
  return {
    units: page.units.map((u) => ({
      endpoint,
      departmentId: u.departmentId,
      isRoot: u.root,
      departmentCode: u.departmentCode,
      departmentName: u.departmentName,
      departmentType: u.departmentType,
      departmentLevel: u.departmentLevel,
      agencyLevel: u.agencyLevel,
      level: u.level,
      totalScore: u.totalScore,
      totalMaxScore: u.totalMaxScore,
      rawParams: u.rawParams,
    })),
    metrics: page.metrics.map((m) => ({ endpoint, departmentId: m.departmentId, code: m.code, numerator: m.numerator, denominator: m.denominator, score: m.score, maxScore: m.maxScore })),
    flags: page.flags.map((f) => ({ endpoint, departmentId: f.departmentId, metricCode: f.metricCode, flagCode: f.code, message: f.message })),
  };
}
