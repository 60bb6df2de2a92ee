/** `['subCriteria', 2, 'rule', 'metric']` → `subCriteria[2].rule.metric` */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

/** A number for a message: up to 9 decimals, so float noise (0.30000000000000004) does not show. */
export function fmtNumber(value: number): string {
  return String(Math.round(value * 1e9) / 1e9);
}
