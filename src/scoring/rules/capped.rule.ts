import { fmt } from './rule-math.util';
import { CappedRule } from './rule.schema';
import { RuleScore } from './rule.types';

/** points = min(max, max × ratio / divisor): full points from ratio = divisor (Decision 766: 4.3 uses 0.8, 5.4 uses 0.9). */
export function scoreCapped(rule: CappedRule, maxPoints: number, ratio: number): RuleScore {
  const uncapped = (maxPoints * ratio) / rule.divisor;
  const points = Math.min(maxPoints, uncapped);
  return {
    points,
    explanation: `capped: min(${fmt(maxPoints)}, ${fmt(maxPoints)} × ${fmt(ratio)} / ${fmt(rule.divisor)}) = ${fmt(points)}`,
  };
}
