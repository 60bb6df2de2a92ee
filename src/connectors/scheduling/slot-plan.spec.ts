import { planSlots } from './slot-plan';

describe('planSlots', () => {
  const base = {
    schedule: '0 * * * *',
    lagMs: 60_000,
    firstFrom: new Date('2025-01-01T00:00:00Z'),
    catchUp: 'run' as const,
    maxSlots: 100,
  };

  it('plans nothing before the first slot after the anchor', () => {
    expect(planSlots({ ...base, anchor: new Date('2026-01-01T00:10:00Z'), lastSlot: null, now: new Date('2026-01-01T00:50:00Z') })).toEqual([]);
  });

  it('starts the first window at firstFrom and tiles later windows slot to slot', () => {
    const plan = planSlots({ ...base, anchor: new Date('2026-01-01T00:10:00Z'), lastSlot: null, now: new Date('2026-01-01T03:00:00Z') });
    expect(plan.map((p) => p.slotAt.toISOString())).toEqual(['2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z', '2026-01-01T03:00:00.000Z']);
    expect(plan[0].from).toEqual(base.firstFrom);
    expect(plan[0].to.toISOString()).toBe('2026-01-01T00:59:00.000Z');
    expect(plan[1].from).toEqual(plan[0].to);
    expect(plan[2].from).toEqual(plan[1].to);
    expect(plan.every((p) => p.status === 'queued')).toBe(true);
  });

  it('continues from the last slot that ran', () => {
    const plan = planSlots({ ...base, anchor: new Date('2026-01-01T00:00:00Z'), lastSlot: new Date('2026-01-01T02:00:00Z'), now: new Date('2026-01-01T03:30:00Z') });
    expect(plan).toHaveLength(1);
    expect(plan[0].from.toISOString()).toBe('2026-01-01T01:59:00.000Z');
  });

  it('reports all but the newest slot as missed in report mode', () => {
    const plan = planSlots({ ...base, catchUp: 'report', anchor: new Date('2026-01-01T00:30:00Z'), lastSlot: null, now: new Date('2026-01-01T04:00:00Z') });
    expect(plan.map((p) => p.status)).toEqual(['missed', 'missed', 'missed', 'queued']);
  });

  it('keeps only the newest maxSlots, the first of them covering the gap so nothing is lost', () => {
    const plan = planSlots({ ...base, maxSlots: 2, anchor: new Date('2026-01-01T00:00:00Z'), lastSlot: new Date('2026-01-01T00:00:00Z'), now: new Date('2026-01-01T05:00:00Z') });
    expect(plan.map((p) => p.slotAt.toISOString())).toEqual(['2026-01-01T04:00:00.000Z', '2026-01-01T05:00:00.000Z']);
    expect(plan[0].from.toISOString()).toBe('2025-12-31T23:59:00.000Z');
  });
});
