import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';

/**
 * The header dictionary of BCCI report files (`config/bcci/headers.yaml`): the usual spellings of each canonical
 * column, matched after folding case, Vietnamese diacritics, spacing and punctuation.
 */

export const BCCI_COLUMNS = [
  'stt',
  'waybillId',
  'dossierId',
  'procedureCode',
  'agencyCode',
  'direction',
  'acceptedAt',
  'deliveredAt',
  'status',
  'postage',
] as const;

export type BcciColumn = (typeof BCCI_COLUMNS)[number];

/** `config/bcci/headers.yaml`, from the repository root (works from `src/` and from `dist/`). */
/** relative to the working directory, like every other file of config/ (the service runs from the project root) */
export const DEFAULT_HEADER_DICTIONARY_PATH = resolve('config', 'bcci', 'headers.yaml');

export interface HeaderDictionaryDefinition {
  columns: Partial<Record<BcciColumn, string[]>>;
  required?: BcciColumn[];
  unitSuffixes?: string[];
  minMatches?: number;
  headerSearchRows?: number;
}

export interface HeaderDictionary {
  /** canonical column → spellings as written in the configuration */
  readonly columns: Readonly<Record<BcciColumn, readonly string[]>>;
  readonly required: readonly BcciColumn[];
  /** folded unit words ('vnd', 'dong', …) ignored at the end of a header */
  readonly unitSuffixes: readonly string[];
  /** a row is the header row when at least this many of its cells match */
  readonly minMatches: number;
  /** the header row is searched in rows 1…headerSearchRows */
  readonly headerSearchRows: number;
  /** folded spelling (no spaces) → column */
  readonly lookup: ReadonlyMap<string, BcciColumn>;
}

export class HeaderDictionaryError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`invalid BCCI header dictionary ${file}: ${message}`);
    this.name = 'HeaderDictionaryError';
  }
}

const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING = /\p{M}+/gu;
const NOT_WORD = /[^a-z0-9]+/g;

/**
 * Folds text for matching: lower case, diacritics removed (NFD, combining marks dropped, đ → d), every run of
 * spaces, punctuation and underscores turned into one space, trimmed. "Mã  vận_đơn " → "ma van don".
 */
export function foldText(text: string): string {
  let s = text.toLowerCase();
  if (NON_ASCII.test(s)) s = s.normalize('NFD').replace(COMBINING, '').replace(/đ/g, 'd');
  return s.replace(NOT_WORD, ' ').trim();
}

const definitionSchema = z
  .object({
    columns: z.record(z.string(), z.array(z.string().min(1)).min(1)),
    required: z.array(z.string()).optional(),
    unitSuffixes: z.array(z.string().min(1)).optional(),
    minMatches: z.number().int().min(1).optional(),
    headerSearchRows: z.number().int().min(1).optional(),
  })
  .strict();

/** Builds a dictionary from its definition (the parsed YAML); `source` names it in errors. */
export function buildHeaderDictionary(definition: HeaderDictionaryDefinition, source = '<inline>'): HeaderDictionary {
  const parsed = definitionSchema.safeParse(definition);
  if (!parsed.success) {
    throw new HeaderDictionaryError(source, parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  const def = parsed.data;
  const known = new Set<string>(BCCI_COLUMNS);
  for (const key of Object.keys(def.columns)) {
    if (!known.has(key)) throw new HeaderDictionaryError(source, `columns.${key}: unknown column (known: ${BCCI_COLUMNS.join(', ')})`);
  }
  const required = (def.required ?? ['waybillId', 'direction']) as BcciColumn[];
  for (const r of required) {
    if (!known.has(r)) throw new HeaderDictionaryError(source, `required: unknown column "${r}"`);
    if (!def.columns[r]) throw new HeaderDictionaryError(source, `required column "${r}" has no spellings`);
  }
  const columns = {} as Record<BcciColumn, readonly string[]>;
  const lookup = new Map<string, BcciColumn>();
  for (const column of BCCI_COLUMNS) {
    const spellings = def.columns[column] ?? [];
    columns[column] = spellings;
    for (const spelling of spellings) {
      const key = foldText(spelling).replace(/ /g, '');
      if (key === '') throw new HeaderDictionaryError(source, `columns.${column}: "${spelling}" has no letters or digits`);
      const other = lookup.get(key);
      if (other && other !== column) {
        throw new HeaderDictionaryError(source, `"${spelling}" is listed for both ${other} and ${column}`);
      }
      lookup.set(key, column);
    }
  }
  const unitSuffixes = (def.unitSuffixes ?? []).map(foldText).filter((s) => s !== '');
  // longest first, so "vnd buu gui" is tried before "vnd"
  unitSuffixes.sort((a, b) => b.length - a.length);
  return {
    columns,
    required,
    unitSuffixes,
    minMatches: def.minMatches ?? 4,
    headerSearchRows: def.headerSearchRows ?? 20,
    lookup,
  };
}

/** Parses dictionary YAML text; `source` names it in errors. */
export function parseHeaderDictionaryYaml(text: string, source = '<inline>'): HeaderDictionary {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new HeaderDictionaryError(source, `YAML: ${doc.errors.map((e) => e.message.trim()).join('; ')}`);
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new HeaderDictionaryError(source, 'the file must hold a YAML mapping (columns, required, …)');
  }
  return buildHeaderDictionary(raw as HeaderDictionaryDefinition, source);
}

/** Loads the header dictionary (default: `config/bcci/headers.yaml`). */
export function loadHeaderDictionary(file: string = DEFAULT_HEADER_DICTIONARY_PATH): HeaderDictionary {
  return parseHeaderDictionaryYaml(readFileSync(file, 'utf8'), file);
}

/** The canonical column a header cell names, or null. Tries the header as written, then without a unit suffix. */
export function matchHeader(dictionary: HeaderDictionary, header: string): BcciColumn | null {
  const folded = foldText(header);
  if (folded === '') return null;
  const direct = dictionary.lookup.get(folded.replace(/ /g, ''));
  if (direct) return direct;
  for (const suffix of dictionary.unitSuffixes) {
    if (folded.length > suffix.length && folded.endsWith(` ${suffix}`)) {
      const hit = dictionary.lookup.get(folded.slice(0, -suffix.length - 1).replace(/ /g, ''));
      if (hit) return hit;
    }
  }
  return null;
}
