/**
 * How the portal's answers for one unit (or the province) become ratio inputs `dvcqg.<CODE>` — one place, used by
 * the province evidence and by the Decision 766 unit scoring alike (contract: shared/contracts/dvcqg-evaluation-api.md,
 * formulas: the Decision 766 domain note).
 *
 *   dvcqg.<CODE>                       a published metric's numerator / denominator
 *   dvcqg.<CODE>.official_score        its published score / maxScore (only when the score is not null)
 *   dvcqg.PROGRESS_ON_TIME             totalOnTime / totalReceived                                    (2.1)
 *   dvcqg.PAYMENT_DOSSIER_ONLINE       totalDossierOnlinePaymentSuccess / totalDossierFinancialObligation (3.5 A)
 *   dvcqg.PAYMENT_FORMALITY_ONLINE     totalDossierOnlineFormalityPaymentSuccess / totalFeeFormality     (3.5 B)
 *   dvcqg.PAYMENT_FORMALITY_INTEGRATED totalFeeDossierFormality / totalFeeFormality (not …Distinct)       (3.5 C)
 *   dvcqg.ONLINE_SERVICES_PUBLISHED    the online-services tree's published score / max                 (3.x)
 *   dvcqg.DIGITISATION_OTHER_PUBLISHED Σ published score / Σ max of the 4.x components
 *   dvcqg.group.<endpoint>.official_score  the unit's published total of the endpoint / its max
 *
 * A ratio whose numerator and denominator are both absent is left out (no evidence); a present zero stays zero.
 */
export interface DvcqgUnitAnswer {
  endpoint: string;
  totalScore: number | null;
  totalMaxScore: number | null;
  rawParams: Record<string, number | null> | null;
}

export interface DvcqgMetricAnswer {
  code: string;
  numerator: number | null;
  denominator: number | null;
  score: number | null;
  maxScore: number | null;
}

export interface RatioInput {
  numerator: number | null;
  denominator: number | null;
}

export const TREE_RATIOS: Record<string, Array<{ code: string; numerator: string; denominator: string }>> = {
  'dvc-progress-tree': [{ code: 'PROGRESS_ON_TIME', numerator: 'totalOnTime', denominator: 'totalReceived' }],
  'formality-online-payment-tree': [
    { code: 'PAYMENT_DOSSIER_ONLINE', numerator: 'totalDossierOnlinePaymentSuccess', denominator: 'totalDossierFinancialObligation' },
    { code: 'PAYMENT_FORMALITY_ONLINE', numerator: 'totalDossierOnlineFormalityPaymentSuccess', denominator: 'totalFeeFormality' },
    { code: 'PAYMENT_FORMALITY_INTEGRATED', numerator: 'totalFeeDossierFormality', denominator: 'totalFeeFormality' },
  ],
};

/** The 4.x digitisation metrics whose published scores make DIGITISATION_OTHER_PUBLISHED. */
export const DIGITISATION_OTHER = ['ELECTRONIC_CERTIFIED_COPY', 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE', 'CITIZEN_DATA_CONNECTED_DOSSIER', 'CITIZEN_DATA_CONNECTED_FORMALITY'];

const round4 = (x: number) => Math.round(x * 10000) / 10000;

export function dvcqgRatioInputs(units: readonly DvcqgUnitAnswer[], metrics: readonly DvcqgMetricAnswer[]): Record<string, RatioInput> {
  const out: Record<string, RatioInput> = {};
  const set = (key: string, numerator: number | null, denominator: number | null) => {
    if (numerator === null && denominator === null) return;
    if (!(key in out)) out[key] = { numerator, denominator };
  };
  for (const m of metrics) {
    set(`dvcqg.${m.code}`, m.numerator, m.denominator);
    if (m.score !== null) set(`dvcqg.${m.code}.official_score`, m.score, m.maxScore);
  }
  for (const u of units) {
    for (const t of TREE_RATIOS[u.endpoint] ?? []) set(`dvcqg.${t.code}`, u.rawParams?.[t.numerator] ?? null, u.rawParams?.[t.denominator] ?? null);
    if (u.totalScore !== null) {
      set(`dvcqg.group.${u.endpoint}.official_score`, u.totalScore, u.totalMaxScore);
      if (u.endpoint === 'provide-online-tree') set('dvcqg.ONLINE_SERVICES_PUBLISHED', u.totalScore, u.totalMaxScore);
    }
  }
  const others = metrics.filter((m) => DIGITISATION_OTHER.includes(m.code) && m.score !== null);
  if (others.length > 0) {
    set('dvcqg.DIGITISATION_OTHER_PUBLISHED', round4(others.reduce((s, m) => s + (m.score ?? 0), 0)), round4(others.reduce((s, m) => s + (m.maxScore ?? 0), 0)));
  }
  return out;
}
