export type Role = 'admin' | 'operator' | 'officer' | 'auditor' | 'appraiser';
export interface Me {
  kind: 'user' | 'api-key' | 'system';
  id: string;
  name: string;
  role: Role;
  provinceCode: string | null;
  permissions: string[];
}
export type ItemStatus = 'auto_filled' | 'no_data' | 'manual_needed' | 'stale' | 'not_computed';
export interface ScorecardItem {
  scoreId: number | null;
  subCriterion: string;
  title: string;
  field: string | null;
  criterion: string | null;
  kind: string;
  document: string | null;
  status: ItemStatus;
  points: number | null;
  maxPoints: number;
  value: number | null;
  ruleDigest: string | null;
  evidenceIds: number[];
  evidenceCount: number;
  evidenceComputedAt: string | null;
  version: number | null;
  computedAt: string | null;
  attachment?: { id: number; title: string; rawDigest: string; attachedAt: string; version: number } | null;
}
export interface ScorecardCatalogue {
  catalogue: string;
  framework: string;
  status: string;
  totals: { points: number; maxPoints: number; stillManual: string[]; noData: string[]; stale: string[] };
  coverage: { subCriteria: number; filledFromData: number; manualNeeded: number; points: number; pointsFromData: number; share: number };
  fields: Array<{ code: string; title: string; maxPoints: number; points: number; filledFromData: number; manualNeeded: number; subCriteria: number }>;
  items: ScorecardItem[];
}
export interface Scorecard {
  provinceCode: string;
  year: number;
  period: string;
  catalogues: ScorecardCatalogue[];
}
export interface Province {
  code: string;
  name: string;
}
export interface RunView {
  id: string;
  connectorId: string;
  trigger: string;
  windowFrom: string | null;
  windowTo: string | null;
  status: string;
  attempts: number;
  counts: { pages?: number; fetched?: number; normalised?: number; unchanged?: number; quarantined?: number };
  error: { code: string; message: string | null } | null;
  warnings?: number;
  cancelRequestedAt?: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}
export interface ConnectorView {
  id: string;
  name: string;
  kind: string;
  baseUrl: string;
  provinceCode: string | null;
  credentialsSet: string[];
  schedule: string | null;
  enabled: boolean;
  options: Record<string, unknown>;
  configVersion: number;
  createdAt: string;
  updatedAt: string;
}
export interface ManualEvidence {
  id: number;
  provinceCode: string;
  year: number;
  catalogue: string;
  subCriterion: string;
  title: string;
  documentKind: string | null;
  rawDigest: string;
  fileName: string | null;
  contentType: string;
  size: number;
  attachedBy: string;
  version: number;
  createdAt: string;
  versions?: number;
  withdrawn?: { at: string; by: string; reason: string | null } | null;
  review?: { id: number; decision: 'accepted' | 'rejected'; points: number | null; reason: string | null; reviewer: string; reviewedAt: string } | null;
}
export interface CatalogueItem {
  catalogue: string;
  code: string;
  title: string;
  kind: string;
  maxPoints: number;
  document: string | null;
  rule: import('./rule-text').RuleConfig | null;
  metrics: string[];
  source: string | null;
  note: string | null;
}
export interface ScoreCheck {
  catalogue: string;
  subCriterion: string;
  metric: string | null;
  computedPoints: number | null;
  officialPoints: number | null;
  difference: number | null;
  finding: boolean;
  scoreId: number | null;
  checkedAt: string;
}
export interface LastRunSummary {
  id: string;
  status: string;
  outcome: string;
  warnings: number;
  requestedAt: string;
  finishedAt: string | null;
}
export interface RunStep {
  id: number;
  at: string;
  kind: 'start' | 'checkpoint' | 'file' | 'retry' | 'warning' | 'cancel' | 'finish';
  message: string;
  detail: Record<string, unknown> | null;
}
