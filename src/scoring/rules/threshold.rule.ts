import { fmt } from './rule-math.util';
import { AllOrNothingRule, ThresholdRule } from './rule.schema';
import { RuleScore } from './rule.types';

/**
 * Full at a threshold: ratio ≥ threshold → max, below it → max × ratio / threshold (proportional up to the
 * threshold). The same curve as `capped` (min(max, max × ratio / divisor)); the two names follow how guidance
 * phrases it ("full points from t%" vs Decision 766's capped formula).
 */
export function scoreThreshold(rule: ThresholdRule, maxPoints: number, ratio: number): RuleScore {
  if (ratio >= rule.threshold) {
    return { points: maxPoints, explanation: `threshold ${fmt(rule.threshold)} reached → full ${fmt(maxPoints)}` };
  }
  const points = (maxPoints * ratio) / rule.threshold;
  return {
    points,
    explanation: `threshold ${fmt(rule.threshold)} not reached → ${fmt(maxPoints)} × ${fmt(ratio)} / ${fmt(rule.threshold)} = ${fmt(points)}`,
  };
}

/** All or nothing: ratio ≥ threshold → max, below it → 0. */
export function scoreAllOrNothing(rule: AllOrNothingRule, maxPoints: number, ratio: number): RuleScore {
  if (ratio >= rule.threshold) {
    return { points: maxPoints, explanation: `all or nothing: threshold ${fmt(rule.threshold)} reached → ${fmt(maxPoints)}` };
  }
  return { points: 0, explanation: `all or nothing: threshold ${fmt(rule.threshold)} not reached → 0` };
}
