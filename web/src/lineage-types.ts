export interface Lineage {
  score: {
    id: number;
    provinceCode: string;
    year: number;
    framework: string;
    catalogue: string;
    subCriterion: string;
    ruleDigest: string;
    status: string;
    points: number | null;
    maxPoints: number | null;
    value: number | null;
    version: number;
    contentDigest: string;
    computedAt: string;
  };
  evidence: Array<{
    id: number;
    metric: string;
    subject: string;
    periodKey: string;
    numerator: number | null;
    denominator: number | null;
    value: number | null;
    ruleVersion: string;
    version: number;
    contentDigest: string;
    computation: { id: number; sourceKind: string; asOf: string; recordCount: number; computedAt: string; runIds: string[]; rawDigests: string[] };
  }>;
  runs: Array<{
    id: string;
    connectorId: string;
    connectorName: string;
    kind: string;
    configVersion: number;
    trigger: string;
    windowFrom: string | null;
    windowTo: string | null;
    status: string;
    counts: { fetched: number; normalised: number; quarantined: number };
    startedAt: string | null;
    finishedAt: string | null;
  }>;
  rawPayloads: Array<{ digest: string; size: number; contentType: string | null; archivedAt: string; fetches: number; download: string }>;
  imported: Array<{ id: number; key: string; value: number; max: number; version: number; upload: { id: number; source: string; fileName: string | null; row: number; rawDigest: string; uploadedAt: string } }>;
}
