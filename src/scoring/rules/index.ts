export * from './rule.types';
export * from './rule.schema';
export * from './rule-math.util';
export * from './rule-input.util';
export { evaluateRule } from './evaluate-rule';
export { findBand, describeBand } from './bands.rule';
