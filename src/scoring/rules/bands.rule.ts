import { fmt } from './rule-math.util';
import { Band, BandsRule } from './rule.schema';
import { RuleScore } from './rule.types';

/** The band holding the ratio: min inclusive, max exclusive; the last band may be open (no max). */
export function findBand(bands: readonly Band[], ratio: number): Band | undefined {
  return bands.find((band) => ratio >= band.min && (band.max === undefined || ratio < band.max));
}

/**
 * The points of the band holding the ratio, never more than the sub-criterion's max. Returns undefined when no
 * band holds it (only possible for a rule that skipped schema validation).
 */
export function scoreBands(rule: BandsRule, maxPoints: number, ratio: number): RuleScore | undefined {
  const band = findBand(rule.bands, ratio);
  if (!band) return undefined;
  const points = Math.min(maxPoints, band.points);
  return { points, explanation: `band ${describeBand(band)} → ${fmt(points)}` };
}

export function describeBand(band: Band): string {
  return band.max === undefined ? `[${fmt(band.min)}, open)` : `[${fmt(band.min)}, ${fmt(band.max)})`;
}
