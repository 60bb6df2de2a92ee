import { scoreBands } from './bands.rule';
import { scoreBoolean } from './boolean.rule';
import { scoreCapped } from './capped.rule';
import { scoreLinear } from './linear.rule';
import { describeRatio, RatioReading, readRatio } from './rule-input.util';
import { fmt, roundPoints } from './rule-math.util';
import { ruleMetrics, ScoringRule, SingleMetricRule } from './rule.schema';
import { RuleInputs, RuleOutcome, RuleScore } from './rule.types';
import { scoreAllOrNothing, scoreThreshold } from './threshold.rule';
import { scoreWeightedSum } from './weighted-sum.rule';

/**
 * Evaluates a parsed rule against the evidence, for a sub-criterion worth `maxPoints` (a rule never carries its
 * own maximum: the sub-criterion owning it does).
 *
 * Missing is not zero: no evidence, invalid evidence, or a zero/null denominator under the default policy
 * gives status `no_data` with points null. Only an explicit `zeroDenominator: full | zero` turns "nothing to
 * count" into points. Points are clamped to [0, maxPoints] and rounded to 4 decimals.
 */
export function evaluateRule(rule: ScoringRule, inputs: RuleInputs, maxPoints: number): RuleOutcome {
  if (typeof maxPoints !== 'number' || !Number.isFinite(maxPoints) || maxPoints <= 0) {
    throw new RangeError(`maxPoints must be a finite number greater than 0, got ${String(maxPoints)}`);
  }
  const usedMetrics = ruleMetrics(rule);
  if (rule.type === 'weighted_sum') {
    const result = scoreWeightedSum(rule, maxPoints, inputs);
    if (result.kind === 'no_data') return noData(usedMetrics, `no data: ${result.reasons.join('; ')}`);
    return { status: 'scored', points: finalPoints(result.points, maxPoints), value: null, usedMetrics, explanation: result.explanation, terms: result.terms };
  }
  return evaluateSingleMetric(rule, inputs, maxPoints, usedMetrics);
}

function evaluateSingleMetric(rule: SingleMetricRule, inputs: RuleInputs, maxPoints: number, usedMetrics: string[]): RuleOutcome {
  const reading: RatioReading = readRatio(inputs, rule.metric);
  switch (reading.kind) {
    case 'missing':
      return noData(usedMetrics, `no data: no evidence for ${rule.metric}`);
    case 'invalid':
      return noData(usedMetrics, `no data: invalid evidence for ${rule.metric} (${reading.reason})`);
    case 'zero_denominator': {
      const policy = rule.zeroDenominator ?? 'no_data';
      if (policy === 'no_data') return noData(usedMetrics, `no data: nothing to count for ${rule.metric} (zero denominator)`);
      const points = policy === 'full' ? maxPoints : 0;
      return {
        status: 'scored',
        points: finalPoints(points, maxPoints),
        value: null,
        usedMetrics,
        explanation: `${rule.metric}: nothing to count (zero denominator), policy ${policy} → ${fmt(points)}`,
      };
    }
    case 'ratio': {
      const score = scoreSingle(rule, maxPoints, reading.ratio);
      return {
        status: 'scored',
        points: finalPoints(score.points, maxPoints),
        value: reading.ratio,
        usedMetrics,
        explanation: `${rule.metric} = ${describeRatio(reading)}; ${score.explanation}`,
      };
    }
  }
}

function scoreSingle(rule: SingleMetricRule, maxPoints: number, ratio: number): RuleScore {
  switch (rule.type) {
    case 'linear':
      return scoreLinear(rule, maxPoints, ratio);
    case 'threshold':
      return scoreThreshold(rule, maxPoints, ratio);
    case 'all_or_nothing':
      return scoreAllOrNothing(rule, maxPoints, ratio);
    case 'capped':
      return scoreCapped(rule, maxPoints, ratio);
    case 'boolean':
      return scoreBoolean(rule, maxPoints, ratio);
    case 'bands': {
      const score = scoreBands(rule, maxPoints, ratio);
      if (!score) throw new Error(`bands rule on ${rule.metric}: no band holds ratio ${ratio} (rule was not validated)`);
      return score;
    }
    default: {
      const unknown: never = rule;
      throw new Error(`unknown rule type ${JSON.stringify((unknown as { type?: unknown }).type)}`);
    }
  }
}

function finalPoints(points: number, maxPoints: number): number {
  return roundPoints(Math.min(maxPoints, Math.max(0, points)));
}

function noData(usedMetrics: string[], explanation: string): RuleOutcome {
  return { status: 'no_data', points: null, value: null, usedMetrics, explanation };
}
