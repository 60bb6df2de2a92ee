import { DvcqgMappingEntry, DvcqgProvince, loadDvcqgMapping } from './dvcqg-mapping';

export const DVCQG_ENDPOINTS = ['transparency', 'dvc-progress-tree', 'provide-online-tree', 'formality-online-payment-tree', 'dossier-digitized', 'handling-satisfaction'] as const;
export type DvcqgEndpoint = (typeof DVCQG_ENDPOINTS)[number];

export const DVCQG_PERIOD_KINDS = ['year', 'quarter', 'month'] as const;
export type DvcqgPeriodKind = (typeof DVCQG_PERIOD_KINDS)[number];

/** Endpoints answering `overview` + paged `evaluation` (metric codes); the others answer `parent` + `children`. */
export const METRIC_ENDPOINTS: ReadonlySet<string> = new Set(['transparency', 'dossier-digitized', 'handling-satisfaction']);

/** The portal's own page sizes (contract). */
export const DEFAULT_PAGE_SIZE: Record<DvcqgEndpoint, number> = {
  transparency: 200,
  'dvc-progress-tree': 100,
  'provide-online-tree': 200,
  'formality-online-payment-tree': 100,
  'dossier-digitized': 200,
  'handling-satisfaction': 200,
};

export const DEFAULT_USER_AGENT = 'par-evidence-hub/0.1 (PAR INDEX evidence collection; Decision 766 evaluation data; one request at a time)';

export interface DvcqgOptions {
  periods: DvcqgPeriodKind[];
  endpoints: DvcqgEndpoint[];
  /** null: each endpoint's own page size */
  pageSize: number | null;
  rootDepartmentId: string | null;
  departmentCode: string | null;
  userAgent: string;
  /** procedure codes (e.g. "2.000815") also fetched filtered by procedure; resolved through the catalogue */
  formalities: string[];
  /** also fetch the running month, quarter and year (provisional figures); default true */
  runningPeriods: boolean;
}

const KNOWN = ['periods', 'endpoints', 'pageSize', 'rootDepartmentId', 'departmentCode', 'userAgent', 'formalities', 'runningPeriods'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function subset<T extends string>(raw: unknown, name: string, allowed: readonly T[], errors: string[]): T[] | null {
  if (raw === undefined) return null;
  if (!Array.isArray(raw) || raw.length === 0 || raw.some((v) => typeof v !== 'string' || !allowed.includes(v as T))) {
    errors.push(`options.${name} must be a non-empty list drawn from ${allowed.join(', ')}`);
    return null;
  }
  // keep the canonical order, no duplicates
  return allowed.filter((a) => (raw as string[]).includes(a));
}

export function readDvcqgOptions(raw: Record<string, unknown>): { options: DvcqgOptions; errors: string[] } {
  const errors: string[] = [];
  for (const key of Object.keys(raw)) if (!KNOWN.includes(key)) errors.push(`options.${key} is not an option of a dvcqg-evaluation connector`);
  const options: DvcqgOptions = {
    periods: subset(raw.periods, 'periods', DVCQG_PERIOD_KINDS, errors) ?? [...DVCQG_PERIOD_KINDS],
    endpoints: subset(raw.endpoints, 'endpoints', DVCQG_ENDPOINTS, errors) ?? [...DVCQG_ENDPOINTS],
    pageSize: null,
    rootDepartmentId: null,
    departmentCode: null,
    userAgent: DEFAULT_USER_AGENT,
    formalities: [],
    runningPeriods: true,
  };
  if (raw.runningPeriods !== undefined) {
    if (typeof raw.runningPeriods !== 'boolean') errors.push('options.runningPeriods must be true or false');
    else options.runningPeriods = raw.runningPeriods;
  }
  if (raw.pageSize !== undefined) {
    const v = raw.pageSize;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 500) errors.push('options.pageSize must be a whole number from 1 to 500');
    else options.pageSize = v;
  }
  if (raw.rootDepartmentId !== undefined) {
    if (typeof raw.rootDepartmentId !== 'string' || !UUID.test(raw.rootDepartmentId)) errors.push('options.rootDepartmentId must be a UUID');
    else options.rootDepartmentId = raw.rootDepartmentId.toLowerCase();
  }
  if (raw.departmentCode !== undefined) {
    if (typeof raw.departmentCode !== 'string' || !/^[A-Z][A-Z0-9.]{0,31}$/.test(raw.departmentCode)) errors.push('options.departmentCode must be a department code such as H44');
    else options.departmentCode = raw.departmentCode;
  }
  if (raw.userAgent !== undefined) {
    if (typeof raw.userAgent !== 'string' || raw.userAgent.trim() === '' || raw.userAgent.length > 300 || /[\r\n]/.test(raw.userAgent)) {
      errors.push('options.userAgent must be a single line of at most 300 characters');
    } else options.userAgent = raw.userAgent.trim();
  }
  if (raw.formalities !== undefined) {
    const v = raw.formalities;
    if (!Array.isArray(v) || v.length > 50 || v.some((f) => typeof f !== 'string' || !/^[0-9A-Za-z.\-_]{1,40}$/.test(f))) {
      errors.push('options.formalities must be a list of at most 50 procedure codes (e.g. "2.000815")');
    } else options.formalities = [...new Set(v as string[])];
  }
  return { options, errors };
}

/**
 * The province's identifiers on the portal: the connector's options first, then config/dvcqg/provinces.yaml. A
 * placeholder entry (or none) without both options is refused, saying what to fill in.
 */
export function resolveProvince(provinceCode: string, options: DvcqgOptions, mapping: Map<string, DvcqgMappingEntry> = loadDvcqgMapping()): { province: DvcqgProvince | null; errors: string[] } {
  const entry = mapping.get(provinceCode);
  const configured = entry && !entry.placeholder ? entry : undefined;
  const rootDepartmentId = options.rootDepartmentId ?? configured?.rootDepartmentId ?? null;
  const departmentCode = options.departmentCode ?? configured?.departmentCode ?? null;
  if (rootDepartmentId === null || departmentCode === null) {
    const missing = [rootDepartmentId === null ? 'rootDepartmentId' : null, departmentCode === null ? 'departmentCode' : null].filter(Boolean).join(' and ');
    const state = entry?.placeholder ? 'is a placeholder in config/dvcqg/provinces.yaml' : 'is not in config/dvcqg/provinces.yaml';
    return {
      province: null,
      errors: [
        `province ${provinceCode} ${state}: fill in its ${missing} (the root department UUID the portal's evaluation page sends as rootDepartmentId, ` +
          `and the department code such as H44) and remove placeholder: true, or set options.${rootDepartmentId === null ? 'rootDepartmentId' : 'departmentCode'} on the connector`,
      ],
    };
  }
  return { province: { rootDepartmentId, departmentCode }, errors: [] };
}
