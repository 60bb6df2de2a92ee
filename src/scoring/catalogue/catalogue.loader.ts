import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { formatPath } from './catalogue-path';
import { catalogueSchemaWith, CatalogueSchemaOptions, ScoringCatalogue } from './catalogue.schema';

export { formatPath } from './catalogue-path';

export interface CatalogueIssue {
  /** e.g. `subCriteria[2].rule.metric`; empty for the document as a whole */
  path: string;
  message: string;
}

/** A catalogue file that does not parse or validate. The message names the file and each bad field's path. */
export class CatalogueValidationError extends Error {
  constructor(
    readonly file: string,
    readonly issues: readonly CatalogueIssue[],
  ) {
    super(`invalid scoring catalogue ${file}:\n${issues.map((i) => `  - ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n')}`);
    this.name = 'CatalogueValidationError';
  }
}

/** Parses and validates catalogue YAML text; `file` names it in errors. */
export function parseCatalogueYaml(text: string, file: string, options: CatalogueSchemaOptions = {}): ScoringCatalogue {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new CatalogueValidationError(file, doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message.trim()}` })));
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CatalogueValidationError(file, [{ path: '', message: 'the file must hold a YAML mapping (id, framework, version, …)' }]);
  }
  const result = catalogueSchemaWith(options).safeParse(raw);
  if (!result.success) throw new CatalogueValidationError(file, result.error.issues.map((i) => toIssue(i, raw)));
  return result.data;
}

/** Reads, parses and validates one catalogue file. */
export function loadCatalogue(file: string, options: CatalogueSchemaOptions = {}): ScoringCatalogue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CatalogueValidationError(file, [{ path: '', message: `cannot read the file: ${(error as Error).message}` }]);
  }
  return parseCatalogueYaml(text, file, options);
}

/**
 * Loads every `*.yaml` / `*.yml` file of a directory (not recursive), in file-name order. Ids must be unique, and
 * so must (framework, version) pairs: a score records the catalogue version, which must name one catalogue.
 */
export function loadCatalogues(dir: string, options: CatalogueSchemaOptions = {}): ScoringCatalogue[] {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => e.name)
    .sort();
  const byId = new Map<string, string>();
  const byVersion = new Map<string, string>();
  return files.map((name) => {
    const file = join(dir, name);
    const catalogue = loadCatalogue(file, options);
    const sameId = byId.get(catalogue.id);
    if (sameId) throw new CatalogueValidationError(file, [{ path: 'id', message: `id "${catalogue.id}" is already used by ${sameId}` }]);
    const versionKey = `${catalogue.framework}@${catalogue.version}`;
    const sameVersion = byVersion.get(versionKey);
    if (sameVersion) {
      throw new CatalogueValidationError(file, [
        { path: 'version', message: `${catalogue.framework} version "${catalogue.version}" is already defined by ${sameVersion}` },
      ]);
    }
    byId.set(catalogue.id, file);
    byVersion.set(versionKey, file);
    return catalogue;
  });
}

/** Whether a catalogue's year range holds the year. */
export function coversYear(catalogue: ScoringCatalogue, year: number): boolean {
  return catalogue.years.from <= year && year <= catalogue.years.to;
}

/** The catalogues of a framework whose year range holds the year. */
export function cataloguesForYear(catalogues: readonly ScoringCatalogue[], framework: string, year: number): ScoringCatalogue[] {
  return catalogues.filter((c) => c.framework === framework && coversYear(c, year));
}

function toIssue(issue: z.ZodIssue, raw: unknown): CatalogueIssue {
  const path = formatPath(issue.path);
  const node = nodeAt(raw, issue.path);
  const where = node && !path.endsWith('.code') ? ` (${node.level} ${node.code})` : '';
  if (issue.code === z.ZodIssueCode.invalid_union_discriminator) {
    const got = valueAt(raw, issue.path);
    const expected = issue.options.map(String).join(', ');
    const message = got === undefined ? `rule type is required; expected one of ${expected}` : `unknown rule type ${JSON.stringify(got)}; expected one of ${expected}`;
    return { path, message: message + where };
  }
  if (issue.code === z.ZodIssueCode.unrecognized_keys) {
    return { path, message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}${where}` };
  }
  return { path, message: issue.message + where };
}

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = raw;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

const LEVELS: Readonly<Record<string, string>> = { fields: 'field', criteria: 'criterion', subCriteria: 'sub-criterion' };

/** The deepest tree node (field, criterion or sub-criterion) the path goes through, with its code. */
function nodeAt(raw: unknown, path: readonly (string | number)[]): { level: string; code: string } | undefined {
  let found: { level: string; code: string } | undefined;
  for (let i = 0; i + 1 < path.length; i += 1) {
    const level = LEVELS[String(path[i])];
    if (!level || typeof path[i + 1] !== 'number') continue;
    const code = valueAt(raw, [...path.slice(0, i + 2), 'code']);
    if (typeof code === 'string' || typeof code === 'number') found = { level, code: String(code) };
  }
  return found;
}
