import { NormalisedDossier, NormalisedProcedure } from './records/dossier.record';
import { monthPeriod, vietnamWallClockToDate, yearPeriod } from '../platform/time/vietnam-time';
import {
  asOfFor,
  COUNTING_RULE_VERSION,
  countDossierMetrics,
  countProcedureMetrics,
  DOSSIER_METRIC_CODES,
  onTimeStatus,
  PROCEDURE_METRIC_CODES,
  ratio,
} from './counting-rules';
import { METRICS, METRIC_CODES, ONE_STOP_SHOP_RULE_VERSION } from '../scoring/metric-catalogue';

/** Vietnam wall clock → instant. */
const vn = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date => vietnamWallClockToDate(y, mo, d, h, mi, s)!;

let seq = 0;
function dossier(overrides: Partial<NormalisedDossier> = {}): NormalisedDossier {
  seq++;
  return {
    provinceCode: '44',
    dossierId: `H44-${seq}`,
    procedureCode: '1.001234',
    fieldCode: 'G12',
    handlingUnitCode: '000.22.44.H44',
    handlingLevel: 'XA',
    channel: 1,
    resultDelivery: 0,
    status: 4,
    receivedAt: vn(2026, 1, 14, 8, 30),
    dueAt: vn(2026, 1, 21, 17, 0),
    processedAt: null,
    returnedAt: null,
    sourceUpdatedAt: vn(2026, 1, 14, 8, 30),
    onlinePaymentChannel: null,
    feeTotal: null,
    hasFee: false,
    componentCount: 1,
    digitisedComponentCount: 0,
    reusedComponentCount: 0,
    resultFileCount: 0,
    digitised: false,
    supplementCount: 0,
    supplementPauseSeconds: 0,
    ...overrides,
  };
}

const JAN = monthPeriod(2026, 1);
const FEB = monthPeriod(2026, 2);
const AFTER_JAN = vn(2026, 3, 1);
const DUE = vn(2026, 1, 21, 17, 0);

describe('rule version', () => {
  it('equals the catalogue rule version', () => {
    expect(COUNTING_RULE_VERSION).toBe(ONE_STOP_SHOP_RULE_VERSION);
  });

  it('covers exactly the one-stop-shop metric codes of the catalogue', () => {
    const oneStopShop = METRICS.filter((m) => m.source === 'one-stop-shop').map((m) => m.code);
    expect(new Set<string>([...DOSSIER_METRIC_CODES, ...PROCEDURE_METRIC_CODES])).toEqual(new Set(oneStopShop));
    expect([...METRIC_CODES]).toEqual(expect.arrayContaining(oneStopShop));
  });
});

describe('asOfFor', () => {
  it('is the period end for a closed period', () => {
    expect(asOfFor(JAN, vn(2026, 3, 5))).toEqual(JAN.end);
  });

  it('is now for an open period', () => {
    const now = vn(2026, 1, 10, 12);
    expect(asOfFor(JAN, now)).toEqual(now);
  });
});

describe('ratio', () => {
  it('divides', () => {
    expect(ratio(1, 4)).toBe(0.25);
  });

  it('is null when the denominator is null', () => {
    expect(ratio(0, null)).toBeNull();
  });

  it('is null when the denominator is 0', () => {
    expect(ratio(0, 0)).toBeNull();
  });
});

describe('onTimeStatus', () => {
  it('finished exactly at the promised time is on time', () => {
    expect(onTimeStatus(dossier({ status: 9, processedAt: DUE }), AFTER_JAN)).toBe('on_time');
  });

  it('finished before the promised time is on time', () => {
    expect(onTimeStatus(dossier({ status: 10, processedAt: vn(2026, 1, 20, 10), returnedAt: vn(2026, 1, 21, 9) }), AFTER_JAN)).toBe('on_time');
  });

  it('finished one second after the promised time is late', () => {
    expect(onTimeStatus(dossier({ status: 9, processedAt: new Date(DUE.getTime() + 1000) }), AFTER_JAN)).toBe('late');
  });

  it('the end is the earlier of processed and returned', () => {
    // returned (no processing date recorded) before the due date: on time
    expect(onTimeStatus(dossier({ status: 10, returnedAt: vn(2026, 1, 21, 9) }), AFTER_JAN)).toBe('on_time');
    // processed on time, returned late: still on time (the clock stopped when processed)
    expect(onTimeStatus(dossier({ status: 10, processedAt: vn(2026, 1, 21, 9), returnedAt: vn(2026, 1, 25) }), AFTER_JAN)).toBe('on_time');
  });

  it('processing stopped (8) ends the clock like processed', () => {
    expect(onTimeStatus(dossier({ status: 8, processedAt: vn(2026, 1, 22) }), AFTER_JAN)).toBe('late');
  });

  it('unfinished and past due at the as-of time is late', () => {
    expect(onTimeStatus(dossier({ status: 4 }), new Date(DUE.getTime() + 1000))).toBe('late');
  });

  it('unfinished and not yet due is pending', () => {
    expect(onTimeStatus(dossier({ status: 4 }), vn(2026, 1, 20))).toBe('pending');
  });

  it('unfinished with the as-of time exactly at the promised time is pending', () => {
    expect(onTimeStatus(dossier({ status: 4 }), DUE)).toBe('pending');
  });

  it('finished after the as-of time is judged as unfinished at the as-of time', () => {
    const d = dossier({ status: 10, processedAt: vn(2026, 2, 3), dueAt: vn(2026, 2, 5) });
    expect(onTimeStatus(d, JAN.end)).toBe('pending');
    const late = dossier({ status: 10, processedAt: vn(2026, 2, 3), dueAt: vn(2026, 1, 30) });
    expect(onTimeStatus(late, JAN.end)).toBe('late');
  });

  it('a finish exactly at the as-of instant is not yet finished (half-open)', () => {
    const d = dossier({ status: 9, dueAt: vn(2026, 1, 31), processedAt: JAN.end });
    expect(onTimeStatus(d, JAN.end)).toBe('late');
  });

  it('not accepted (3) is excluded', () => {
    expect(onTimeStatus(dossier({ status: 3 }), AFTER_JAN)).toBe('excluded');
  });

  it('withdrawn (7) is excluded', () => {
    expect(onTimeStatus(dossier({ status: 7, processedAt: vn(2026, 1, 25) }), AFTER_JAN)).toBe('excluded');
  });

  it('no promised date is excluded', () => {
    expect(onTimeStatus(dossier({ status: 9, dueAt: null, processedAt: vn(2026, 1, 15) }), AFTER_JAN)).toBe('excluded');
  });

  it('one supplement request stops the clock for its pause', () => {
    const pause = 2 * 24 * 3600; // two days
    const d = dossier({ status: 9, supplementCount: 1, supplementPauseSeconds: pause, processedAt: vn(2026, 1, 23, 17) });
    expect(onTimeStatus(d, AFTER_JAN)).toBe('on_time');
    const over = dossier({ status: 9, supplementCount: 1, supplementPauseSeconds: pause, processedAt: vn(2026, 1, 23, 17, 0, 1) });
    expect(onTimeStatus(over, AFTER_JAN)).toBe('late');
  });

  it('a pause is ignored without a supplement request', () => {
    const d = dossier({ status: 9, supplementCount: 0, supplementPauseSeconds: 86400, processedAt: vn(2026, 1, 22) });
    expect(onTimeStatus(d, AFTER_JAN)).toBe('late');
  });

  it('a second supplement request makes the dossier late', () => {
    const d = dossier({ status: 9, supplementCount: 2, supplementPauseSeconds: 3600, processedAt: vn(2026, 1, 15) });
    expect(onTimeStatus(d, AFTER_JAN)).toBe('late');
  });

  it('unfinished while a single supplement is awaited (5) is pending, even past due', () => {
    expect(onTimeStatus(dossier({ status: 5, supplementCount: 1 }), AFTER_JAN)).toBe('pending');
  });
});

describe('countDossierMetrics', () => {
  it('no dossiers gives null denominators, never 0', () => {
    const counts = countDossierMetrics([], JAN, JAN.end);
    for (const code of DOSSIER_METRIC_CODES) {
      expect(counts[code]).toEqual({ numerator: 0, denominator: null });
    }
  });

  it('on-time rate: on time and pending in the numerator, late in the denominator only, excluded nowhere', () => {
    const asOf = vn(2026, 1, 25);
    const counts = countDossierMetrics(
      [
        dossier({ status: 9, processedAt: vn(2026, 1, 20) }), // on time
        dossier({ status: 9, processedAt: vn(2026, 1, 22) }), // late
        dossier({ status: 4 }), // unfinished, past due at asOf → late
        dossier({ status: 4, dueAt: vn(2026, 1, 30) }), // unfinished, not yet due → pending (on time)
        dossier({ status: 7 }), // withdrawn → excluded
        dossier({ status: 3 }), // not accepted → excluded
        dossier({ status: 9, dueAt: null, processedAt: vn(2026, 1, 15) }), // no promised date → excluded
      ],
      JAN,
      asOf,
    );
    expect(counts['dossier.on_time_rate']).toEqual({ numerator: 2, denominator: 4 });
  });

  it('on-time rate: only excluded dossiers gives a null denominator', () => {
    const counts = countDossierMetrics([dossier({ status: 7 }), dossier({ dueAt: null })], JAN, JAN.end);
    expect(counts['dossier.on_time_rate']).toEqual({ numerator: 0, denominator: null });
    expect(counts['dossier.online_submission_rate']).toEqual({ numerator: 0, denominator: 2 });
  });

  it('on-time rate: province and commune levels split by handlingLevel; no level counts in the total only', () => {
    const counts = countDossierMetrics(
      [
        dossier({ handlingLevel: 'TINH', status: 9, processedAt: vn(2026, 1, 20) }),
        dossier({ handlingLevel: 'TINH', status: 9, processedAt: vn(2026, 1, 22) }),
        dossier({ handlingLevel: 'XA', status: 9, processedAt: vn(2026, 1, 20) }),
        dossier({ handlingLevel: null, status: 9, processedAt: vn(2026, 1, 20) }),
      ],
      JAN,
      JAN.end,
    );
    expect(counts['dossier.on_time_rate']).toEqual({ numerator: 3, denominator: 4 });
    expect(counts['dossier.on_time_rate.province_level']).toEqual({ numerator: 1, denominator: 2 });
    expect(counts['dossier.on_time_rate.commune_level']).toEqual({ numerator: 1, denominator: 1 });
  });

  it('on-time rate: a dossier carried over from the previous period counts in the period it is finished', () => {
    const carried = dossier({
      receivedAt: vn(2026, 1, 28),
      dueAt: vn(2026, 2, 4, 17),
      status: 10,
      processedAt: vn(2026, 2, 3),
      returnedAt: vn(2026, 2, 4),
    });
    // January: unfinished at the end of January, not yet due → pending (on time)
    expect(countDossierMetrics([carried], JAN, JAN.end)['dossier.on_time_rate']).toEqual({ numerator: 1, denominator: 1 });
    // February: finished on time in February
    const feb = countDossierMetrics([carried], FEB, FEB.end);
    expect(feb['dossier.on_time_rate']).toEqual({ numerator: 1, denominator: 1 });
    // ...but it was received in January, so it is not in February's received-based metrics
    expect(feb['dossier.online_submission_rate']).toEqual({ numerator: 0, denominator: null });
  });

  it('on-time rate: a dossier finished before the period starts is not in the period', () => {
    const done = dossier({ status: 10, processedAt: vn(2026, 1, 20) });
    expect(countDossierMetrics([done], FEB, FEB.end)['dossier.on_time_rate']).toEqual({ numerator: 0, denominator: null });
  });

  it('on-time rate: a dossier received after the period is not in the period', () => {
    const later = dossier({ receivedAt: vn(2026, 2, 1), dueAt: vn(2026, 2, 5) });
    expect(countDossierMetrics([later], JAN, JAN.end)['dossier.on_time_rate']).toEqual({ numerator: 0, denominator: null });
  });

  it('on-time rate: an open period judges unfinished dossiers at now', () => {
    const d = dossier({ status: 4 }); // due 21 Jan 17:00
    const before = countDossierMetrics([d], JAN, asOfFor(JAN, vn(2026, 1, 21, 16)));
    expect(before['dossier.on_time_rate']).toEqual({ numerator: 1, denominator: 1 });
    const after = countDossierMetrics([d], JAN, asOfFor(JAN, vn(2026, 1, 21, 18)));
    expect(after['dossier.on_time_rate']).toEqual({ numerator: 0, denominator: 1 });
  });

  it('received in the period is by Vietnam time: 00:30 on 1 January belongs to the new year', () => {
    const d = dossier({ receivedAt: new Date('2025-12-31T17:30:00Z'), channel: 2 });
    expect(countDossierMetrics([d], yearPeriod(2026), yearPeriod(2026).end)['dossier.online_submission_rate']).toEqual({ numerator: 1, denominator: 1 });
    expect(countDossierMetrics([d], yearPeriod(2025), yearPeriod(2025).end)['dossier.online_submission_rate']).toEqual({ numerator: 0, denominator: null });
  });

  it('received exactly at the period end belongs to the next period', () => {
    const d = dossier({ receivedAt: JAN.end });
    expect(countDossierMetrics([d], JAN, JAN.end)['dossier.digitisation_rate'].denominator).toBeNull();
    expect(countDossierMetrics([d], FEB, FEB.end)['dossier.digitisation_rate'].denominator).toBe(1);
  });

  it('online and postal submission rates: channel 2 and 3 over every dossier received', () => {
    const counts = countDossierMetrics(
      [dossier({ channel: 1 }), dossier({ channel: 2 }), dossier({ channel: 2, status: 7 }), dossier({ channel: 3 })],
      JAN,
      JAN.end,
    );
    expect(counts['dossier.online_submission_rate']).toEqual({ numerator: 2, denominator: 4 });
    expect(counts['dossier.postal_submission_rate']).toEqual({ numerator: 1, denominator: 4 });
  });

  it('postal result rate: HinhThuc 1 over dossiers with HinhThuc given', () => {
    const counts = countDossierMetrics(
      [dossier({ resultDelivery: 1 }), dossier({ resultDelivery: 0 }), dossier({ resultDelivery: null })],
      JAN,
      JAN.end,
    );
    expect(counts['dossier.postal_result_rate']).toEqual({ numerator: 1, denominator: 2 });
  });

  it('postal result rate: no HinhThuc anywhere gives a null denominator', () => {
    const counts = countDossierMetrics([dossier({ resultDelivery: null })], JAN, JAN.end);
    expect(counts['dossier.postal_result_rate']).toEqual({ numerator: 0, denominator: null });
  });

  it('online payment rate: paid online (1 or 2) over fee-bearing dossiers', () => {
    const counts = countDossierMetrics(
      [
        dossier({ hasFee: true, feeTotal: 50000, onlinePaymentChannel: 1 }),
        dossier({ hasFee: true, feeTotal: 50000, onlinePaymentChannel: 2 }),
        dossier({ hasFee: true, feeTotal: 50000, onlinePaymentChannel: null }),
        dossier({ hasFee: false, feeTotal: 0, onlinePaymentChannel: 1 }), // no fee: not counted at all
      ],
      JAN,
      JAN.end,
    );
    expect(counts['dossier.online_payment_rate']).toEqual({ numerator: 2, denominator: 3 });
  });

  it('online payment rate: no fee-bearing dossier gives a null denominator', () => {
    const counts = countDossierMetrics([dossier({ hasFee: false })], JAN, JAN.end);
    expect(counts['dossier.online_payment_rate']).toEqual({ numerator: 0, denominator: null });
  });

  it('digitisation rate: HoSoCoThanhPhanSoHoa = 1 over every dossier received', () => {
    const counts = countDossierMetrics([dossier({ digitised: true }), dossier({ digitised: false })], JAN, JAN.end);
    expect(counts['dossier.digitisation_rate']).toEqual({ numerator: 1, denominator: 2 });
  });

  it('accepts any iterable', () => {
    function* gen() {
      yield dossier({ channel: 2 });
    }
    expect(countDossierMetrics(gen(), JAN, JAN.end)['dossier.online_submission_rate']).toEqual({ numerator: 1, denominator: 1 });
  });
});

describe('countProcedureMetrics', () => {
  const procedure = (onlineLevel: NormalisedProcedure['onlineLevel']): NormalisedProcedure => ({
    provinceCode: '44',
    procedureCode: `1.00${++seq}`,
    name: null,
    fieldCode: null,
    onlineLevel,
    levels: ['TINH'],
    hasFee: null,
    fullyOnlineEligible: null,
    hasPaperResult: null,
  });

  it('fully online share: MucDo 4 over every procedure of the catalogue', () => {
    expect(countProcedureMetrics([procedure(4), procedure(3), procedure(2), procedure(null)])['procedure.fully_online_share']).toEqual({
      numerator: 1,
      denominator: 4,
    });
  });

  it('no procedures gives a null denominator', () => {
    expect(countProcedureMetrics([])['procedure.fully_online_share']).toEqual({ numerator: 0, denominator: null });
  });
});
