export interface VnpostBcciOptions {
  /** months before the window's end whose listings are checked again for new or corrected files */
  lookbackMonths: number;
  /** good rows written per statement while a file streams in */
  batchRows: number;
}

export const VNPOST_BCCI_DEFAULTS: VnpostBcciOptions = { lookbackMonths: 3, batchRows: 2000 };

export function readVnpostBcciOptions(raw: Record<string, unknown>): { options: VnpostBcciOptions; errors: string[] } {
  const errors: string[] = [];
  const options = { ...VNPOST_BCCI_DEFAULTS };
  const int = (name: keyof VnpostBcciOptions, min: number, max: number) => {
    if (raw[name] === undefined) return;
    const v = raw[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) errors.push(`options.${name} must be a whole number from ${min} to ${max}`);
    else options[name] = v;
  };
  int('lookbackMonths', 0, 36);
  int('batchRows', 100, 50000);
  return { options, errors };
}
