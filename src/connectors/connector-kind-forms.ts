import { DVCQG_ENDPOINTS, DVCQG_PERIOD_KINDS } from './dvcqg/dvcqg.options';
import { ONE_STOP_SHOP_DEFAULTS } from './one-stop-shop/one-stop-shop.options';
import { VNPOST_BCCI_DEFAULTS } from './vnpost-bcci/vnpost-bcci.options';

/**
 * What a form needs to register a connector of each kind: its credential names (write-only) and its options,
 * each with a type, bounds and default. The options' validators stay the authority (they answer field-level
 * errors); connector-kind-forms.spec.ts checks that these descriptions agree with them.
 */
export type OptionFieldType = 'integer' | 'boolean' | 'date' | 'string' | 'choices' | 'json';

export interface OptionField {
  name: string;
  type: OptionFieldType;
  min?: number;
  max?: number;
  /** for `choices`: the values that may be listed */
  values?: readonly string[];
  default?: unknown;
  /** a regular expression a `string` must match */
  pattern?: string;
  description: string;
}

export interface ConnectorKindForm {
  kind: string;
  credentials: Array<{ name: string; required: boolean }>;
  options: OptionField[];
}

/** Options every kind understands (src/connectors/connector-options.ts). */
export const FRAMEWORK_OPTION_FIELDS: readonly OptionField[] = [
  { name: 'initialSyncFrom', type: 'date', description: 'first run starts here (Vietnam time); default 1 January of last year' },
  { name: 'lagSeconds', type: 'integer', min: 0, max: 604800, default: 300, description: 'a slot at S covers source changes up to S − lag' },
  { name: 'backfillChunkDays', type: 'integer', min: 1, max: 366, default: 31, description: 'a backfill is split into runs of at most this many days' },
];

const OWN_FIELDS: Record<string, { credentials: ConnectorKindForm['credentials']; options: OptionField[] }> = {
  'one-stop-shop': {
    credentials: [
      { name: 'clientId', required: true },
      { name: 'clientSecret', required: true },
    ],
    options: [
      { name: 'pageSize', type: 'integer', min: 1, max: 1000, default: ONE_STOP_SHOP_DEFAULTS.pageSize, description: 'dossiers per page (the contract allows at most 1000)' },
      { name: 'procedurePageSize', type: 'integer', min: 1, max: 1000, default: ONE_STOP_SHOP_DEFAULTS.procedurePageSize, description: 'procedures per catalogue page' },
      { name: 'fetchProcedures', type: 'boolean', default: ONE_STOP_SHOP_DEFAULTS.fetchProcedures, description: 'fetch the procedures catalogue at the start of each run' },
    ],
  },
  'vnpost-bcci': {
    credentials: [{ name: 'apiKey', required: true }],
    options: [
      { name: 'lookbackMonths', type: 'integer', min: 0, max: 36, default: VNPOST_BCCI_DEFAULTS.lookbackMonths, description: 'months listed again for late or corrected files' },
      { name: 'batchRows', type: 'integer', min: 100, max: 50000, default: VNPOST_BCCI_DEFAULTS.batchRows, description: 'rows written per statement while a file streams in' },
    ],
  },
  'dvcqg-evaluation': {
    credentials: [],
    options: [
      { name: 'periods', type: 'choices', values: DVCQG_PERIOD_KINDS, default: [...DVCQG_PERIOD_KINDS], description: 'period kinds fetched for closed periods' },
      { name: 'endpoints', type: 'choices', values: DVCQG_ENDPOINTS, default: [...DVCQG_ENDPOINTS], description: 'Decision 766 endpoints fetched' },
      { name: 'pageSize', type: 'integer', min: 1, max: 500, description: "page size (default: each endpoint's own)" },
      { name: 'rootDepartmentId', type: 'string', pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$', description: "the province's root department on the portal (UUID; default from the mapping)" },
      { name: 'departmentCode', type: 'string', pattern: '^[A-Z][A-Z0-9.]{0,31}$', description: 'department code such as H44 (default from the mapping)' },
    ],
  },
  'declarative-rest': {
    credentials: [
      { name: 'apiKey', required: false },
      { name: 'token', required: false },
      { name: 'clientId', required: false },
      { name: 'clientSecret', required: false },
    ],
    options: [{ name: 'source', type: 'json', description: 'the source description: URL template, auth, paging, records and metric paths' }],
  },
  'document-management': {
    credentials: [{ name: 'apiKey', required: true }],
    options: [{ name: 'source', type: 'json', default: {}, description: 'overrides of the preset contract, key by key (e.g. units, period)' }],
  },
};

/** The form of each known kind (kinds without a description get the framework options and a JSON field). */
export function connectorKindForms(kinds: string[]): ConnectorKindForm[] {
  return kinds.map((kind) => {
    const own = OWN_FIELDS[kind] ?? { credentials: [], options: [] };
    return { kind, credentials: own.credentials, options: [...FRAMEWORK_OPTION_FIELDS, ...own.options] };
  });
}
