import { describeRatio, readRatio } from './rule-input.util';
import { fmt, roundPoints } from './rule-math.util';
import { termMaxPoints, WeightedSumRule, WeightedTerm } from './rule.schema';
import { RuleInputs, TermOutcome } from './rule.types';

/** One term read: its outcome, or why it has no data. */
type TermReading = { kind: 'scored'; term: TermOutcome; explanation: string } | { kind: 'no_data'; reason: string };

export type WeightedSumResult =
  | { kind: 'scored'; points: number; terms: TermOutcome[]; explanation: string }
  | { kind: 'no_data'; reasons: string[] };

/**
 * points = min(max, Σ termᵢ), termᵢ = min(capᵢ ?? weightᵢ, weightᵢ × ratioᵢ) (Decision 766 online payment:
 * 6·A + min(2, 2.5·B) + 2.5·C, at most 10).
 *
 * A term whose metric has no evidence, or invalid evidence, makes the whole rule no data: a sum with a hole
 * in it is not a score. A term with a zero denominator follows the rule's policy: `no_data` (default) makes the
 * whole rule no data, `zero` counts the term 0, `full` counts it at its most (cap or weight).
 */
export function scoreWeightedSum(rule: WeightedSumRule, maxPoints: number, inputs: RuleInputs): WeightedSumResult {
  const readings = rule.terms.map((term) => readTerm(rule, term, inputs));
  const reasons = readings.flatMap((r) => (r.kind === 'no_data' ? [r.reason] : []));
  if (reasons.length > 0) return { kind: 'no_data', reasons };
  const scored = readings as Extract<TermReading, { kind: 'scored' }>[];
  const sum = roundPoints(scored.reduce((acc, r) => acc + r.term.points, 0));
  const points = Math.min(maxPoints, sum);
  const capped = sum > maxPoints ? `, capped at max ${fmt(maxPoints)}` : '';
  return {
    kind: 'scored',
    points,
    terms: scored.map((r) => r.term),
    explanation: `weighted_sum: ${scored.map((r) => r.explanation).join('; ')}; sum ${fmt(sum)}${capped} → ${fmt(points)}`,
  };
}

function readTerm(rule: WeightedSumRule, term: WeightedTerm, inputs: RuleInputs): TermReading {
  const reading = readRatio(inputs, term.metric);
  const label = `${term.name} (${term.metric})`;
  switch (reading.kind) {
    case 'missing':
      return { kind: 'no_data', reason: `${label}: no evidence` };
    case 'invalid':
      return { kind: 'no_data', reason: `${label}: invalid evidence (${reading.reason})` };
    case 'zero_denominator': {
      const policy = rule.zeroDenominator ?? 'no_data';
      if (policy === 'no_data') return { kind: 'no_data', reason: `${label}: nothing to count (zero denominator)` };
      const points = policy === 'full' ? termMaxPoints(term) : 0;
      return {
        kind: 'scored',
        term: { name: term.name, metric: term.metric, ratio: null, points },
        explanation: `${label}: nothing to count, policy ${policy} → ${fmt(points)}`,
      };
    }
    case 'ratio': {
      const uncapped = term.weight * reading.ratio;
      const points = roundPoints(Math.min(termMaxPoints(term), uncapped));
      const formula =
        term.cap === undefined
          ? `${fmt(term.weight)} × ${describeRatio(reading)}`
          : `min(${fmt(term.cap)}, ${fmt(term.weight)} × ${describeRatio(reading)})`;
      return {
        kind: 'scored',
        term: { name: term.name, metric: term.metric, ratio: reading.ratio, points },
        explanation: `${label}: ${formula} = ${fmt(points)}`,
      };
    }
  }
}
