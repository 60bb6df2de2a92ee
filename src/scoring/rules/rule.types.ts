/** One metric's evidence: a ratio numerator / denominator. A null or 0 denominator means nothing to count. */
export interface RuleInput {
  numerator: number | null;
  denominator: number | null;
}

/** Evidence by metric code; a metric that is absent (undefined) has no evidence at all. */
export type RuleInputs = Readonly<Record<string, RuleInput | undefined>>;

export type RuleStatus = 'scored' | 'no_data';

/** One term of a weighted_sum rule, as evaluated. */
export interface TermOutcome {
  name: string;
  metric: string;
  /** the ratio used (clamped to [0, 1]); null when the zero-denominator policy decided */
  ratio: number | null;
  points: number;
}

export interface RuleOutcome {
  status: RuleStatus;
  /** rounded to 4 decimals; null when status is no_data */
  points: number | null;
  /** the ratio used (clamped to [0, 1]), or null (no data, zero-denominator policy, weighted_sum) */
  value: number | null;
  usedMetrics: string[];
  explanation: string;
  /** weighted_sum only: each term's part */
  terms?: TermOutcome[];
}

/** What a rule type's scoring function returns for one ratio. */
export interface RuleScore {
  points: number;
  explanation: string;
}
