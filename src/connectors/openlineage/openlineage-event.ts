/**
 * OpenLineage 2-0-2 run events for connector runs: the job is the connector, the run is the connector run (its
 * id is the runId), the input dataset is the source system (its base URL, without credentials or query) and the
 * outputs are the tables the run writes. Pure: built from the run row.
 */
export const OPENLINEAGE_SCHEMA_URL = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const FACET_SCHEMA = (name: string, version = '1-0-0') => `https://openlineage.io/spec/facets/${version}/${name}.json#/$defs/${name}`;

export type RunEventType = 'START' | 'COMPLETE' | 'FAIL';

export interface RunForLineage {
  id: string;
  connectorId: string;
  connectorName: string;
  kind: string;
  baseUrl: string;
  provinceCode: string;
  trigger: string;
  configVersion: number;
  windowFrom: Date;
  windowTo: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  status: string;
  fetched: number;
  normalised: number;
  quarantined: number;
  errorCode: string | null;
  errorMessage: string | null;
}

export interface LineageSettings {
  namespace: string;
  producer: string;
  /** where the outputs live: e.g. postgres://db-host:5432 and the database name (never credentials) */
  database: { namespace: string; name: string };
}

/** The tables each connector kind writes, its main table last (besides the raw archive and quarantine, which every kind writes). */
export const KIND_OUTPUTS: Readonly<Record<string, string[]>> = {
  'one-stop-shop': ['procedure', 'dossier'],
  'vnpost-bcci': ['report_file', 'waybill'],
  'declarative-rest': ['sector_statistic'],
  'document-management': ['sector_statistic'],
  'dvcqg-evaluation': ['dvcqg_fetch', 'dvcqg_unit', 'dvcqg_metric', 'dvcqg_flag'],
};

/** scheme://host[:port] and path of a URL, never its user, password, query or fragment. */
export function sourceDataset(baseUrl: string): { namespace: string; name: string } {
  try {
    const u = new URL(baseUrl);
    return { namespace: `${u.protocol}//${u.host}`, name: u.pathname || '/' };
  } catch {
    return { namespace: 'unknown', name: 'unparsable-base-url' };
  }
}

/** postgres://host:port and database name from a connection URL (credentials dropped). */
export function databaseDataset(databaseUrl: string): { namespace: string; name: string } {
  const u = new URL(databaseUrl);
  return { namespace: `postgres://${u.hostname}:${u.port || '5432'}`, name: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres' };
}

export function runEvent(type: RunEventType, run: RunForLineage, settings: LineageSettings): Record<string, unknown> {
  const facet = (name: string, body: Record<string, unknown>, version?: string) => ({ _producer: settings.producer, _schemaURL: FACET_SCHEMA(name, version), ...body });
  // a run closed before a worker took it (its job was lost) starts and fails at the same time
  const eventTime = (type === 'START' ? run.startedAt ?? run.finishedAt : run.finishedAt) ?? new Date();
  const tables = ['raw_payload', ...(KIND_OUTPUTS[run.kind] ?? []), 'quarantine_record'];
  const primary = KIND_OUTPUTS[run.kind]?.[KIND_OUTPUTS[run.kind].length - 1];
  const runFacets: Record<string, unknown> = {
    nominalTime: facet('NominalTimeRunFacet', { nominalStartTime: run.windowFrom.toISOString(), nominalEndTime: run.windowTo.toISOString() }),
    parConnectorRun: {
      _producer: settings.producer,
      _schemaURL: `${settings.producer}/facets/ParConnectorRunFacet.json`,
      provinceCode: run.provinceCode,
      trigger: run.trigger,
      configVersion: run.configVersion,
      ...(type === 'START' ? {} : { fetched: run.fetched, normalised: run.normalised, quarantined: run.quarantined }),
    },
  };
  if (type === 'FAIL') {
    runFacets.errorMessage = facet('ErrorMessageRunFacet', { message: `${run.errorCode ?? 'FAILED'}: ${run.errorMessage ?? 'the run failed'}`, programmingLanguage: 'TypeScript' });
  }
  return {
    eventType: type,
    eventTime: eventTime.toISOString(),
    producer: settings.producer,
    schemaURL: OPENLINEAGE_SCHEMA_URL,
    run: { runId: run.id, facets: runFacets },
    job: {
      namespace: settings.namespace,
      name: `connector.${run.connectorName}`,
      facets: { jobType: facet('JobTypeJobFacet', { processingType: 'BATCH', integration: 'PAR_EVIDENCE_HUB', jobType: run.kind }, '2-0-3') },
    },
    inputs: [{ ...sourceDataset(run.baseUrl) }],
    outputs: tables.map((table) => ({
      namespace: settings.database.namespace,
      name: `${settings.database.name}.public.${table}`,
      // the run counts records normalised (into the kind's main table) and quarantined
      ...(type === 'COMPLETE' && (table === primary || table === 'quarantine_record')
        ? { outputFacets: { outputStatistics: facet('OutputStatisticsOutputDatasetFacet', { rowCount: table === primary ? run.normalised : run.quarantined }, '1-0-2') } }
        : {}),
    })),
  };
}

/** Which events a run in this state should have (a queued or missed run has none: it never ran). */
export function dueEvents(run: Pick<RunForLineage, 'startedAt' | 'status'>): RunEventType[] {
  const ended = run.status === 'succeeded' || run.status === 'failed';
  const due: RunEventType[] = [];
  if (run.startedAt !== null || ended) due.push('START');
  if (run.status === 'succeeded') due.push('COMPLETE');
  if (run.status === 'failed') due.push('FAIL');
  return due;
}
