/**
 * Fault injection for the one-stop-shop simulator: a scripted queue applied to the next matching request(s),
 * plus random rates driven by a seeded PRNG (no Math.random), and counters.
 */
import { hashString, mulberry32 } from './prng';

export type FaultSpec =
  | { kind: '429'; retryAfterSeconds?: number }
  | { kind: '503-http' }
  | { kind: '503-envelope' }
  | { kind: '500-envelope-data-incorrect' }
  | { kind: '400' }
  | { kind: 'slow'; ms: number }
  | { kind: 'token-expiry' }
  | { kind: 'page-shift'; count: number };

export type FaultKind = FaultSpec['kind'];

/** A scripted fault: applied to the next request whose path contains `path` (default: any data request). */
export type ScriptedFault = FaultSpec & {
  /** substring of the request path (e.g. '/hoso', '/oauth2/token'); default: any `/motcua/` request */
  path?: string;
  /** how many matching requests it applies to (default 1) */
  times?: number;
};

export interface FaultRates {
  /** probability per data request of an HTTP 429 */
  rate429?: number;
  /** probability per data request of a 503 (half HTTP 503, half envelope error_code "503") */
  rate503?: number;
  /** probability per data request of a slow answer */
  rateSlow?: number;
  slowMs?: number;
  retryAfterSeconds?: number;
}

export interface FaultCounters {
  requests: number;
  faultsApplied: number;
  byKind: Partial<Record<FaultKind, number>>;
  tokensIssued: number;
}

export const FAULT_KINDS: readonly FaultKind[] = ['429', '503-http', '503-envelope', '500-envelope-data-incorrect', '400', 'slow', 'token-expiry', 'page-shift'];

const DEFAULT_RATES: Required<FaultRates> = { rate429: 0, rate503: 0, rateSlow: 0, slowMs: 1500, retryAfterSeconds: 1 };

/** Checks and normalises one scripted fault (from code or from the control endpoint). */
export function parseScriptedFault(value: unknown): ScriptedFault {
  if (!value || typeof value !== 'object') throw new Error('a fault must be an object');
  const v = value as Record<string, unknown>;
  const kind = v.kind;
  if (typeof kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`unknown fault kind ${JSON.stringify(kind)}; expected one of ${FAULT_KINDS.join(', ')}`);
  }
  const extra: { path?: string; times?: number } = {};
  if (v.path !== undefined) {
    if (typeof v.path !== 'string') throw new Error('fault.path must be a string');
    extra.path = v.path;
  }
  if (v.times !== undefined) {
    if (typeof v.times !== 'number' || !Number.isInteger(v.times) || v.times < 1) throw new Error('fault.times must be a whole number ≥ 1');
    extra.times = v.times;
  }
  const nonNegative = (name: string): number => {
    const n = v[name];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new Error(`fault.${name} must be a number ≥ 0`);
    return n;
  };
  switch (kind as FaultKind) {
    case '429':
      return v.retryAfterSeconds === undefined ? { kind: '429', ...extra } : { kind: '429', retryAfterSeconds: nonNegative('retryAfterSeconds'), ...extra };
    case 'slow':
      return { kind: 'slow', ms: nonNegative('ms'), ...extra };
    case 'page-shift':
      return { kind: 'page-shift', count: Math.floor(nonNegative('count')), ...extra };
    default:
      return { kind: kind as Exclude<FaultKind, '429' | 'slow' | 'page-shift'>, ...extra };
  }
}

export function parseFaultRates(value: unknown): FaultRates {
  if (!value || typeof value !== 'object') throw new Error('rates must be an object');
  const v = value as Record<string, unknown>;
  const out: FaultRates = {};
  for (const key of ['rate429', 'rate503', 'rateSlow'] as const) {
    if (v[key] === undefined) continue;
    const n = v[key];
    if (typeof n !== 'number' || !(n >= 0 && n <= 1)) throw new Error(`rates.${key} must be within 0..1`);
    out[key] = n;
  }
  for (const key of ['slowMs', 'retryAfterSeconds'] as const) {
    if (v[key] === undefined) continue;
    const n = v[key];
    if (typeof n !== 'number' || !(n >= 0)) throw new Error(`rates.${key} must be a number ≥ 0`);
    out[key] = n;
  }
  return out;
}

function isDataPath(path: string): boolean {
  return path.startsWith('/motcua/');
}

/** A fault only makes sense on some requests: page-shift on the dossier listing, token-expiry on data calls. */
function applicable(fault: ScriptedFault, path: string): boolean {
  if (fault.path !== undefined ? !path.includes(fault.path) : !isDataPath(path)) return false;
  if (fault.kind === 'page-shift') return path.includes('/hoso');
  if (fault.kind === 'token-expiry') return isDataPath(path);
  return true;
}

export class FaultInjector {
  private queue: Array<ScriptedFault & { remaining: number }> = [];
  private rates: Required<FaultRates> = { ...DEFAULT_RATES };
  private random: () => number;
  private readonly counters: FaultCounters = { requests: 0, faultsApplied: 0, byKind: {}, tokensIssued: 0 };

  constructor(private readonly seed: number | string = 0) {
    this.random = mulberry32(hashString(`faults:${seed}`));
  }

  /** Queues scripted faults, applied in order to the next matching requests. */
  push(...faults: ScriptedFault[]): this {
    for (const f of faults) {
      const parsed = parseScriptedFault(f);
      this.queue.push({ ...parsed, remaining: parsed.times ?? 1 });
    }
    return this;
  }

  setRates(rates: FaultRates): this {
    this.rates = { ...this.rates, ...parseFaultRates(rates) };
    return this;
  }

  /** Drops the queue and the rates, restarts the random stream; counters are kept unless asked. */
  reset(options: { counters?: boolean } = {}): this {
    this.queue = [];
    this.rates = { ...DEFAULT_RATES };
    this.random = mulberry32(hashString(`faults:${this.seed}`));
    if (options.counters) {
      this.counters.requests = 0;
      this.counters.faultsApplied = 0;
      this.counters.byKind = {};
      this.counters.tokensIssued = 0;
    }
    return this;
  }

  pending(): ScriptedFault[] {
    return this.queue.map(({ remaining, ...f }) => ({ ...f, times: remaining }));
  }

  currentRates(): FaultRates {
    return { ...this.rates };
  }

  /**
   * The fault to apply to one request (the first matching scripted fault, else maybe a random one), or null.
   * Counts the request. The caller applies it and reports it with `applied`.
   */
  next(path: string): FaultSpec | null {
    this.counters.requests++;
    const index = this.queue.findIndex((f) => applicable(f, path));
    if (index >= 0) {
      const entry = this.queue[index];
      entry.remaining--;
      if (entry.remaining <= 0) this.queue.splice(index, 1);
      const { remaining: _remaining, path: _path, times: _times, ...spec } = entry;
      return spec as FaultSpec;
    }
    if (!isDataPath(path)) return null;
    const { rate429, rate503, rateSlow } = this.rates;
    if (rate429 === 0 && rate503 === 0 && rateSlow === 0) return null;
    const u = this.random();
    if (u < rate429) return { kind: '429', retryAfterSeconds: this.rates.retryAfterSeconds };
    if (u < rate429 + rate503) return this.random() < 0.5 ? { kind: '503-http' } : { kind: '503-envelope' };
    if (u < rate429 + rate503 + rateSlow) return { kind: 'slow', ms: this.rates.slowMs };
    return null;
  }

  applied(kind: FaultKind): void {
    this.counters.faultsApplied++;
    this.counters.byKind[kind] = (this.counters.byKind[kind] ?? 0) + 1;
  }

  tokenIssued(): void {
    this.counters.tokensIssued++;
  }

  stats(): FaultCounters {
    return { ...this.counters, byKind: { ...this.counters.byKind } };
  }
}
