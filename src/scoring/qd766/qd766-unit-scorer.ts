import { DvcqgMetricAnswer, DvcqgUnitAnswer, dvcqgRatioInputs } from '../../evidence/sources/dvcqg-inputs';
import { ScoreSource, ScoringCatalogue, SubCriterion, ruleDigest, scoreCatalogue } from '../catalogue';
import { evaluateRule } from '../rules/evaluate-rule';
import { roundTo } from '../rules/rule-math.util';
import { ScoringRule } from '../rules/rule.schema';
import { RuleInputs } from '../rules/rule.types';

/** Official and recomputed points may differ by the portal's rounding to two decimals; beyond this, a finding. */
export const QD766_TOLERANCE = 0.015;

export interface AnswerUnitRow extends DvcqgUnitAnswer {
  departmentId: string;
  isRoot: boolean;
  departmentCode: string | null;
  departmentName: string | null;
  departmentType: string | null;
  departmentLevel: string | null;
  agencyLevel: string | null;
  level: string | null;
}

export interface AnswerMetricRow extends DvcqgMetricAnswer {
  endpoint: string;
  departmentId: string;
}

export interface AnswerFlagRow {
  endpoint: string;
  departmentId: string;
  /** '' = about the unit or the whole answer */
  metricCode: string;
  flagCode: string;
  message: string | null;
}

/** Every answer of one province, period and scope (all procedures, or one procedure). */
export interface PeriodAnswers {
  units: AnswerUnitRow[];
  metrics: AnswerMetricRow[];
  flags: AnswerFlagRow[];
  /** the period is still running: its figures are provisional */
  running: boolean;
}

export type UnitLevel = 'province' | 'department' | 'commune';

export interface ItemFlag {
  metric: string;
  status: string;
  message: string | null;
}

export interface ScoredComponent {
  metric: string;
  official: number | null;
  officialMax: number | null;
  recomputed: number | null;
  difference: number | null;
  zeroDenominator: boolean;
}

export interface ScoredItem {
  code: string;
  group: string;
  maxPoints: number;
  /** the item's points on the scorecard: recomputed, or the published score for published items */
  points: number | null;
  /** recomputed with the catalogue rule (null: no data; for published items without components: not recomputable) */
  recomputed: number | null;
  official: number | null;
  difference: number | null;
  /** scored, no_data, or provisional (scored from a flagged input or in a running period) */
  status: 'scored' | 'no_data' | 'provisional';
  source: ScoreSource;
  /** compared with the portal (false for published scores whose formula is not public) */
  compared: boolean;
  /** an input had denominator 0: the zero-denominator convention decided */
  zeroDenominator: boolean;
  inputs: Record<string, { numerator: number | null; denominator: number | null }>;
  flags: ItemFlag[];
  explanation: string;
  ruleDigest: string;
  components?: ScoredComponent[];
}

export interface ScoredGroup {
  code: string;
  maxPoints: number;
  official: number | null;
  recomputed: number | null;
  difference: number | null;
}

export interface UnitScore {
  departmentId: string;
  isRoot: boolean;
  level: UnitLevel;
  departmentCode: string | null;
  departmentName: string | null;
  departmentType: string | null;
  agencyLevel: string | null;
  items: ScoredItem[];
  groups: ScoredGroup[];
  officialTotal: number | null;
  recomputedTotal: number | null;
  status: 'final' | 'provisional';
  flags: ItemFlag[];
  /** rank among the province's units by official total (the portal's order); null for the province itself */
  rankOfficial: number | null;
  rankRecomputed: number | null;
}

export type FindingKind = 'difference' | 'recomputed_missing' | 'official_missing';

export interface Qd766Finding {
  departmentId: string;
  /** item code, `group.<n>`, `total`, or `<item>/<component metric>` */
  metric: string;
  kind: FindingKind;
  official: number | null;
  recomputed: number | null;
  difference: number | null;
  inputs: Record<string, { numerator: number | null; denominator: number | null }>;
  flags: ItemFlag[];
  ruleDigest: string | null;
}

const r2 = (x: number) => roundTo(x, 2);
const r4 = (x: number) => roundTo(x, 4);
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : r4(Math.abs(a - b)));

function levelOf(u: Pick<AnswerUnitRow, 'isRoot' | 'level' | 'departmentLevel' | 'departmentType'>): UnitLevel {
  if (u.isRoot) return 'province';
  const l = (u.level ?? u.departmentLevel ?? u.departmentType ?? '').toUpperCase();
  return l === 'COMMUNE' ? 'commune' : 'department';
}

/** Which published metric code (or tree endpoint) each input key comes from, to attach flags. */
function publishedCodeOf(metric: string): string | null {
  const m = /^dvcqg\.([A-Z0-9_]+)/.exec(metric);
  return m ? m[1] : null;
}

function compare(kind: { official: number | null; recomputed: number | null }): FindingKind | null {
  if (kind.official === null && kind.recomputed === null) return null;
  if (kind.official === null) return 'official_missing';
  if (kind.recomputed === null) return 'recomputed_missing';
  return Math.abs(kind.official - kind.recomputed) > QD766_TOLERANCE ? 'difference' : null;
}

interface Prepared {
  catalogue: ScoringCatalogue;
  items: Array<{ item: SubCriterion; digest: string; componentRule?: ScoringRule }>;
}

const prepared = new WeakMap<ScoringCatalogue, Prepared>();
function prepare(catalogue: ScoringCatalogue): Prepared {
  let p = prepared.get(catalogue);
  if (!p) {
    p = { catalogue, items: catalogue.subCriteria.map((item) => ({ item, digest: ruleDigest(item), componentRule: item.portal?.componentRule })) };
    prepared.set(catalogue, p);
  }
  return p;
}

/**
 * Scores the province and every unit of one period and scope with a Decision 766 catalogue: each item recomputed by
 * its rule from the portal's numerators and denominators, beside the official score the portal published for it
 * (`portal` in the catalogue); groups (catalogue fields) and the total likewise; units ranked by official total.
 * Pure: no I/O, no clock.
 */
export function scoreUnits(catalogue: ScoringCatalogue, answers: PeriodAnswers): { units: UnitScore[]; findings: Qd766Finding[] } {
  const { items } = prepare(catalogue);
  const unitsById = new Map<string, AnswerUnitRow[]>();
  for (const u of answers.units) (unitsById.get(u.departmentId) ?? unitsById.set(u.departmentId, []).get(u.departmentId)!).push(u);
  const metricsById = new Map<string, AnswerMetricRow[]>();
  for (const m of answers.metrics) (metricsById.get(m.departmentId) ?? metricsById.set(m.departmentId, []).get(m.departmentId)!).push(m);
  const flagsById = new Map<string, AnswerFlagRow[]>();
  for (const f of answers.flags) (flagsById.get(f.departmentId) ?? flagsById.set(f.departmentId, []).get(f.departmentId)!).push(f);
  const answerFlags = flagsById.get('') ?? [];

  const units: UnitScore[] = [];
  const findings: Qd766Finding[] = [];
  for (const [departmentId, rows] of unitsById) {
    const metrics = metricsById.get(departmentId) ?? [];
    const inputs = dvcqgRatioInputs(rows, metrics) as RuleInputs;
    const flags = [...(flagsById.get(departmentId) ?? []), ...answerFlags];
    const maxOf = new Map(metrics.map((m) => [m.code, m.maxScore]));
    const endpoints = new Set(rows.map((r) => r.endpoint));
    const scores = scoreCatalogue(catalogue, inputs);
    const scoredItems: ScoredItem[] = scores.map((s, i) => {
      const { item, digest, componentRule } = items[i];
      const binding = item.portal;
      const used: Record<string, { numerator: number | null; denominator: number | null }> = {};
      for (const m of s.usedMetrics) if (inputs[m]) used[m] = inputs[m]!;
      let zeroDenominator = Object.values(used).some((v) => v.numerator !== null && (v.denominator === 0 || v.denominator === null));
      const codes = new Set(s.usedMetrics.map(publishedCodeOf).filter((c): c is string => c !== null));
      if (binding?.metric) codes.add(binding.metric);
      binding?.components?.forEach((c) => codes.add(c));
      const itemFlags = flags
        .filter((f) => (f.metricCode === '' ? binding === undefined || f.endpoint === binding.endpoint || f.departmentId === '' : codes.has(f.metricCode)))
        .map((f) => ({ metric: f.metricCode, status: f.flagCode, message: f.message }));
      const officialInput = binding?.metric ? inputs[`dvcqg.${binding.metric}.official_score`] : binding ? inputs[`dvcqg.group.${binding.endpoint}.official_score`] : undefined;
      let official = officialInput?.numerator ?? null;
      let recomputed = s.points;
      let compared = binding !== undefined && !binding.published;
      let components: ScoredComponent[] | undefined;
      if (binding?.components && componentRule && componentRule.type !== 'weighted_sum') {
        // published sum of components, each recomputed with its own published maximum (the split is not known)
        components = binding.components
          .filter((c) => metrics.some((m) => m.code === c))
          .map((c) => {
            const metric = `dvcqg.${c}`;
            const max = maxOf.get(c) ?? null;
            const off = inputs[`${metric}.official_score`]?.numerator ?? null;
            const input = inputs[metric];
            if (input) used[metric] = input;
            const zero = input !== undefined && input.numerator !== null && !input.denominator;
            const outcome = max !== null && max > 0 ? evaluateRule({ ...componentRule, metric }, inputs, max) : null;
            const rec = outcome?.points ?? null;
            return { metric: c, official: off, officialMax: max, recomputed: rec, difference: diff(off, rec), zeroDenominator: zero };
          });
        zeroDenominator = zeroDenominator || components.some((c) => c.zeroDenominator);
        const offs = components.filter((c) => c.official !== null);
        const recs = components.filter((c) => c.recomputed !== null);
        official = offs.length > 0 ? r2(offs.reduce((a, c) => a + c.official!, 0)) : null;
        recomputed = recs.length > 0 ? r4(recs.reduce((a, c) => a + r2(c.recomputed!), 0)) : null;
        compared = true;
      } else if (binding?.published) {
        recomputed = null;
      }
      const difference = compared ? diff(official, recomputed) : null;
      const provisional = s.status === 'scored' && (answers.running || itemFlags.length > 0);
      return {
        code: item.code,
        group: item.field ?? '',
        maxPoints: item.maxPoints,
        points: s.points,
        recomputed,
        official,
        difference,
        status: s.status === 'no_data' ? 'no_data' : provisional ? 'provisional' : 'scored',
        source: s.sourceUsed ?? 'dvcqg',
        compared,
        zeroDenominator,
        inputs: used,
        flags: itemFlags,
        explanation: s.explanation,
        ruleDigest: digest,
        ...(components ? { components } : {}),
      };
    });
    for (const it of scoredItems) {
      if (!it.compared) continue;
      for (const c of it.components ?? []) {
        const kind = compare(c);
        if (kind) findings.push({ departmentId, metric: `${it.code}/${c.metric}`, kind, official: c.official, recomputed: c.recomputed, difference: c.difference, inputs: pick(it.inputs, `dvcqg.${c.metric}`), flags: it.flags.filter((f) => f.metric === c.metric), ruleDigest: it.ruleDigest });
      }
      const kind = compare(it);
      if (kind) findings.push({ departmentId, metric: it.code, kind, official: it.official, recomputed: it.recomputed, difference: it.difference, inputs: it.inputs, flags: it.flags, ruleDigest: it.ruleDigest });
    }
    const groups: ScoredGroup[] = (catalogue.fields ?? []).map((field) => {
      const own = scoredItems.filter((it) => it.group === field.code);
      const groupEndpoints = [...new Set(own.map((it) => items.find((x) => x.item.code === it.code)?.item.portal?.endpoint).filter((e): e is NonNullable<typeof e> => e !== undefined))];
      const officials = groupEndpoints.map((e) => inputs[`dvcqg.group.${e}.official_score`]?.numerator ?? null).filter((v): v is number => v !== null);
      // the portal adds its rounded scores: so does the recomputed group
      const recs = own.map((it) => (it.compared ? it.recomputed : it.points)).filter((v): v is number => v !== null);
      const official = officials.length > 0 ? r2(officials.reduce((a, b) => a + b, 0)) : null;
      // a group the unit is published in adds what it scored (no data adds nothing, as on the portal); a group it is
      // absent from has no total
      const present = groupEndpoints.some((e) => endpoints.has(e));
      const recomputed = present ? r2(recs.reduce((a, b) => a + r2(b), 0)) : null;
      return { code: field.code, maxPoints: field.maxPoints, official, recomputed, difference: diff(official, recomputed) };
    });
    for (const g of groups) {
      const kind = compare(g);
      if (kind) findings.push({ departmentId, metric: `group.${g.code}`, kind, official: g.official, recomputed: g.recomputed, difference: g.difference, inputs: {}, flags: [], ruleDigest: null });
    }
    const sumOf = (xs: Array<number | null>) => (xs.some((x) => x !== null) ? r2(xs.reduce<number>((a, b) => a + (b ?? 0), 0)) : null);
    const officialTotal = sumOf(groups.map((g) => g.official));
    const recomputedTotal = sumOf(groups.map((g) => g.recomputed));
    const totalKind = compare({ official: officialTotal, recomputed: recomputedTotal });
    if (totalKind) findings.push({ departmentId, metric: 'total', kind: totalKind, official: officialTotal, recomputed: recomputedTotal, difference: diff(officialTotal, recomputedTotal), inputs: {}, flags: [], ruleDigest: null });
    const unitFlags = flags.map((f) => ({ metric: f.metricCode, status: f.flagCode, message: f.message }));
    const head = rows.find((r) => r.departmentCode !== null) ?? rows[0];
    const named = rows.find((r) => r.departmentName !== null) ?? rows[0];
    const typed = rows.find((r) => r.departmentType !== null);
    units.push({
      departmentId,
      isRoot: rows.some((r) => r.isRoot),
      level: levelOf({ isRoot: rows.some((r) => r.isRoot), level: rows.find((r) => r.level !== null)?.level ?? null, departmentLevel: typed?.departmentLevel ?? null, departmentType: typed?.departmentType ?? null }),
      departmentCode: head.departmentCode,
      departmentName: named.departmentName,
      departmentType: typed?.departmentType ?? null,
      agencyLevel: typed?.agencyLevel ?? null,
      items: scoredItems,
      groups,
      officialTotal,
      recomputedTotal,
      status: answers.running || unitFlags.length > 0 || scoredItems.some((it) => it.status === 'provisional') ? 'provisional' : 'final',
      flags: unitFlags,
      rankOfficial: null,
      rankRecomputed: null,
    });
  }
  rank(units, 'officialTotal', 'rankOfficial');
  rank(units, 'recomputedTotal', 'rankRecomputed');
  return { units, findings };
}

function pick<T>(o: Record<string, T>, key: string): Record<string, T> {
  return key in o ? { [key]: o[key] } : {};
}

/** Competition ranking ("1224") of the units (not the province) by a total, highest first; no total → no rank. */
export function rank(units: UnitScore[], by: 'officialTotal' | 'recomputedTotal', into: 'rankOfficial' | 'rankRecomputed'): void {
  const ranked = units.filter((u) => !u.isRoot && u[by] !== null).sort((a, b) => b[by]! - a[by]!);
  ranked.forEach((u, i) => {
    u[into] = i > 0 && ranked[i - 1][by] === u[by] ? ranked[i - 1][into] : i + 1;
  });
}
