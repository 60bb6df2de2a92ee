/** Decimal places kept in points. The DVCQG portal shows 2; 4 keeps sums exact enough and hides float noise. */
export const POINTS_DECIMALS = 4;

/**
 * Rounds half away from zero to POINTS_DECIMALS places, on the decimal representation (so 1.00005 → 1.0001,
 * which `Math.round(x * 1e4) / 1e4` gets wrong). Never returns -0.
 */
export function roundPoints(value: number): number {
  return roundTo(value, POINTS_DECIMALS);
}

export function roundTo(value: number, decimals: number): number {
  const abs = Math.abs(value);
  const text = String(abs);
  const shifted = text.includes('e') ? abs * 10 ** decimals : Number(`${text}e${decimals}`);
  const rounded = (Math.sign(value) * Math.round(shifted)) / 10 ** decimals;
  return rounded === 0 ? 0 : rounded;
}

export function clampRatio(ratio: number): number {
  return Math.min(1, Math.max(0, ratio));
}

/** A short, stable rendering of a number for explanations (at most 4 decimals). */
export function fmt(value: number): string {
  return String(roundTo(value, POINTS_DECIMALS));
}
