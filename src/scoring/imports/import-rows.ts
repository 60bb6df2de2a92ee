import { parse } from 'csv-parse/sync';

/** One imported value: a survey result such as SIPAS for a province and year, out of `max`. */
export interface ImportRow {
  provinceCode: string;
  year: number;
  key: string;
  value: number;
  max: number;
}

const KEY = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

/**
 * Checks rows of an upload; returns the problems, each naming the row and the field. `isProvince` decides which
 * province codes exist. Nothing is accepted unless every row is valid (an upload is all or nothing).
 */
export function checkImportRows(rows: Array<Record<string, unknown>>, isProvince: (code: string) => boolean): { rows: ImportRow[]; errors: string[] } {
  const errors: string[] = [];
  const out: ImportRow[] = [];
  const seen = new Set<string>();
  if (rows.length === 0) errors.push('the upload has no rows');
  rows.forEach((raw, i) => {
    const at = `row ${i + 1}`;
    const provinceCode = String(raw.provinceCode ?? '').trim();
    const year = Number(String(raw.year ?? '').trim());
    const key = String(raw.key ?? '').trim();
    const value = toNumber(raw.value);
    const max = toNumber(raw.max);
    const before = errors.length;
    if (!/^\d{2}$/.test(provinceCode) || !isProvince(provinceCode)) errors.push(`${at}: provinceCode "${provinceCode}" is not one of the 34 provincial units in force`);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) errors.push(`${at}: year must be a year between 2000 and 2100`);
    if (!KEY.test(key)) errors.push(`${at}: key must be lower-case letters, digits, _ and dots (e.g. sipas)`);
    if (value === null || value < 0) errors.push(`${at}: value must be a number ≥ 0`);
    if (max === null || max <= 0) errors.push(`${at}: max must be a number > 0 (the scale of the value, e.g. 100)`);
    if (value !== null && max !== null && max > 0 && value > max) errors.push(`${at}: value ${value} is above max ${max}`);
    const dup = `${provinceCode}|${year}|${key}`;
    if (errors.length === before && seen.has(dup)) errors.push(`${at}: ${key} for ${provinceCode} in ${year} appears twice`);
    seen.add(dup);
    if (errors.length === before) out.push({ provinceCode, year, key, value: value!, max: max! });
  });
  return { rows: errors.length === 0 ? out : [], errors };
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string' || !/^\s*\d+(\.\d+)?\s*$/.test(v)) return null;
  return Number(v);
}

/** CSV uploads: a header row with provinceCode, year, key, value, max (comma or semicolon separated). */
export function parseImportCsv(text: string): Array<Record<string, unknown>> {
  const clean = text.replace(/^\uFEFF/, '');
  const delimiter = (clean.split(/\r?\n/, 1)[0] ?? '').includes(';') ? ';' : ',';
  return parse(clean, { columns: true, skip_empty_lines: true, trim: true, delimiter }) as Array<Record<string, unknown>>;
}
