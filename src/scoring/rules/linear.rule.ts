import { fmt } from './rule-math.util';
import { LinearRule } from './rule.schema';
import { RuleScore } from './rule.types';

/** points = max × ratio (ratio already clamped to [0, 1]). */
export function scoreLinear(_rule: LinearRule, maxPoints: number, ratio: number): RuleScore {
  const points = maxPoints * ratio;
  return { points, explanation: `linear: ${fmt(maxPoints)} × ${fmt(ratio)} = ${fmt(points)}` };
}
