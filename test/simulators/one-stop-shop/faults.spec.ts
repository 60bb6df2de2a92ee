import { FaultInjector, parseScriptedFault } from './faults';

describe('fault injector', () => {
  it('applies scripted faults in order, once each, to data requests by default', () => {
    const f = new FaultInjector(1).push({ kind: '429', retryAfterSeconds: 2 }, { kind: '503-envelope' });
    expect(f.next('/oauth2/token')).toBeNull();
    expect(f.next('/motcua/v1/thutuc')).toEqual({ kind: '429', retryAfterSeconds: 2 });
    expect(f.next('/motcua/v1/hoso')).toEqual({ kind: '503-envelope' });
    expect(f.next('/motcua/v1/hoso')).toBeNull();
    expect(f.stats().requests).toBe(4);
  });

  it('targets by path substring and repeats `times` times', () => {
    const f = new FaultInjector(1).push({ kind: '503-http', path: '/oauth2/token', times: 2 }, { kind: 'page-shift', count: 3 });
    // page-shift only fits the dossier listing: the catalogue request passes it by
    expect(f.next('/motcua/v1/thutuc')).toBeNull();
    expect(f.next('/oauth2/token')).toEqual({ kind: '503-http' });
    expect(f.next('/motcua/v1/hoso')).toEqual({ kind: 'page-shift', count: 3 });
    expect(f.pending()).toEqual([{ kind: '503-http', path: '/oauth2/token', times: 1 }]);
    expect(f.next('/oauth2/token')).toEqual({ kind: '503-http' });
    expect(f.pending()).toEqual([]);
  });

  it('draws random faults from a seeded stream: the same seed, the same faults', () => {
    const run = () => {
      const f = new FaultInjector('s').setRates({ rate429: 0.1, rate503: 0.1, rateSlow: 0.1, slowMs: 5 });
      return Array.from({ length: 300 }, () => f.next('/motcua/v1/hoso')?.kind ?? '-').join(',');
    };
    const a = run();
    expect(run()).toEqual(a);
    for (const kind of ['429', '503-http', '503-envelope', 'slow']) expect(a.split(',')).toContain(kind);
    expect(a.split(',').filter((k) => k === '-').length).toBeGreaterThan(150);
  });

  it('counts what was applied and resets', () => {
    const f = new FaultInjector();
    f.applied('429');
    f.applied('429');
    f.applied('slow');
    f.tokenIssued();
    expect(f.stats()).toMatchObject({ faultsApplied: 3, byKind: { '429': 2, slow: 1 }, tokensIssued: 1 });
    f.push({ kind: '400' }).setRates({ rate429: 1 });
    f.reset();
    expect(f.pending()).toEqual([]);
    expect(f.next('/motcua/v1/hoso')).toBeNull();
    expect(f.stats().faultsApplied).toBe(3);
    f.reset({ counters: true });
    expect(f.stats()).toEqual({ requests: 0, faultsApplied: 0, byKind: {}, tokensIssued: 0 });
  });

  it('rejects malformed fault descriptions', () => {
    expect(() => parseScriptedFault({ kind: 'boom' })).toThrow(/unknown fault kind/);
    expect(() => parseScriptedFault({ kind: 'slow' })).toThrow(/ms/);
    expect(() => parseScriptedFault({ kind: 'page-shift', count: -1 })).toThrow(/count/);
    expect(() => new FaultInjector().setRates({ rate429: 2 })).toThrow(/rate429/);
  });
});
