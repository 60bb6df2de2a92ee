import { fmt } from './rule-math.util';
import { BooleanRule } from './rule.schema';
import { RuleScore } from './rule.types';

/**
 * A yes/no metric, given as evidence 1/1 (yes) or 0/1 (no): a value ≥ 1 → max, anything less → 0. Because
 * the value is a ratio like every other metric, a count metric (k/n) reads "yes" only when all n are counted.
 */
export function scoreBoolean(_rule: BooleanRule, maxPoints: number, ratio: number): RuleScore {
  const yes = ratio >= 1;
  return { points: yes ? maxPoints : 0, explanation: `boolean: ${yes ? 'yes' : 'no'} → ${fmt(yes ? maxPoints : 0)}` };
}
