import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';

export interface DvcqgProvince {
  rootDepartmentId: string;
  departmentCode: string;
}

/** A mapping entry: confirmed identifiers, or a placeholder an operator has to fill in. */
export type DvcqgMappingEntry = (DvcqgProvince & { placeholder?: false; confirmed: string | null }) | { placeholder: true };

/** relative to the working directory, like every other file of config/ (the service runs from the project root) */
export const DVCQG_MAPPING_FILE = resolve('config', 'dvcqg', 'provinces.yaml');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses the mapping (statistics province code → root department UUID and department code); errors name the entry. */
export function parseDvcqgMapping(text: string, file = 'provinces.yaml'): Map<string, DvcqgMappingEntry> {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
  const root = doc.toJS() as { provinces?: Record<string, unknown> } | null;
  const provinces = root?.provinces;
  if (!provinces || typeof provinces !== 'object') throw new Error(`${file}: no "provinces" map`);
  const out = new Map<string, DvcqgMappingEntry>();
  for (const [code, value] of Object.entries(provinces)) {
    const v = value as (Partial<DvcqgProvince> & { placeholder?: unknown; confirmed?: unknown }) | null;
    if (!/^\d{2}$/.test(code)) throw new Error(`${file}: province code ${JSON.stringify(code)} is not two digits (quote it)`);
    if (v && v.placeholder === true) {
      if (v.rootDepartmentId !== undefined || v.departmentCode !== undefined) {
        throw new Error(`${file}: provinces.${code} is a placeholder but has identifiers: remove placeholder: true once they are confirmed`);
      }
      out.set(code, { placeholder: true });
      continue;
    }
    if (!v || typeof v.rootDepartmentId !== 'string' || !UUID.test(v.rootDepartmentId)) throw new Error(`${file}: provinces.${code}.rootDepartmentId must be a UUID (or mark the entry placeholder: true)`);
    if (typeof v.departmentCode !== 'string' || v.departmentCode.trim() === '') throw new Error(`${file}: provinces.${code}.departmentCode is required`);
    out.set(code, { rootDepartmentId: v.rootDepartmentId.toLowerCase(), departmentCode: v.departmentCode.trim(), confirmed: typeof v.confirmed === 'string' ? v.confirmed : null });
  }
  return out;
}

let cached: { file: string; mapping: Map<string, DvcqgMappingEntry> } | null = null;

/** The configured mapping (DVCQG_PROVINCES_FILE overrides the path); read once per file. */
export function loadDvcqgMapping(file = process.env.DVCQG_PROVINCES_FILE || DVCQG_MAPPING_FILE): Map<string, DvcqgMappingEntry> {
  if (cached?.file !== file) cached = { file, mapping: parseDvcqgMapping(readFileSync(file, 'utf8'), file) };
  return cached.mapping;
}
