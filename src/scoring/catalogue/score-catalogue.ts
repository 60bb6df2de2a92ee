import { evaluateRule } from '../rules/evaluate-rule';
import { roundPoints } from '../rules/rule-math.util';
import { RuleInputs, TermOutcome } from '../rules/rule.types';
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
    const outcome = evaluateRule(item.rule, inputs, item.maxPoints);
    const score: SubCriterionScore = {
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
