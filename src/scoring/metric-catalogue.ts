/**
 * The evidence metrics this service computes. A metric is a ratio numerator / denominator; a null denominator
 * (nothing to count) means "no data", never 0. Codes are stable identifiers used by scoring catalogues.
 */
export interface MetricDefinition {
  code: string;
  source: 'one-stop-shop' | 'vnpost-bcci';
  /** ratio: numerator / denominator (null denominator = no data); count: the numerator is the value */
  kind?: 'ratio' | 'count';
  description: string;
  numerator: string;
  denominator: string;
}

export const METRICS: readonly MetricDefinition[] = [
  {
    code: 'dossier.on_time_rate',
    source: 'one-stop-shop',
    description: 'Dossiers handled early or on time (Decision 766 counting)',
    numerator: 'dossiers finished by their promised date (one supplement stops the clock), or unfinished and not yet due at the as-of time',
    denominator: 'dossiers received or handled in the period (received before its end, not finished before its start) with a promised date, excluding not accepted (3) and withdrawn (7)',
  },
  {
    code: 'dossier.on_time_rate.province_level',
    source: 'one-stop-shop',
    description: 'On-time rate for dossiers handled by province-level units (CapDonViXuLy = TINH)',
    numerator: 'as dossier.on_time_rate, TINH only',
    denominator: 'as dossier.on_time_rate, TINH only',
  },
  {
    code: 'dossier.on_time_rate.commune_level',
    source: 'one-stop-shop',
    description: 'On-time rate for dossiers handled by commune-level units (CapDonViXuLy = XA)',
    numerator: 'as dossier.on_time_rate, XA only',
    denominator: 'as dossier.on_time_rate, XA only',
  },
  {
    code: 'dossier.online_submission_rate',
    source: 'one-stop-shop',
    description: 'Dossiers submitted online (KenhThucHien = 2)',
    numerator: 'dossiers received in the period with KenhThucHien = 2',
    denominator: 'dossiers received in the period',
  },
  {
    code: 'dossier.postal_submission_rate',
    source: 'one-stop-shop',
    description: 'Dossiers submitted through the public postal service (KenhThucHien = 3)',
    numerator: 'dossiers received in the period with KenhThucHien = 3',
    denominator: 'dossiers received in the period',
  },
  {
    code: 'dossier.postal_result_rate',
    source: 'one-stop-shop',
    description: 'Results returned through the public postal service (HinhThuc = 1)',
    numerator: 'dossiers received in the period with HinhThuc = 1',
    denominator: 'dossiers received in the period with HinhThuc given (0 or 1)',
  },
  {
    code: 'dossier.online_payment_rate',
    source: 'one-stop-shop',
    description: 'Fee-bearing dossiers paid online (DuocThanhToanTrucTuyen = 1 or 2)',
    numerator: 'fee-bearing dossiers received in the period paid online',
    denominator: 'dossiers received in the period with a fee (DanhSachLePhi with Gia > 0)',
  },
  {
    code: 'dossier.digitisation_rate',
    source: 'one-stop-shop',
    description: 'Dossiers with digitised components (HoSoCoThanhPhanSoHoa = 1)',
    numerator: 'dossiers received in the period with HoSoCoThanhPhanSoHoa = 1',
    denominator: 'dossiers received in the period',
  },
  {
    code: 'procedure.fully_online_share',
    source: 'one-stop-shop',
    description: 'Procedures offered as fully online public services (MucDo = 4), from the procedures catalogue',
    numerator: 'procedures of the province with MucDo = 4',
    denominator: 'procedures of the province in the catalogue',
  },
  {
    code: 'postal.submissions',
    source: 'vnpost-bcci',
    kind: 'count',
    description: 'Dossiers carried by the public postal service from citizens to agencies (Chiều đi), per VNPost reports',
    numerator: 'waybills with direction submission in the current version of the months of the period',
    denominator: 'none (a count)',
  },
  {
    code: 'postal.results',
    source: 'vnpost-bcci',
    kind: 'count',
    description: 'Results carried by the public postal service from agencies to citizens (Chiều về), per VNPost reports',
    numerator: 'waybills with direction result in the current version of the months of the period',
    denominator: 'none (a count)',
  },
  {
    code: 'postal.submission_delivery_rate',
    source: 'vnpost-bcci',
    description: 'Submissions delivered to the agency among those that reached an end (delivered or returned)',
    numerator: 'submission waybills with status delivered (Phát thành công)',
    denominator: 'submission waybills with status delivered or returned (Chuyển hoàn)',
  },
  {
    code: 'postal.result_delivery_rate',
    source: 'vnpost-bcci',
    description: 'Results delivered to the citizen among those that reached an end (delivered or returned)',
    numerator: 'result waybills with status delivered (Phát thành công)',
    denominator: 'result waybills with status delivered or returned (Chuyển hoàn)',
  },
  {
    code: 'postal.delivery_success_rate',
    source: 'vnpost-bcci',
    description: 'Waybills of both directions delivered among those that reached an end',
    numerator: 'waybills with status delivered',
    denominator: 'waybills with status delivered or returned',
  },
];

const COUNT_METRICS = new Set(METRICS.filter((m) => m.kind === 'count').map((m) => m.code));

/** Count metrics carry their value in the numerator; they have no denominator and are never "no data" when present. */
export function isCountMetric(code: string): boolean {
  return COUNT_METRICS.has(code);
}

export const METRIC_CODES: ReadonlySet<string> = new Set(METRICS.map((m) => m.code));

/** The counting-rule versions stamped on evidence computed from each source's records. */
export const POSTAL_RULE_VERSION = 'bcci-counting/1';
export const ONE_STOP_SHOP_RULE_VERSION = 'oss-counting/1';
