import { z } from 'zod';
import { METRIC_CODES } from '../metric-catalogue';
import { ruleMetricRefs, ruleMetrics, ScoringRule, scoringRuleSchema } from '../rules/rule.schema';
import { fmtNumber, formatPath } from './catalogue-path';
import { DVCQG_METRIC_CODES, DVCQG_METRIC_PREFIX, IMPORTED_METRIC_PREFIX } from './dvcqg-metrics';

/** the metric codes declarative sources may produce (see the declarative REST connector) */
const SECTOR_METRIC = /^sector\.[a-z0-9_.]+$/;

/**
 * A scoring catalogue: one framework's (e.g. PAR_INDEX) scoring tree for a range of years: fields → criteria →
 * sub-criteria, each level with a code, a title and maxPoints that its children add up to. Each sub-criterion
 * (leaf) is scored by a rule over evidence metrics (`rule`), left to a document the province attaches
 * (`manual`), or scored by a rule over an imported value such as a survey result (`imported`). Catalogues are
 * data, loaded from YAML (see config/scoring/README.md), and versioned: a changed rule is a new catalogue
 * version. The older flat format (a `subCriteria` list without fields and criteria) still loads.
 */

export const CATALOGUE_STATUSES = ['demo', 'draft', 'official'] as const;
export type CatalogueStatus = (typeof CATALOGUE_STATUSES)[number];

/** rule: scored automatically; manual: the province attaches a document; imported: a rule over an imported value */
export const ITEM_KINDS = ['rule', 'manual', 'imported'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** Children's maxPoints must add up to the parent's within this tolerance. */
export const POINTS_TOLERANCE = 1e-9;

const text = (what: string) =>
  z
    .string({ required_error: `${what} is required`, invalid_type_error: `${what} must be a string` })
    .trim()
    .min(1, { message: `${what} must not be empty` });

/** YAML reads `6.1` as a number; a code must be written as a string. */
const subCriterionCode = z
  .string({ required_error: 'code is required', invalid_type_error: 'code must be a string such as "6.1.1" (quote it in YAML)' })
  .regex(/^\d+(\.\d+)*$/, { message: 'code must be dot-separated numbers such as "6.1.1"' });

/** Field and criterion codes: dot-separated numbers or letters ("3", "3.4", "3.B"). */
const nodeCode = z
  .string({ required_error: 'code is required', invalid_type_error: 'code must be a string such as "3" or "3.4" (quote it in YAML)' })
  .regex(/^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$/, { message: 'code must be dot-separated numbers or letters such as "3.4"' });

const importKey = z
  .string({ invalid_type_error: 'importKey must be a string' })
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, { message: 'importKey must be dot-separated lower-case words such as "sipas.satisfaction"' });

const points = (what: string) =>
  z
    .number({ required_error: `${what} is required`, invalid_type_error: `${what} must be a number` })
    .finite()
    .gt(0, { message: `${what} must be greater than 0` });

const year = (what: string) =>
  z
    .number({ required_error: `${what} is required`, invalid_type_error: `${what} must be a year (number)` })
    .int({ message: `${what} must be a whole year` })
    .gte(2000, { message: `${what} must be 2000 or later` })
    .lte(2100, { message: `${what} must be 2100 or earlier` });

/** The DVCQG evaluation endpoints (contract), as catalogue values. */
export const PORTAL_ENDPOINTS = ['transparency', 'dvc-progress-tree', 'provide-online-tree', 'formality-online-payment-tree', 'dossier-digitized', 'handling-satisfaction'] as const;

/**
 * Where the portal publishes an item's official score: a published metric's `score` (`metric`), or the unit's
 * total of a tree endpoint (no `metric`). `published: true` means the item takes the portal's published score
 * (its formula is not public); `components` are the published metrics it adds up, each recomputed with
 * `componentRule` (its metric is each component in turn, its maximum the component's published maxScore).
 */
export const portalBindingSchema = z
  .object({
    endpoint: z.enum(PORTAL_ENDPOINTS, { errorMap: () => ({ message: `portal.endpoint must be one of ${PORTAL_ENDPOINTS.join(', ')}` }) }),
    metric: z.string().regex(/^[A-Z][A-Z0-9_]*$/, { message: 'portal.metric must be a published metric code such as PUBLISH_ON_TIME' }).optional(),
    published: z.boolean().optional(),
    components: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/, { message: 'a component must be a published metric code' })).min(1).optional(),
    componentRule: scoringRuleSchema.optional(),
  })
  .strict();
export type PortalBinding = z.output<typeof portalBindingSchema>;

/** Source names a fallback may declare. */
export const FALLBACK_SOURCES = ['one-stop-shop'] as const;
export const fallbackSchema = z
  .object({
    source: z.enum(FALLBACK_SOURCES, { errorMap: () => ({ message: `fallback.source must be one of ${FALLBACK_SOURCES.join(', ')}` }) }),
    rule: scoringRuleSchema,
  })
  .strict();
export type FallbackSource = z.output<typeof fallbackSchema>;

/** A sub-criterion as written in YAML. */
export const subCriterionSchema = z
  .object({
    code: subCriterionCode,
    title: text('title'),
    maxPoints: points('maxPoints'),
    /** default: manual when `manual: true`, else rule */
    kind: z.enum(ITEM_KINDS, { errorMap: () => ({ message: `kind must be one of ${ITEM_KINDS.join(', ')}` }) }).optional(),
    /** older spelling of `kind: manual` */
    manual: z.boolean({ invalid_type_error: 'manual must be true or false' }).optional(),
    rule: scoringRuleSchema.optional(),
    /** manual items: the kind of document the province must attach */
    document: text('document').optional(),
    /** imported items: the name of the imported value, read by the rule as metric `imported.<importKey>` */
    importKey: importKey.optional(),
    /** the metric codes the rule reads; optional, checked against the rule when given */
    metrics: z.array(z.string({ invalid_type_error: 'metric code must be a string' })).optional(),
    /** where the item comes from (decision, domain note) */
    source: text('source').optional(),
    /** free text: caveats, what is not confirmed */
    note: text('note').optional(),
    /** where the DVCQG portal publishes this item's official score (Decision 766 catalogues) */
    portal: portalBindingSchema.optional(),
    /** a second source, used only when the rule's own source has no evidence at all */
    fallback: fallbackSchema.optional(),
  })
  .strict();

/** What every inner node of the tree (field, criterion) carries besides its children. */
const nodeShape = {
  code: nodeCode,
  title: text('title'),
  maxPoints: points('maxPoints'),
  source: text('source').optional(),
  note: text('note').optional(),
};

export const criterionSchema = z
  .object({
    ...nodeShape,
    subCriteria: z.array(subCriterionSchema, { required_error: 'subCriteria is required' }).min(1, { message: 'at least one sub-criterion is needed' }),
  })
  .strict();

export const fieldSchema = z
  .object({
    ...nodeShape,
    criteria: z.array(criterionSchema, { required_error: 'criteria is required' }).min(1, { message: 'at least one criterion is needed' }),
  })
  .strict();

/** A catalogue as written in YAML: the tree (`fields`) or the older flat list (`subCriteria`). */
export const catalogueSchema = z
  .object({
    id: z
      .string({ required_error: 'id is required', invalid_type_error: 'id must be a string' })
      .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'id must be lower-case letters, digits, ".", "_" or "-"' }),
    framework: z
      .string({ required_error: 'framework is required', invalid_type_error: 'framework must be a string' })
      .regex(/^[A-Z][A-Z0-9_]*$/, { message: 'framework must be upper-case words joined by "_", e.g. PAR_INDEX' }),
    /** YAML reads 2026.1 as a number; a version must be written as a string */
    version: text('version').refine((v) => /^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(v), {
      message: 'version may hold letters, digits, ".", "_", "+" and "-"',
    }),
    status: z.enum(CATALOGUE_STATUSES, {
      errorMap: () => ({ message: `status must be one of ${CATALOGUE_STATUSES.join(', ')}` }),
    }),
    title: text('title'),
    years: z
      .object({ from: year('years.from'), to: year('years.to') }, { required_error: 'years is required' })
      .strict()
      .refine((y) => y.from <= y.to, { message: 'years.from must not be after years.to', path: ['to'] }),
    sources: z.array(text('source')).optional(),
    /** optional total; when given, the fields (or flat sub-criteria) must add up to it */
    maxPoints: points('maxPoints').optional(),
    fields: z.array(fieldSchema).min(1, { message: 'at least one field is needed' }).optional(),
    subCriteria: z.array(subCriterionSchema).min(1, { message: 'at least one sub-criterion is needed' }).optional(),
  })
  .strict();

type SubCriterionInput = z.output<typeof subCriterionSchema>;
type CatalogueInput = z.output<typeof catalogueSchema>;

/** A parsed sub-criterion (a leaf of the tree), with its kind resolved and its parents' codes. */
export interface SubCriterion {
  code: string;
  title: string;
  maxPoints: number;
  kind: ItemKind;
  /** true exactly when kind is manual */
  manual?: true;
  /** rule and imported items */
  rule?: ScoringRule;
  /** manual items */
  document?: string;
  /** imported items */
  importKey?: string;
  metrics?: string[];
  source?: string;
  note?: string;
  portal?: PortalBinding;
  fallback?: FallbackSource;
  /** the field and criterion codes (tree format only) */
  field?: string;
  criterion?: string;
}

export type AutomaticSubCriterion = SubCriterion & { rule: ScoringRule };

export interface CriterionNode {
  code: string;
  title: string;
  maxPoints: number;
  source?: string;
  note?: string;
  subCriteria: SubCriterion[];
}

export interface FieldNode {
  code: string;
  title: string;
  maxPoints: number;
  source?: string;
  note?: string;
  criteria: CriterionNode[];
}

export interface ScoringCatalogue {
  id: string;
  framework: string;
  version: string;
  status: CatalogueStatus;
  title: string;
  years: { from: number; to: number };
  sources?: string[];
  maxPoints?: number;
  /** the tree; absent for a catalogue written in the flat format */
  fields?: FieldNode[];
  /** every leaf, in document order (the tree flattened) */
  subCriteria: SubCriterion[];
}

export interface CatalogueSchemaOptions {
  /** the plain metric codes a rule may read; default: the evidence metric catalogue */
  metricCodes?: ReadonlySet<string>;
  /** the codes accepted after `dvcqg.`; default: DVCQG_METRIC_CODES */
  dvcqgMetricCodes?: ReadonlySet<string>;
}

type Path = (string | number)[];
type Issue = (path: Path, message: string) => void;

/** The kind an item declares, or the one implied by the older `manual: true`. */
export function resolveKind(item: Pick<SubCriterionInput, 'kind' | 'manual'>): ItemKind {
  return item.kind ?? (item.manual === true ? 'manual' : 'rule');
}

/**
 * The schema with the checks that cross fields: points add up per level, codes unique across the whole tree,
 * item kinds complete (rule, document, importKey), metrics known, band points within maxPoints. Its output is
 * the parsed catalogue, with `subCriteria` the flattened leaves.
 */
export function catalogueSchemaWith(options: CatalogueSchemaOptions = {}) {
  const known = options.metricCodes ?? METRIC_CODES;
  const dvcqg = options.dvcqgMetricCodes ?? DVCQG_METRIC_CODES;
  return catalogueSchema
    .superRefine((catalogue, ctx) => {
      const issue: Issue = (path, message) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
      if (catalogue.fields && catalogue.subCriteria) {
        issue(['subCriteria'], 'give either fields (the tree) or subCriteria (the flat format), not both');
        return;
      }
      if (!catalogue.fields && !catalogue.subCriteria) {
        issue(['fields'], 'fields is required (the tree field → criterion → sub-criterion; or subCriteria for the flat format)');
        return;
      }
      const seen = new Map<string, Path>();
      const unique = (code: string, path: Path) => {
        const first = seen.get(code);
        if (first !== undefined) issue([...path, 'code'], `duplicate code "${code}" (also ${formatPath(first)})`);
        else seen.set(code, path);
      };
      const checkLeaf = (item: SubCriterionInput, path: Path) => {
        unique(item.code, path);
        checkItem(item, path, issue, known, dvcqg);
      };
      if (catalogue.fields) {
        catalogue.fields.forEach((field, f) => {
          const fieldPath: Path = ['fields', f];
          unique(field.code, fieldPath);
          checkSum(fieldPath, 'field', field.maxPoints, 'criteria', field.criteria, issue);
          field.criteria.forEach((criterion, c) => {
            const criterionPath: Path = [...fieldPath, 'criteria', c];
            unique(criterion.code, criterionPath);
            checkSum(criterionPath, 'criterion', criterion.maxPoints, 'sub-criteria', criterion.subCriteria, issue);
            criterion.subCriteria.forEach((item, i) => checkLeaf(item, [...criterionPath, 'subCriteria', i]));
          });
        });
        if (catalogue.maxPoints !== undefined) checkSum([], 'catalogue', catalogue.maxPoints, 'fields', catalogue.fields, issue);
      } else if (catalogue.subCriteria) {
        catalogue.subCriteria.forEach((item, i) => checkLeaf(item, ['subCriteria', i]));
        if (catalogue.maxPoints !== undefined) checkSum([], 'catalogue', catalogue.maxPoints, 'sub-criteria', catalogue.subCriteria, issue);
      }
    })
    .transform(toCatalogue);
}

/** The children's maxPoints must add up to the parent's (within POINTS_TOLERANCE). */
function checkSum(
  path: Path,
  level: string,
  maxPoints: number,
  childrenName: string,
  children: readonly { code: string; maxPoints: number }[],
  issue: Issue,
): void {
  if (children.length === 0) return; // reported as "at least one … is needed"
  const sum = children.reduce((acc, child) => acc + child.maxPoints, 0);
  if (Math.abs(sum - maxPoints) <= POINTS_TOLERANCE) return;
  const parts = children.map((child) => `${child.code}: ${fmtNumber(child.maxPoints)}`).join(', ');
  issue(
    [...path, 'maxPoints'],
    `points do not add up: ${level} maxPoints is ${fmtNumber(maxPoints)} but its ${childrenName} add up to ${fmtNumber(sum)} (${parts})`,
  );
}

function checkItem(item: SubCriterionInput, path: Path, issue: Issue, known: ReadonlySet<string>, dvcqg: ReadonlySet<string>): void {
  const at = (...rest: Path) => [...path, ...rest];
  const kind = resolveKind(item);
  if (item.manual === true && kind !== 'manual') issue(at('manual'), `manual: true contradicts kind: ${kind}; remove one`);
  if (item.manual === false && kind === 'manual') issue(at('manual'), 'manual: false contradicts kind: manual; remove one');
  if (kind !== 'manual' && item.document !== undefined) issue(at('document'), `document is for manual items; a ${kind} item is scored from data`);
  if (kind !== 'imported' && item.importKey !== undefined) issue(at('importKey'), 'importKey is for imported items: set kind: imported');

  if (kind === 'manual') {
    if (item.rule) issue(at('rule'), 'a manual item has no rule: remove rule, or remove manual: true');
    if (item.metrics) issue(at('metrics'), 'a manual item reads no metrics: remove metrics');
    if (item.document === undefined) {
      issue(at('document'), 'a manual item needs document: the kind of document the province attaches (e.g. "yearly PAR plan")');
    }
    return;
  }
  if (kind === 'imported' && item.importKey === undefined) {
    issue(at('importKey'), 'an imported item needs importKey: the name of the imported value, read by its rule as metric imported.<importKey>');
  }
  if (!item.rule) {
    issue(
      at('rule'),
      kind === 'imported'
        ? `an imported item needs a rule over metric imported.${item.importKey ?? '<importKey>'}`
        : 'rule is required (or set manual: true for an item scored from a document)',
    );
    return;
  }
  for (const ref of ruleMetricRefs(item.rule)) {
    const problem = metricProblem(ref.metric, kind, item.importKey, known, dvcqg);
    if (problem) issue(at('rule', ...ref.path), problem);
  }
  if (item.fallback) {
    for (const ref of ruleMetricRefs(item.fallback.rule)) {
      const problem = metricProblem(ref.metric, 'rule', undefined, known, dvcqg);
      if (problem) issue(at('fallback', 'rule', ...ref.path), problem);
      else if (ref.metric.startsWith(DVCQG_METRIC_PREFIX)) issue(at('fallback', 'rule', ...ref.path), 'a one-stop-shop fallback reads evidence of this service, not dvcqg.* metrics');
    }
  }
  if (item.portal?.components && !item.portal.componentRule) issue(at('portal', 'componentRule'), 'components need a componentRule (how each component is recomputed)');
  if (item.portal?.components) {
    for (const c of item.portal.components) if (!dvcqg.has(c)) issue(at('portal', 'components'), `unknown published metric "${c}"`);
  }
  if (item.portal?.metric && !dvcqg.has(item.portal.metric)) issue(at('portal', 'metric'), `unknown published metric "${item.portal.metric}"`);
  if (item.rule.type === 'bands') {
    item.rule.bands.forEach((band, b) => {
      if (band.points > item.maxPoints) issue(at('rule', 'bands', b, 'points'), `band points ${band.points} exceed maxPoints ${item.maxPoints}`);
    });
  }
  if (item.metrics) {
    const used = ruleMetrics(item.rule);
    const declared = [...new Set(item.metrics)];
    const same = declared.length === used.length && declared.every((m) => used.includes(m));
    if (!same) issue(at('metrics'), `metrics [${item.metrics.join(', ')}] differ from those the rule reads [${used.join(', ')}]`);
  }
}

/** Why a metric may not be read by this item, or undefined. */
function metricProblem(
  metric: string,
  kind: ItemKind,
  key: string | undefined,
  known: ReadonlySet<string>,
  dvcqg: ReadonlySet<string>,
): string | undefined {
  if (kind === 'imported') {
    if (key === undefined) return undefined; // reported on importKey
    const expected = `${IMPORTED_METRIC_PREFIX}${key}`;
    return metric === expected ? undefined : `an imported item reads only its imported value ${expected}, not "${metric}"`;
  }
  if (metric.startsWith(IMPORTED_METRIC_PREFIX)) {
    return `metric "${metric}" is an imported value: make the item kind: imported with importKey: ${metric.slice(IMPORTED_METRIC_PREFIX.length)}`;
  }
  if (metric.startsWith(DVCQG_METRIC_PREFIX)) {
    const code = metric.slice(DVCQG_METRIC_PREFIX.length);
    return dvcqg.has(code) ? undefined : `unknown metric "${metric}"; known dvcqg metrics: ${[...dvcqg].sort().join(', ')}`;
  }
  // figures of sectoral systems, named by the operator in a declarative source (sector.<name>)
  if (SECTOR_METRIC.test(metric)) return undefined;
  return known.has(metric) ? undefined : `unknown metric "${metric}"; known metrics: ${[...known].sort().join(', ')} (or dvcqg.<CODE>, sector.<name>, imported.<key>)`;
}

function toLeaf(item: SubCriterionInput, parents: { field?: string; criterion?: string }): SubCriterion {
  const { kind: _kind, manual: _manual, ...rest } = item;
  const kind = resolveKind(item);
  const leaf: SubCriterion = { ...rest, kind, ...parents };
  if (kind === 'manual') leaf.manual = true;
  return leaf;
}

function toCatalogue(input: CatalogueInput): ScoringCatalogue {
  const { fields, subCriteria, ...head } = input;
  if (fields) {
    const tree: FieldNode[] = fields.map((field) => ({
      ...field,
      criteria: field.criteria.map((criterion) => ({
        ...criterion,
        subCriteria: criterion.subCriteria.map((item) => toLeaf(item, { field: field.code, criterion: criterion.code })),
      })),
    }));
    return { ...head, fields: tree, subCriteria: tree.flatMap((f) => f.criteria.flatMap((c) => c.subCriteria)) };
  }
  return { ...head, subCriteria: (subCriteria ?? []).map((item) => toLeaf(item, {})) };
}

export function isManual(item: SubCriterion): boolean {
  return item.kind === 'manual';
}
