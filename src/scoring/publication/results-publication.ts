import { AccessScope } from '../../platform/auth/access-policy';

/** A row of the ranked national table (GET /scoreboard). */
export interface ScoreboardRow {
  rank: number | null;
  provinceCode: string;
  region: string | null;
  catalogue: string;
  points: number | null;
  scoredMaxPoints: number | null;
  maxPoints: number | null;
  coverage: number | null;
  scored: number;
  noData: number;
  manual: number;
}

/**
 * Who sees which national table. Roles that reach every province see the live table. A province officer sees,
 * until the year is published, only the own province's rows and no rank (draft results of other provinces, and
 * the place among them, are not shown); once published, the published table, like everyone.
 */
export function scoreboardFor(scope: AccessScope, live: ScoreboardRow[], published: ScoreboardRow[] | null, catalogue?: string): ScoreboardRow[] {
  if (scope.province === null) return live;
  if (published) return catalogue ? published.filter((r) => r.catalogue === catalogue) : published;
  return live.filter((r) => r.provinceCode === scope.province).map((r) => ({ ...r, rank: null }));
}
