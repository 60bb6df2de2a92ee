import { readFileSync } from 'fs';
import { join } from 'path';
import { quarterPeriod, vietnamWallClockToDate } from '../../platform/time/vietnam-time';
import {
  authHeaders,
  buildRequest,
  checkEnvelope,
  extractFigures,
  extractPositionedRecords,
  nextPaging,
  parseDeclarativeConfig,
  periodsInWindow,
  resolveUnits,
  startPaging,
} from './declarative.engine';

/** The configuration shipped in config/sources, read against the document-management contract's examples. */
const raw = JSON.parse(readFileSync(join(__dirname, '../../../config/sources/document-management.json'), 'utf8'));

const example = {
  status: 'success',
  data: {
    maDonVi: '000.00.00.H44',
    tuNgay: '2026-01-01',
    denNgay: '2026-03-31',
    vanBanDi: { tong: 12040, dienTu: 11890, kySo: 11500, lienThongTrucQuocGia: 4300 },
    vanBanDen: { tong: 30211, dienTu: 29980 },
    donVi: [
      {
        maDonVi: '000.01.44.H44',
        tenDonVi: 'Sở Nội vụ',
        vanBanDi: { tong: 800, dienTu: 800, kySo: 790, lienThongTrucQuocGia: 120 },
        vanBanDen: { tong: 2100, dienTu: 2090 },
      },
    ],
  },
};

describe('config/sources/document-management.json', () => {
  const { config, errors } = parseDeclarativeConfig(raw);

  it('is a valid declarative configuration', () => {
    expect(errors).toEqual([]);
    expect(config).not.toBeNull();
  });

  it('requests each closed quarter for the province unit, with the apikey header', () => {
    const c = config!;
    const { units } = resolveUnits(c, { province: '44' });
    expect(units).toEqual(['000.00.00.H44']);
    const periods = periodsInWindow(c.period, vietnamWallClockToDate(2026, 1, 1)!, vietnamWallClockToDate(2026, 7, 1)!, vietnamWallClockToDate(2026, 5, 10)!);
    expect(periods.map((p) => p.key)).toEqual(['2026-Q1']);
    const paging = startPaging(c);
    expect(buildRequest(c, { unit: units[0], period: periods[0] }, paging)).toEqual({
      path: '/qlvb/v1/thongke',
      query: { maDonVi: '000.00.00.H44', tuNgay: '2026-01-01', denNgay: '2026-03-31' },
      headers: {},
    });
    expect(authHeaders(c, 'secret')).toEqual({ apikey: 'secret' });
    expect(nextPaging(c, paging, example, 2)).toBeNull();
  });

  it('produces the province totals (subject "") and each unit from the example response', () => {
    const c = config!;
    expect(checkEnvelope(c, example)).toBeNull();
    const records = extractPositionedRecords(c, example);
    expect(records).toHaveLength(2);
    const all = records.map((r) => extractFigures(c, r.record, r.position));
    expect(all.flatMap((r) => r.problems)).toEqual([]);
    const figures = all.flatMap((r) => r.figures);
    expect(figures).toEqual([
      { metric: 'sector.docs.outgoing_electronic_share', subject: '', numerator: 11890, denominator: 12040 },
      { metric: 'sector.docs.outgoing_signed_share', subject: '', numerator: 11500, denominator: 12040 },
      { metric: 'sector.docs.outgoing_national_axis_share', subject: '', numerator: 4300, denominator: 12040 },
      { metric: 'sector.docs.incoming_electronic_share', subject: '', numerator: 29980, denominator: 30211 },
      { metric: 'sector.docs.outgoing_electronic_share', subject: '000.01.44.H44', numerator: 800, denominator: 800 },
      { metric: 'sector.docs.outgoing_signed_share', subject: '000.01.44.H44', numerator: 790, denominator: 800 },
      { metric: 'sector.docs.outgoing_national_axis_share', subject: '000.01.44.H44', numerator: 120, denominator: 800 },
      { metric: 'sector.docs.incoming_electronic_share', subject: '000.01.44.H44', numerator: 2090, denominator: 2100 },
    ]);
    const share = (metric: string, subject: string) => {
      const f = figures.find((x) => x.metric === metric && x.subject === subject)!;
      return Math.round((f.numerator / f.denominator!) * 10000) / 100;
    };
    expect(share('sector.docs.outgoing_electronic_share', '')).toBe(98.75);
    expect(share('sector.docs.outgoing_signed_share', '')).toBe(95.51);
    expect(share('sector.docs.outgoing_national_axis_share', '')).toBe(35.71);
    expect(share('sector.docs.incoming_electronic_share', '')).toBe(99.24);
    expect(share('sector.docs.outgoing_signed_share', '000.01.44.H44')).toBe(98.75);
  });

  it('classifies the contract errors as permanent', () => {
    const c = config!;
    for (const code of ['AUTHEN_ERROR', 'AGENCY_ID_INCORRECT', 'DATA_INCORRECT']) {
      expect(checkEnvelope(c, { status: 'error', code, message: 'x' })).toEqual({ code, message: 'x', permanent: true });
    }
    expect(checkEnvelope(c, { status: 'error', code: 'SYSTEM_BUSY', message: 'y' })).toMatchObject({ permanent: false });
  });

  it('reports a unit without vanBanDen as missing values, not zeros', () => {
    const c = config!;
    const partial = { ...example, data: { ...example.data, donVi: [{ maDonVi: 'X', vanBanDi: { tong: 0, dienTu: 0, kySo: 0, lienThongTrucQuocGia: 0 } }] } };
    const unit = extractPositionedRecords(c, partial)[1];
    const r = extractFigures(c, unit.record, unit.position);
    expect(r.figures.map((f) => f.denominator)).toEqual([null, null, null]);
    expect(r.problems).toEqual([
      {
        metric: 'sector.docs.incoming_electronic_share',
        field: '$.vanBanDen.dienTu',
        reason: 'MISSING_VALUE',
        detail: 'record 0 of $.data.donVi[*] (X): no value at $.vanBanDen.dienTu',
      },
    ]);
  });

  it('uses the quarter key and inclusive end date for every quarter', () => {
    const c = config!;
    const q4 = quarterPeriod(2025, 4);
    expect(buildRequest(c, { unit: 'u', period: q4 }, startPaging(c)).query).toMatchObject({ tuNgay: '2025-10-01', denNgay: '2025-12-31' });
  });
});
