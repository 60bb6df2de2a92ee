import { z } from 'zod';

/**
 * Scoring rules: how evidence ratios (numerator / denominator) become points. A rule is data (it lives in a
 * scoring catalogue) and never carries its own maximum: the sub-criterion that owns it gives `maxPoints`.
 */

/** What a zero (or null) denominator means: "no data" (default), full points, or zero points. */
export const ZERO_DENOMINATOR_POLICIES = ['no_data', 'full', 'zero'] as const;
export type ZeroDenominatorPolicy = (typeof ZERO_DENOMINATOR_POLICIES)[number];

export const RULE_TYPES = ['linear', 'threshold', 'bands', 'capped', 'weighted_sum', 'boolean', 'all_or_nothing'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

/**
 * A metric code: dot-separated words, the first (the namespace) lower-case. Later words may be upper-case so that
 * the portal's own metric codes can be used as they are published (`dvcqg.PUBLISH_ON_TIME`). Whether a code
 * exists is checked by the catalogue, not here.
 */
export const METRIC_CODE_PATTERN = /^[a-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

const metricCode = z
  .string()
  .trim()
  .min(1, { message: 'metric code must not be empty' })
  .regex(METRIC_CODE_PATTERN, { message: 'metric code must be dot-separated words, the first lower-case' });

const zeroDenominator = z.enum(ZERO_DENOMINATOR_POLICIES).default('no_data');

/** A fraction in (0, 1]: thresholds and capped divisors. */
const unitFraction = (what: string) =>
  z
    .number()
    .gt(0, { message: `${what} must be greater than 0` })
    .lte(1, { message: `${what} must be at most 1` });

const nonNegative = (what: string) => z.number().finite().gte(0, { message: `${what} must be 0 or more` });

export const linearRuleSchema = z
  .object({ type: z.literal('linear'), metric: metricCode, zeroDenominator })
  .strict();

/** Full at a threshold: ratio ≥ threshold → max points, below it → max × ratio / threshold. */
export const thresholdRuleSchema = z
  .object({ type: z.literal('threshold'), metric: metricCode, threshold: unitFraction('threshold'), zeroDenominator })
  .strict();

/** All or nothing: ratio ≥ threshold → max points, below it → 0. */
export const allOrNothingRuleSchema = z
  .object({ type: z.literal('all_or_nothing'), metric: metricCode, threshold: unitFraction('threshold'), zeroDenominator })
  .strict();

export const bandSchema = z
  .object({
    min: z.number().finite(),
    /** exclusive upper edge; only the last band may leave it out (open band) */
    max: z.number().finite().optional(),
    points: nonNegative('band points'),
  })
  .strict();
export type Band = z.output<typeof bandSchema>;

export const bandsRuleSchema = z
  .object({
    type: z.literal('bands'),
    metric: metricCode,
    bands: z.array(bandSchema).min(1, { message: 'at least one band is needed' }).superRefine(checkBandCoverage),
    zeroDenominator,
  })
  .strict();

export const cappedRuleSchema = z
  .object({ type: z.literal('capped'), metric: metricCode, divisor: unitFraction('divisor'), zeroDenominator })
  .strict();

export const weightedTermSchema = z
  .object({
    name: z.string().trim().min(1, { message: 'term name must not be empty' }),
    metric: metricCode,
    weight: z.number().finite().gt(0, { message: 'weight must be greater than 0' }),
    /** the most this term can add; no cap means weight × 1 */
    cap: z.number().finite().gt(0, { message: 'cap must be greater than 0' }).optional(),
  })
  .strict()
  .superRefine((term, ctx) => {
    if (term.cap !== undefined && term.cap > term.weight) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['cap'],
        message: `cap ${term.cap} is above weight ${term.weight}: a ratio is at most 1, so the term never reaches it`,
      });
    }
  });
export type WeightedTerm = z.output<typeof weightedTermSchema>;

export const weightedSumRuleSchema = z
  .object({
    type: z.literal('weighted_sum'),
    terms: z.array(weightedTermSchema).min(1, { message: 'at least one term is needed' }).superRefine(checkUniqueTermNames),
    /** applied to each term separately (Decision 766: a zero-denominator ratio counts 0 → use `zero`) */
    zeroDenominator,
  })
  .strict();

export const booleanRuleSchema = z
  .object({ type: z.literal('boolean'), metric: metricCode, zeroDenominator })
  .strict();

export const scoringRuleSchema = z.discriminatedUnion('type', [
  linearRuleSchema,
  thresholdRuleSchema,
  bandsRuleSchema,
  cappedRuleSchema,
  weightedSumRuleSchema,
  booleanRuleSchema,
  allOrNothingRuleSchema,
]);

export type LinearRule = z.output<typeof linearRuleSchema>;
export type ThresholdRule = z.output<typeof thresholdRuleSchema>;
export type AllOrNothingRule = z.output<typeof allOrNothingRuleSchema>;
export type BandsRule = z.output<typeof bandsRuleSchema>;
export type CappedRule = z.output<typeof cappedRuleSchema>;
export type WeightedSumRule = z.output<typeof weightedSumRuleSchema>;
export type BooleanRule = z.output<typeof booleanRuleSchema>;
/** A parsed rule (defaults applied). */
export type ScoringRule = z.output<typeof scoringRuleSchema>;
/** A rule as written in a catalogue (`zeroDenominator` optional). */
export type ScoringRuleInput = z.input<typeof scoringRuleSchema>;
export type SingleMetricRule = Exclude<ScoringRule, WeightedSumRule>;

/** Parses and validates a rule; throws a ZodError on a bad one. */
export function parseScoringRule(raw: unknown): ScoringRule {
  return scoringRuleSchema.parse(raw);
}

/** The metric codes a rule reads, each with its path inside the rule (for error messages). */
export function ruleMetricRefs(rule: ScoringRule): { path: (string | number)[]; metric: string }[] {
  if (rule.type === 'weighted_sum') {
    return rule.terms.map((term, i) => ({ path: ['terms', i, 'metric'], metric: term.metric }));
  }
  return [{ path: ['metric'], metric: rule.metric }];
}

/** The metric codes a rule reads, in order, without duplicates. */
export function ruleMetrics(rule: ScoringRule): string[] {
  return [...new Set(ruleMetricRefs(rule).map((ref) => ref.metric))];
}

/** The most points any band gives. */
export function highestBandPoints(bands: readonly Band[]): number {
  return Math.max(...bands.map((band) => band.points));
}

/** The most a weighted_sum term can add: its cap, or its weight (ratio 1). */
export function termMaxPoints(term: WeightedTerm): number {
  return term.cap ?? term.weight;
}

/**
 * Bands must start at 0, follow each other with no gap or overlap (each min = exactly the previous max, so
 * no ratio can fall between two bands) and cover
 * ratio 1: the last band is open (no max) or ends above 1. Only the last band may be open.
 */
function checkBandCoverage(bands: Band[], ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
  bands.forEach((band, i) => {
    const isLast = i === bands.length - 1;
    if (i === 0 && band.min !== 0) issue([0, 'min'], `the first band must start at 0, not ${band.min}`);
    if (band.max === undefined && !isLast) issue([i, 'max'], 'only the last band may be open (no max)');
    if (band.max !== undefined && band.max <= band.min) issue([i, 'max'], `max ${band.max} must be greater than min ${band.min}`);
    if (band.min > 1) issue([i, 'min'], `band starts at ${band.min}, above 1: a ratio never reaches it`);
    if (i > 0) checkJoin(bands[i - 1], band, i, issue);
    if (isLast && band.max !== undefined && band.max <= 1) {
      issue([i, 'max'], `the last band ends at ${band.max} (exclusive), so a ratio of 1 is not covered; leave max out`);
    }
  });
}

function checkJoin(
  previous: Band,
  band: Band,
  i: number,
  issue: (path: (string | number)[], message: string) => void,
): void {
  if (previous.max === undefined) return;
  if (band.min > previous.max) issue([i, 'min'], `gap: previous band ends at ${previous.max}, this one starts at ${band.min}`);
  if (band.min < previous.max) issue([i, 'min'], `overlap: previous band ends at ${previous.max}, this one starts at ${band.min}`);
}

function checkUniqueTermNames(terms: WeightedTerm[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  terms.forEach((term, i) => {
    if (seen.has(term.name)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: [i, 'name'], message: `duplicate term name "${term.name}"` });
    seen.add(term.name);
  });
}
