import { clampRatio, fmt } from './rule-math.util';
import { RuleInput, RuleInputs } from './rule.types';

/** The result of reading one metric's evidence as a ratio. */
export type RatioReading =
  | { kind: 'missing'; metric: string }
  | { kind: 'invalid'; metric: string; reason: string }
  | { kind: 'zero_denominator'; metric: string }
  | { kind: 'ratio'; metric: string; ratio: number; raw: number; numerator: number; denominator: number };

/**
 * Reads a metric as a ratio clamped to [0, 1]. No evidence → missing; a null or 0 denominator → zero
 * denominator (the rule's policy decides); a null numerator over a positive denominator, a negative or a
 * non-finite number → invalid (treated as no data).
 */
export function readRatio(inputs: RuleInputs, metric: string): RatioReading {
  const input = Object.prototype.hasOwnProperty.call(inputs, metric) ? inputs[metric] : undefined;
  if (input === undefined || input === null) return { kind: 'missing', metric };
  const problem = inputProblem(input);
  if (problem) return { kind: 'invalid', metric, reason: problem };
  if (input.denominator === null || input.denominator === 0) return { kind: 'zero_denominator', metric };
  if (input.numerator === null) return { kind: 'invalid', metric, reason: `numerator missing over denominator ${input.denominator}` };
  const raw = input.numerator / input.denominator;
  return { kind: 'ratio', metric, ratio: clampRatio(raw), raw, numerator: input.numerator, denominator: input.denominator };
}

function inputProblem(input: RuleInput): string | undefined {
  for (const [part, value] of [['numerator', input.numerator], ['denominator', input.denominator]] as const) {
    if (value === null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) return `${part} is not a finite number`;
    if (value < 0) return `${part} ${value} is negative`;
  }
  return undefined;
}

/** "0.95 (95/100)", or "1 (120/100, clamped from 1.2)" when the raw ratio was outside [0, 1]. */
export function describeRatio(reading: Extract<RatioReading, { kind: 'ratio' }>): string {
  const fraction = `${reading.numerator}/${reading.denominator}`;
  if (reading.raw === reading.ratio) return `${fmt(reading.ratio)} (${fraction})`;
  return `${fmt(reading.ratio)} (${fraction}, clamped from ${fmt(reading.raw)})`;
}
