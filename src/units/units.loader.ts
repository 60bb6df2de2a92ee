/**
 * The provincial administrative units catalogue: the 34 units in force since 2025-07-01, the 63 former units
 * (codes of Decision 124/2004/QĐ-TTg) and the merge map from former to current. Loaded once from the CSV files
 * in config/units/ (see its README for provenance) and validated: bad data stops start-up with a message that
 * names the file and line.
 *
 * A bare code is ambiguous across the merge (80 was Long An, is now Tây Ninh): store every code with its
 * catalogue version (CURRENT_UNITS_VERSION or FORMER_UNITS_VERSION).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export const CURRENT_UNITS_VERSION = '2025-07-01';
export const FORMER_UNITS_VERSION = '2004';

export const CURRENT_UNITS_FILE = 'provinces-2025.csv';
export const FORMER_UNITS_FILE = 'provinces-2004.csv';
export const MERGES_FILE = 'province-merges-2025.csv';

export const EXPECTED_CURRENT_COUNT = 34;
export const EXPECTED_FORMER_COUNT = 63;

/** tinh = province, thanh_pho = centrally governed city */
export type ProvinceUnitType = 'tinh' | 'thanh_pho';

export interface ProvinceUnit {
  /** two digits, leading zero kept */
  code: string;
  name: string;
  type: ProvinceUnitType;
  catalogueVersion: typeof CURRENT_UNITS_VERSION;
  /** ISO date (Vietnam calendar day) from which the unit is in force */
  effectiveFrom: string;
  /** the former unit (2004 code) where the unit's political-administrative centre sits */
  adminCentreFormerCode: string;
}

export interface FormerProvinceUnit {
  code: string;
  name: string;
  type: ProvinceUnitType;
  catalogueVersion: typeof FORMER_UNITS_VERSION;
  /** ISO date (Vietnam calendar day), the last day the unit was in force */
  effectiveTo: string;
  /** the current unit it merged into (itself for the 11 unmerged units) */
  successorCode: string;
}

export interface ProvinceMerge {
  formerCode: string;
  currentCode: string;
  /** the current unit's effectiveFrom: when the merge took effect */
  effectiveFrom: string;
}

const CODE = /^\d{2}$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TYPES: readonly string[] = ['tinh', 'thanh_pho'];

/** The day after an ISO date, as an ISO date. */
function nextDay(isoDate: string): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return date.toISOString().slice(0, 10) === value;
}

export class UnitsError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    problem: string,
  ) {
    super(line === null ? `${file}: ${problem}` : `${file}:${line}: ${problem}`);
    this.name = 'UnitsError';
  }
}

interface Row {
  line: number;
  values: Record<string, string>;
}

/** Reads a CSV with a header row; checks the header is exactly `columns` and every value is non-empty. */
function readCsv(dir: string, file: string, columns: readonly string[]): Row[] {
  let text: string;
  try {
    text = readFileSync(join(dir, file), 'utf8');
  } catch (err) {
    throw new UnitsError(file, null, `cannot read ${join(dir, file)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true, trim: true }) as Array<{
      record: string[];
      info: { lines: number };
    }>;
  } catch (err) {
    const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as { lines: number }).lines : null;
    throw new UnitsError(file, line, `not valid CSV: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (records.length === 0) throw new UnitsError(file, 1, 'the file is empty (expected a header row)');
  const header = records[0].record;
  if (header.length !== columns.length || header.some((h, i) => h !== columns[i])) {
    throw new UnitsError(file, records[0].info.lines, `header is "${header.join(',')}", expected "${columns.join(',')}"`);
  }
  return records.slice(1).map(({ record, info }) => {
    if (record.length !== columns.length) {
      throw new UnitsError(file, info.lines, `has ${record.length} values, expected ${columns.length}`);
    }
    const values: Record<string, string> = {};
    columns.forEach((column, i) => {
      if (record[i] === '') throw new UnitsError(file, info.lines, `${column} is empty`);
      values[column] = record[i];
    });
    return { line: info.lines, values };
  });
}

function checkCode(file: string, line: number, column: string, value: string): string {
  if (!CODE.test(value)) throw new UnitsError(file, line, `${column} "${value}" is not a two-digit code`);
  return value;
}

function checkType(file: string, line: number, value: string): ProvinceUnitType {
  if (!TYPES.includes(value)) throw new UnitsError(file, line, `type "${value}" is not tinh or thanh_pho`);
  return value as ProvinceUnitType;
}

function checkDate(file: string, line: number, column: string, value: string): string {
  if (!isIsoDate(value)) throw new UnitsError(file, line, `${column} "${value}" is not a yyyy-mm-dd date`);
  return value;
}

/** The loaded, validated catalogue, with lookups. Injected in Nest by this class. */
export class UnitsCatalogue {
  private readonly current = new Map<string, ProvinceUnit>();
  private readonly former = new Map<string, FormerProvinceUnit>();
  private readonly predecessors = new Map<string, FormerProvinceUnit[]>();

  constructor(current: readonly ProvinceUnit[], former: readonly FormerProvinceUnit[]) {
    for (const unit of [...current].sort((a, b) => a.code.localeCompare(b.code))) {
      this.current.set(unit.code, Object.freeze({ ...unit }));
      this.predecessors.set(unit.code, []);
    }
    for (const unit of [...former].sort((a, b) => a.code.localeCompare(b.code))) {
      const frozen = Object.freeze({ ...unit });
      this.former.set(unit.code, frozen);
      this.predecessors.get(unit.successorCode)?.push(frozen);
    }
  }

  /** Whether `code` is a unit of the current (2025-07-01) catalogue. */
  isCurrentProvince(code: string): boolean {
    return this.current.has(code);
  }

  /** The current unit with this code. */
  province(code: string): ProvinceUnit | undefined {
    return this.current.get(code);
  }

  /** The former (2004) unit with this code. */
  formerProvince(code: string): FormerProvinceUnit | undefined {
    return this.former.get(code);
  }

  /** The current unit a former unit (2004 code) merged into. */
  successorOf(formerCode: string): ProvinceUnit | undefined {
    const unit = this.former.get(formerCode);
    return unit ? this.current.get(unit.successorCode) : undefined;
  }

  /** The former units merged into a current unit, by code; empty for an unknown code. */
  predecessorsOf(code: string): FormerProvinceUnit[] {
    return [...(this.predecessors.get(code) ?? [])];
  }

  /** The 34 current units, by code. */
  currentProvinces(): ProvinceUnit[] {
    return [...this.current.values()];
  }

  /** The 63 former units, by code. */
  formerProvinces(): FormerProvinceUnit[] {
    return [...this.former.values()];
  }

  /** The merge map, one row per former unit, by former code. */
  merges(): ProvinceMerge[] {
    return this.formerProvinces().map((f) => ({
      formerCode: f.code,
      currentCode: f.successorCode,
      effectiveFrom: this.current.get(f.successorCode)!.effectiveFrom,
    }));
  }
}

/**
 * Loads and validates the three CSV files of `dir`. Throws a UnitsError naming the file and line when a file is
 * missing or malformed, a code is duplicated, a count is not 34 / 63, or the merge map does not map every
 * former unit to exactly one current unit.
 */
export function loadUnits(dir: string): UnitsCatalogue {
  // provinces-2025.csv
  const current = new Map<string, ProvinceUnit>();
  const currentRows = readCsv(dir, CURRENT_UNITS_FILE, ['code', 'name', 'type', 'effective_from', 'admin_centre_former_code']);
  for (const { line, values } of currentRows) {
    const code = checkCode(CURRENT_UNITS_FILE, line, 'code', values.code);
    if (current.has(code)) throw new UnitsError(CURRENT_UNITS_FILE, line, `code ${code} appears twice`);
    current.set(code, {
      code,
      name: values.name,
      type: checkType(CURRENT_UNITS_FILE, line, values.type),
      catalogueVersion: CURRENT_UNITS_VERSION,
      effectiveFrom: checkDate(CURRENT_UNITS_FILE, line, 'effective_from', values.effective_from),
      adminCentreFormerCode: checkCode(CURRENT_UNITS_FILE, line, 'admin_centre_former_code', values.admin_centre_former_code),
    });
  }
  if (current.size !== EXPECTED_CURRENT_COUNT) {
    throw new UnitsError(CURRENT_UNITS_FILE, null, `has ${current.size} units, expected ${EXPECTED_CURRENT_COUNT}`);
  }

  // provinces-2004.csv
  const formerRows = readCsv(dir, FORMER_UNITS_FILE, ['code', 'name', 'type', 'effective_to']);
  const former = new Map<string, Omit<FormerProvinceUnit, 'successorCode'> & { line: number }>();
  for (const { line, values } of formerRows) {
    const code = checkCode(FORMER_UNITS_FILE, line, 'code', values.code);
    if (former.has(code)) throw new UnitsError(FORMER_UNITS_FILE, line, `code ${code} appears twice`);
    former.set(code, {
      code,
      name: values.name,
      type: checkType(FORMER_UNITS_FILE, line, values.type),
      catalogueVersion: FORMER_UNITS_VERSION,
      effectiveTo: checkDate(FORMER_UNITS_FILE, line, 'effective_to', values.effective_to),
      line,
    });
  }
  if (former.size !== EXPECTED_FORMER_COUNT) {
    throw new UnitsError(FORMER_UNITS_FILE, null, `has ${former.size} units, expected ${EXPECTED_FORMER_COUNT}`);
  }

  // province-merges-2025.csv
  const successor = new Map<string, string>();
  const mergeRows = readCsv(dir, MERGES_FILE, ['former_code', 'former_name', 'current_code', 'current_name']);
  for (const { line, values } of mergeRows) {
    const formerCode = checkCode(MERGES_FILE, line, 'former_code', values.former_code);
    const currentCode = checkCode(MERGES_FILE, line, 'current_code', values.current_code);
    if (successor.has(formerCode)) throw new UnitsError(MERGES_FILE, line, `former_code ${formerCode} appears twice`);
    const f = former.get(formerCode);
    if (!f) throw new UnitsError(MERGES_FILE, line, `former_code ${formerCode} is not in ${FORMER_UNITS_FILE}`);
    if (f.name !== values.former_name) {
      throw new UnitsError(MERGES_FILE, line, `former_name "${values.former_name}" does not match "${f.name}" in ${FORMER_UNITS_FILE}`);
    }
    const c = current.get(currentCode);
    if (!c) throw new UnitsError(MERGES_FILE, line, `current_code ${currentCode} is not in ${CURRENT_UNITS_FILE}`);
    if (c.name !== values.current_name) {
      throw new UnitsError(MERGES_FILE, line, `current_name "${values.current_name}" does not match "${c.name}" in ${CURRENT_UNITS_FILE}`);
    }
    if (nextDay(f.effectiveTo) !== c.effectiveFrom) {
      throw new UnitsError(
        MERGES_FILE,
        line,
        `former unit ${formerCode} ends ${f.effectiveTo} but its successor ${currentCode} starts ${c.effectiveFrom} (expected the next day)`,
      );
    }
    successor.set(formerCode, currentCode);
  }
  for (const f of former.values()) {
    if (!successor.has(f.code)) {
      throw new UnitsError(MERGES_FILE, null, `former unit ${f.code} (${f.name}, ${FORMER_UNITS_FILE}:${f.line}) has no row`);
    }
  }

  // every current unit has a predecessor, and its admin centre is one of them
  const currentLines = new Map(currentRows.map((r) => [r.values.code, r.line]));
  for (const c of current.values()) {
    if (successor.get(c.adminCentreFormerCode) !== c.code) {
      throw new UnitsError(
        CURRENT_UNITS_FILE,
        currentLines.get(c.code) ?? null,
        `admin_centre_former_code ${c.adminCentreFormerCode} is not a former unit merged into ${c.code}`,
      );
    }
  }

  const formerUnits: FormerProvinceUnit[] = [...former.values()].map(({ line: _line, ...unit }) => ({
    ...unit,
    successorCode: successor.get(unit.code)!,
  }));
  return new UnitsCatalogue([...current.values()], formerUnits);
}
