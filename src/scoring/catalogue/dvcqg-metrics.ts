/**
 * Metric codes of the National Public Service Portal's evaluation API (Decision 766 index), usable in scoring
 * catalogues as `dvcqg.<CODE>` (e.g. `dvcqg.PUBLISH_ON_TIME`). Their evidence is the portal's raw numerator and
 * denominator for the province; until a connector stores that evidence, items reading them score `no_data`.
 *
 * Two kinds:
 * - `published`: metric codes the portal publishes in `overview.metrics[].code` (transparency, digitisation,
 *   satisfaction endpoints), taken as they are from the contract (shared/contracts/dvcqg-evaluation-api.md);
 * - `tree`: ratios built from the raw parameters of the tree endpoints (progress, online payment), which carry no
 *   metric code of their own. Their names are ours, in the portal's style.
 *
 * `indicator` is the Decision 766 sub-indicator the code is read as: matched by name, the portal does not say.
 */
export interface DvcqgMetricDefinition {
  code: string;
  kind: 'published' | 'tree';
  endpoint: string;
  indicator: string;
  description: string;
}

export const DVCQG_METRICS: readonly DvcqgMetricDefinition[] = [
  { code: 'PUBLISH_ON_TIME', kind: 'published', endpoint: 'transparency', indicator: '1.1', description: 'procedures published on time' },
  { code: 'PUBLIC_UPDATE_ON_TIME', kind: 'published', endpoint: 'transparency', indicator: '1.2', description: 'procedures updated and made public on time in the national database' },
  { code: 'PUBLIC_CONTENT_FULL', kind: 'published', endpoint: 'transparency', indicator: '1.3', description: 'procedures published with all mandatory parts' },
  { code: 'DOSSIER_SYNC', kind: 'published', endpoint: 'transparency', indicator: '1.4', description: 'dossiers synchronised to DVCQG' },
  { code: 'ORIGINAL_RESULT_AVAILABLE', kind: 'published', endpoint: 'dossier-digitized', indicator: '4.1', description: 'dossiers with an electronic result' },
  { code: 'SO_HOA_GIAY_TO_GIAI_QUYET', kind: 'published', endpoint: 'dossier-digitized', indicator: '4.2', description: 'dossiers whose components and result are digitised' },
  { code: 'ELECTRONIC_CERTIFIED_COPY', kind: 'published', endpoint: 'dossier-digitized', indicator: '4.x', description: 'electronic certified copies' },
  { code: 'REUSED_DIGITIZED_DATA', kind: 'published', endpoint: 'dossier-digitized', indicator: '4.3', description: 'dossiers re-using at least one digitised component' },
  { code: 'SYNCED_WITH_DVCQG_PERSONAL_STORAGE', kind: 'published', endpoint: 'dossier-digitized', indicator: '4.x', description: 'results synchronised to the citizen data store on DVCQG' },
  { code: 'CITIZEN_DATA_CONNECTED_DOSSIER', kind: 'published', endpoint: 'dossier-digitized', indicator: '4.x', description: 'dossiers using the population database' },
  { code: 'CITIZEN_DATA_CONNECTED_FORMALITY', kind: 'published', endpoint: 'dossier-digitized', indicator: '4.x', description: 'procedures connected to the population database (aggregate only)' },
  { code: 'PETITION_CLASSIFICATION_TTHC', kind: 'published', endpoint: 'handling-satisfaction', indicator: '?', description: 'feedback classified as about procedures' },
  { code: 'PETITION_CLASSIFICATION_STAFF', kind: 'published', endpoint: 'handling-satisfaction', indicator: 'informational (max 0)', description: 'feedback classified as about staff' },
  { code: 'PETITION_PROCESSING_ON_TIME', kind: 'published', endpoint: 'handling-satisfaction', indicator: '5.2', description: 'citizen feedback handled on time' },
  { code: 'PETITION_HANDLING_SATISFACTION', kind: 'published', endpoint: 'handling-satisfaction', indicator: '5.3', description: 'satisfaction with feedback handling' },
  { code: 'DOSSIER_RECEIVING_SATISFACTION', kind: 'published', endpoint: 'handling-satisfaction', indicator: '5.4', description: 'satisfaction with dossier handling: 1 − (overdue rate + rate of dossiers with complaints or dislikes)' },
  {
    code: 'PROGRESS_ON_TIME',
    kind: 'tree',
    endpoint: 'dvc-progress-tree',
    indicator: '2.1',
    description: 'totalOnTime / totalReceived (dossiers handled early or on time / received or handled in the period)',
  },
  {
    code: 'PAYMENT_DOSSIER_ONLINE',
    kind: 'tree',
    endpoint: 'formality-online-payment-tree',
    indicator: '3.5–3.6 A',
    description: 'totalDossierOnlinePaymentSuccess / totalDossierFinancialObligation',
  },
  {
    code: 'PAYMENT_FORMALITY_ONLINE',
    kind: 'tree',
    endpoint: 'formality-online-payment-tree',
    indicator: '3.5–3.6 B',
    description: 'totalDossierOnlineFormalityPaymentSuccess / totalFeeFormality',
  },
  {
    code: 'PAYMENT_FORMALITY_INTEGRATED',
    kind: 'tree',
    endpoint: 'formality-online-payment-tree',
    indicator: '3.5–3.6 C',
    description: 'totalFeeDossierFormality / totalFeeFormality (not the …Distinct field)',
  },
  {
    code: 'ONLINE_SERVICES_PUBLISHED',
    kind: 'tree',
    endpoint: 'provide-online-tree',
    indicator: '3.1–3.4',
    description: "the portal's published online-services score / its max (the formula is not public)",
  },
  {
    code: 'DIGITISATION_OTHER_PUBLISHED',
    kind: 'tree',
    endpoint: 'dossier-digitized',
    indicator: '4.x',
    description: "Σ published scores / Σ max of ELECTRONIC_CERTIFIED_COPY, SYNCED_WITH_DVCQG_PERSONAL_STORAGE, CITIZEN_DATA_CONNECTED_DOSSIER, CITIZEN_DATA_CONNECTED_FORMALITY",
  },
  {
    code: 'INDEX_TOTAL',
    kind: 'tree',
    endpoint: 'all six endpoints',
    indicator: 'total',
    description: "the province's Decision 766 total: Σ published group totalScore / Σ totalMaxScore (100)",
  },
];

/** The codes accepted after `dvcqg.` in a catalogue metric. */
export const DVCQG_METRIC_CODES: ReadonlySet<string> = new Set(DVCQG_METRICS.map((m) => m.code));

export const DVCQG_METRIC_PREFIX = 'dvcqg.';
/** Survey and other imported values: `imported.<importKey>`. */
export const IMPORTED_METRIC_PREFIX = 'imported.';
