export interface OneStopShopOptions {
  /** dossiers per page (the contract allows at most 1000) */
  pageSize: number;
  /** procedures per catalogue page */
  procedurePageSize: number;
  /** fetch the procedures catalogue at the start of each run */
  fetchProcedures: boolean;
}

export const ONE_STOP_SHOP_DEFAULTS: OneStopShopOptions = { pageSize: 1000, procedurePageSize: 500, fetchProcedures: true };

/** Reads kind-specific options; returns the problems, each naming its field. */
export function readOneStopShopOptions(raw: Record<string, unknown>): { options: OneStopShopOptions; errors: string[] } {
  const errors: string[] = [];
  const options = { ...ONE_STOP_SHOP_DEFAULTS };
  const int = (name: 'pageSize' | 'procedurePageSize', max: number) => {
    if (raw[name] === undefined) return;
    const v = raw[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) errors.push(`options.${name} must be a whole number from 1 to ${max}`);
    else options[name] = v;
  };
  int('pageSize', 1000);
  int('procedurePageSize', 1000);
  if (raw.fetchProcedures !== undefined) {
    if (typeof raw.fetchProcedures !== 'boolean') errors.push('options.fetchProcedures must be true or false');
    else options.fetchProcedures = raw.fetchProcedures;
  }
  return { options, errors };
}
