import { slotsBetween } from './schedule-slots';

export interface PlannedSlot {
  slotAt: Date;
  from: Date;
  to: Date;
  /** 'missed' when slots missed while down are reported instead of run */
  status: 'queued' | 'missed';
}

export interface SlotPlanInput {
  schedule: string;
  /** slots at or before this instant are never due (schedule set or changed then) */
  anchor: Date;
  /** newest slot that already has a run */
  lastSlot: Date | null;
  now: Date;
  lagMs: number;
  /** where the first scheduled window starts when no slot ran before */
  firstFrom: Date;
  catchUp: 'run' | 'report';
  maxSlots: number;
}

/**
 * Which slots are due and which window each covers. Windows are slot-aligned: the run for slot S covers
 * [previous slot − lag, S − lag), so consecutive slots tile time without gaps or overlaps. When several slots
 * are due at once (everything was down), all but the newest are caught up in order, or recorded as 'missed'.
 */
export function planSlots(input: SlotPlanInput): PlannedSlot[] {
  const after = input.lastSlot && input.lastSlot > input.anchor ? input.lastSlot : input.anchor;
  let due = slotsBetween(input.schedule, after, input.now, input.maxSlots + 1000);
  if (due.length > input.maxSlots) due = due.slice(due.length - input.maxSlots);
  const plan: PlannedSlot[] = [];
  let previousTo: Date | null = input.lastSlot ? new Date(input.lastSlot.getTime() - input.lagMs) : null;
  due.forEach((slotAt, i) => {
    const to = new Date(slotAt.getTime() - input.lagMs);
    let from = previousTo ?? input.firstFrom;
    if (from >= to) from = new Date(to.getTime() - 1000);
    const latest = i === due.length - 1;
    plan.push({ slotAt, from, to, status: input.catchUp === 'report' && !latest ? 'missed' : 'queued' });
    previousTo = to;
  });
  return plan;
}
