/**
 * What-if scoring: a scenario scores provinces under a (possibly draft) catalogue version, optionally with
 * weights for provinces in special conditions (multipliers per sub-criterion — the 2019 workshop's proposal),
 * and sets the result beside the official scores. Pure: it never touches stored scores.
 */
export interface ScenarioWeight {
  /** why these provinces (e.g. "disadvantaged mountainous provinces") */
  label?: string;
  provinces: string[];
  /** sub-criterion code → multiplier applied to its points (the result is capped at its maximum) */
  multipliers: Record<string, number>;
}

export interface ScoredItem {
  subCriterion: string;
  status: 'scored' | 'no_data' | 'manual';
  points: number | null;
  maxPoints: number;
}

export interface ScenarioProvince {
  provinceCode: string;
  /** official total (stored scores of the baseline catalogue), null when never scored */
  officialPoints: number | null;
  items: ScoredItem[];
}

export interface ScenarioRow {
  provinceCode: string;
  officialPoints: number | null;
  officialRank: number | null;
  scenarioPoints: number;
  scenarioRank: number;
  deltaPoints: number | null;
  /** positive = moves up */
  deltaRank: number | null;
  weighted: string[];
}

const round = (n: number): number => Math.round(n * 10000) / 10000;

/** Competition ranking (1, 2, 2, 4) by points, highest first; ties share a rank. */
export function rankOf<T>(rows: T[], points: (r: T) => number | null): Map<T, number | null> {
  const ranked = rows.filter((r) => points(r) !== null).sort((a, b) => (points(b) as number) - (points(a) as number));
  const out = new Map<T, number | null>(rows.map((r) => [r, null]));
  ranked.forEach((r, i) => {
    const previous = ranked[i - 1];
    out.set(r, i > 0 && points(previous) === points(r) ? (out.get(previous) as number) : i + 1);
  });
  return out;
}

/** The scenario's points for one province: scored items, each × its multiplier, capped at the item's maximum. */
export function scenarioPoints(provinceCode: string, items: ScoredItem[], weights: ScenarioWeight[]): { points: number; weighted: string[] } {
  const weighted = new Set<string>();
  let total = 0;
  for (const item of items) {
    if (item.status !== 'scored' || item.points === null) continue;
    let multiplier = 1;
    for (const w of weights) {
      const m = w.multipliers[item.subCriterion];
      if (m !== undefined && w.provinces.includes(provinceCode)) {
        multiplier *= m;
        weighted.add(item.subCriterion);
      }
    }
    total += Math.min(item.maxPoints, item.points * multiplier);
  }
  return { points: round(total), weighted: [...weighted].sort() };
}

/** Scenario and official results side by side, with ranks and differences. */
export function runScenario(provinces: ScenarioProvince[], weights: ScenarioWeight[]): ScenarioRow[] {
  const computed = provinces.map((p) => ({ p, ...scenarioPoints(p.provinceCode, p.items, weights) }));
  const official = rankOf(computed, (c) => c.p.officialPoints);
  const scenario = rankOf(computed, (c) => c.points);
  return computed
    .map((c) => {
      const officialRank = official.get(c) ?? null;
      const scenarioRank = scenario.get(c) as number;
      return {
        provinceCode: c.p.provinceCode,
        officialPoints: c.p.officialPoints,
        officialRank,
        scenarioPoints: c.points,
        scenarioRank,
        deltaPoints: c.p.officialPoints === null ? null : round(c.points - c.p.officialPoints),
        deltaRank: officialRank === null ? null : officialRank - scenarioRank,
        weighted: c.weighted,
      };
    })
    .sort((a, b) => a.scenarioRank - b.scenarioRank || a.provinceCode.localeCompare(b.provinceCode));
}
