import { evaluateRule } from '../rules/evaluate-rule';
import { roundPoints } from '../rules/rule-math.util';
import { RuleInputs, RuleOutcome, TermOutcome } from '../rules/rule.types';
import { ruleDigest } from './catalogue-digest';
import { ItemKind, ScoringCatalogue } from './catalogue.schema';

export type SubCriterionStatus = 'scored' | 'no_data' | 'manual';

export interface SubCriterionScore {
  subCriterion: string;
  title: string;
  /** rule, manual or imported (as declared in the catalogue) */
  kind: ItemKind;
  /** the field and criterion codes (tree catalogues) */
  field?: string;
  criterion?: string;
  /** manual items: the kind of document the province attaches */
  document?: string;
  /** scored: points computed; no_data: automatic but no evidence to score it; manual: needs a document */
  status: SubCriterionStatus;
  /** null unless scored */
  points: number | null;
  maxPoints: number;
  /** the ratio used, or null (no data, manual, weighted_sum, zero-denominator policy) */
  value: number | null;
  /** sha256 of the rule and maxPoints (see ruleDigest): which rule version produced the score */
  ruleDigest: string;
  usedMetrics: string[];
  explanation: string;
  /** weighted_sum only */
  terms?: TermOutcome[];
  /**
   * where the value came from: `dvcqg` (the portal's numerators and denominators, recomputed), `dvcqg-published`
   * (the portal's published score, taken as is), `one-stop-shop` (this service's dossier evidence), `import`, or
   * `document` (manual)
   */
  sourceUsed?: ScoreSource;
}

export type ScoreSource = 'dvcqg' | 'dvcqg-published' | 'one-stop-shop' | 'sector' | 'import' | 'document';

/** The source a metric code belongs to. */
export function sourceOfMetric(metric: string): ScoreSource {
  if (metric.startsWith('dvcqg.')) return 'dvcqg';
  if (metric.startsWith('imported.')) return 'import';
  if (metric.startsWith('sector.')) return 'sector';
  return 'one-stop-shop';
}

/**
 * An item bound to a published portal score (`portal.published`): the published score itself (the rule's metric
 * numerator), at most the item's maxPoints; no evidence → no data.
 */
function publishedOutcome(metric: string, inputs: RuleInputs, maxPoints: number): RuleOutcome {
  const input = Object.prototype.hasOwnProperty.call(inputs, metric) ? inputs[metric] : undefined;
  if (!input || input.numerator === null || !Number.isFinite(input.numerator)) {
    return { status: 'no_data' as const, points: null, value: null, usedMetrics: [metric], explanation: `no data: the portal published no score (${metric})` };
  }
  const points = roundPoints(Math.min(maxPoints, Math.max(0, input.numerator)));
  return { status: 'scored' as const, points, value: null, usedMetrics: [metric], explanation: `the portal's published score ${input.numerator} of ${input.denominator ?? '?'} (formula not public), taken as is` };
}

/** Scores every sub-criterion of a catalogue, in catalogue order. Pure: no I/O, no clock. */
export function scoreCatalogue(catalogue: ScoringCatalogue, inputs: RuleInputs): SubCriterionScore[] {
  return catalogue.subCriteria.map((item): SubCriterionScore => {
    const base = {
      subCriterion: item.code,
      title: item.title,
      kind: item.kind,
      ...(item.field !== undefined ? { field: item.field } : {}),
      ...(item.criterion !== undefined ? { criterion: item.criterion } : {}),
      maxPoints: item.maxPoints,
      ruleDigest: ruleDigest(item),
    };
    if (item.kind === 'manual' || !item.rule) {
      const document = item.document ? ` (${item.document})` : '';
      const note = item.note ? `: ${item.note}` : '';
      return {
        ...base,
        ...(item.document !== undefined ? { document: item.document } : {}),
        status: 'manual',
        points: null,
        value: null,
        usedMetrics: [],
        explanation: `still manual, a document must be attached${document}${note}`,
      };
    }
    let outcome: RuleOutcome = item.portal?.published && item.rule.type !== 'weighted_sum' ? publishedOutcome(item.rule.metric, inputs, item.maxPoints) : evaluateRule(item.rule, inputs, item.maxPoints);
    let sourceUsed: ScoreSource = item.portal?.published ? 'dvcqg-published' : item.kind === 'imported' ? 'import' : sourceOfMetric(outcome.usedMetrics[0] ?? '');
    // the declared second source, only when the first has no evidence at all (not when it says "nothing to count")
    if (item.fallback && outcome.status === 'no_data' && outcome.usedMetrics.every((m) => inputs[m] === undefined)) {
      const second = evaluateRule(item.fallback.rule, inputs, item.maxPoints);
      if (second.status === 'scored') {
        outcome = second;
        sourceUsed = item.fallback.source;
      }
    }
    const score: SubCriterionScore = {
      sourceUsed,
      ...base,
      status: outcome.status,
      points: outcome.points,
      value: outcome.value,
      usedMetrics: outcome.usedMetrics,
      explanation: outcome.explanation,
    };
    if (outcome.terms) score.terms = outcome.terms;
    return score;
  });
}
