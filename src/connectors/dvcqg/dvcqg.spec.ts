import { TransientSourceError } from '../connector-errors';
import { envelopeError } from './dvcqg-evaluation.connector';
import { join } from 'node:path';
import { loadDvcqgMapping, parseDvcqgMapping } from './dvcqg-mapping';
import { dvcqgPeriods, requestBody } from './dvcqg-request';
import { DvcqgShapeError, readDvcqgData } from './dvcqg-response';
import { readDvcqgOptions, resolveProvince } from './dvcqg.options';

const ROOT = { rootDepartmentId: '11111111-1111-4111-8111-111111111111', departmentCode: 'H44' };

describe('dvcqg-evaluation options and mapping', () => {
  it('defaults to every period kind and endpoint, and names each bad field', () => {
    expect(readDvcqgOptions({}).options).toMatchObject({ periods: ['year', 'quarter', 'month'], pageSize: null, formalities: [] });
    expect(readDvcqgOptions({}).options.endpoints).toHaveLength(6);
    const { errors } = readDvcqgOptions({ periods: ['week'], endpoints: [], pageSize: 501, rootDepartmentId: 'x', userAgent: 'a\nb', formalities: [1], other: true });
    expect(errors.join('\n')).toMatch(/options\.periods[\s\S]*options\.endpoints[\s\S]*options\.pageSize[\s\S]*options\.rootDepartmentId[\s\S]*options\.userAgent[\s\S]*options\.formalities/);
    expect(errors.join('\n')).toMatch(/options\.other is not an option/);
  });

  it('takes the province from the mapping, overridable per connector', () => {
    const mapping = parseDvcqgMapping(`provinces:\n  "44": { rootDepartmentId: "${ROOT.rootDepartmentId}", departmentCode: "H44" }\n`);
    const { options } = readDvcqgOptions({});
    expect(resolveProvince('44', options, mapping).province).toEqual(ROOT);
    const override = readDvcqgOptions({ rootDepartmentId: '22222222-2222-4222-8222-222222222222', departmentCode: 'H99' }).options;
    expect(resolveProvince('44', override, mapping).province).toEqual({ rootDepartmentId: '22222222-2222-4222-8222-222222222222', departmentCode: 'H99' });
    expect(resolveProvince('01', options, mapping).errors[0]).toMatch(/province 01 is not in config\/dvcqg\/provinces.yaml: fill in its rootDepartmentId and departmentCode/);
    expect(() => parseDvcqgMapping('provinces:\n  "44": { rootDepartmentId: "nope", departmentCode: "H44" }\n')).toThrow(/provinces\.44\.rootDepartmentId/);
  });

  it('refuses a placeholder province, saying what to fill in; Phú Thọ (25) is confirmed as H44', () => {
    const shipped = loadDvcqgMapping(join(__dirname, '..', '..', '..', 'config', 'dvcqg', 'provinces.yaml'));
    const { options } = readDvcqgOptions({});
    expect(resolveProvince('25', options, shipped).province).toEqual({ rootDepartmentId: '019d2be3-6a88-732b-8b17-b68020c8553a', departmentCode: 'H44' });
    const refused = resolveProvince('79', options, shipped);
    expect(refused.province).toBeNull();
    expect(refused.errors[0]).toMatch(/province 79 is a placeholder in config\/dvcqg\/provinces.yaml: fill in its rootDepartmentId and departmentCode .* remove placeholder: true, or set options.rootDepartmentId/);
    expect(shipped.size).toBe(34);
    expect([...shipped.values()].filter((e) => !e.placeholder)).toHaveLength(1);
    expect(() => parseDvcqgMapping(`provinces:\n  "44": { placeholder: true, rootDepartmentId: "${ROOT.rootDepartmentId}" }\n`)).toThrow(/placeholder but has identifiers/);
  });
});

describe('dvcqg-evaluation requests', () => {
  it('asks for the closed periods the window touches (a month once it has ended), and the running ones, Vietnam time', () => {
    const from = new Date('2025-12-31T17:00:00Z'); // 2026-01-01 Vietnam time
    const now = new Date('2026-04-10T03:00:00Z');
    expect(dvcqgPeriods(['year', 'quarter', 'month'], from, now, now, { running: false }).map((p) => p.key)).toEqual(['2026-Q1', '2026-01', '2026-02', '2026-03']);
    expect(dvcqgPeriods(['year', 'quarter', 'month'], from, now, now).map((p) => p.key)).toEqual(['2026', '2026-Q1', '2026-Q2', '2026-01', '2026-02', '2026-03', '2026-04']);
    // 2026-04-30T17:30Z is already 1 May in Vietnam: April has closed, May is running
    const may = new Date('2026-04-30T17:30:00Z');
    expect(dvcqgPeriods(['month'], new Date('2026-04-30T10:00:00Z'), may, may).map((p) => p.key)).toEqual(['2026-04', '2026-05']);
    // stored provisional, closed since: fetched again to become final, even outside the window
    expect(dvcqgPeriods(['month'], may, new Date(may.getTime() + 3600_000), may, { pending: ['2026-03', '2026-Q1', '2026-06'] }).map((p) => p.key)).toEqual(['2026-03', '2026-05']);
  });

  it('builds the contract bodies, with the procedure filter spelt per endpoint', () => {
    expect(requestBody('transparency', '2026', ROOT.rootDepartmentId, 1, null, '')).toEqual({ timeType: 'year', year: 2026, rootDepartmentId: ROOT.rootDepartmentId, currentPage: 1, pageSize: 200 });
    expect(requestBody('dvc-progress-tree', '2026-Q3', ROOT.rootDepartmentId, 2, null, '')).toMatchObject({ timeType: 'quarter', year: 2026, quarter: 3, currentPage: 2, pageSize: 100 });
    expect(requestBody('provide-online-tree', '2026-08', ROOT.rootDepartmentId, 1, 50, '')).toMatchObject({ timeType: 'month', year: 2026, month: 8, pageSize: 50 });
    const satisfaction = requestBody('handling-satisfaction', '2026-Q3', ROOT.rootDepartmentId, 1, null, '');
    expect(satisfaction).toMatchObject({ fromDate: '2026-07-01', toDate: '2026-09-30' });
    expect(satisfaction).not.toHaveProperty('timeType');
    expect(requestBody('handling-satisfaction', '2024-02', ROOT.rootDepartmentId, 1, null, '')).toMatchObject({ fromDate: '2024-02-01', toDate: '2024-02-29' });
    expect(requestBody('dossier-digitized', '2026', ROOT.rootDepartmentId, 1, null, 'f1')).toMatchObject({ formalityID: 'f1' });
    expect(requestBody('dossier-digitized', '2026', ROOT.rootDepartmentId, 1, null, 'f1')).not.toHaveProperty('formalityId');
    expect(requestBody('transparency', '2026', ROOT.rootDepartmentId, 1, null, 'f1')).toMatchObject({ formalityId: 'f1' });
    // handling-satisfaction takes no procedure filter: none is sent
    expect(Object.keys(requestBody('handling-satisfaction', '2026', ROOT.rootDepartmentId, 1, null, 'f1')).join()).not.toMatch(/formality/i);
  });

  it('classifies error envelopes: busy and 5xx are transient, the rest permanent', () => {
    expect(envelopeError('x', { code: 'SYSTEM_BUSY', message: 'Hệ thống đang bận' }, 201)).toBeInstanceOf(TransientSourceError);
    expect(envelopeError('x', { code: 'ERROR', message: 'vui lòng thử lại sau' }, 200).permanent).toBe(false);
    expect(envelopeError('x', { code: 'ERROR' }, 503).permanent).toBe(false);
    const permanent = envelopeError('x', { code: 'PERIOD_NOT_ENDED', message: 'Tháng 2026-11 chưa kết thúc' }, 400);
    expect(permanent).toMatchObject({ permanent: true, code: 'BAD_REQUEST' });
    expect(permanent.message).toMatch(/PERIOD_NOT_ENDED Tháng 2026-11/);
  });
});

describe('dvcqg-evaluation answers', () => {
  it('reads a metric answer: province, units, every metric with nulls, official scores and flags', () => {
    const page = readDvcqgData(
      'transparency',
      {
        overview: {
          stt: 1, departmentId: ROOT.rootDepartmentId, departmentName: 'UBND tỉnh', totalScore: 12.5, totalMaxScore: 18, ratio: 69.44, scoreDelta: null,
          metrics: [
            { code: 'PUBLISH_ON_TIME', numerator: 40, denominator: 50, ratio: 80, score: 4.8, maxScore: 6 },
            { code: 'DOSSIER_SYNC', numerator: 9, denominator: 10, ratio: 90, score: 5.4, maxScore: 6, flags: [{ code: 'TEMP_NATIONAL_REPORT_DENOMINATOR', message: 'tạm tính' }] },
          ],
        },
        monthlyChart: [],
        evaluation: [
          { stt: 1, departmentId: 'u1', departmentCode: 'H44.101', totalScore: 3, totalMaxScore: 6, metrics: [{ code: 'PUBLISH_ON_TIME', numerator: null, denominator: null, ratio: null, score: null, maxScore: 6 }] },
          { stt: 2, departmentName: 'no id' },
          { stt: 3, departmentId: 'u1', departmentCode: 'H44.101' },
        ],
        pagination: { total: 3, currentPage: 1, pageSize: 200, totalPages: 1 },
        source: 'DVCQG',
        NO_SUCH: 1,
      },
      ROOT,
    );
    expect(page.totalPages).toBe(1);
    expect(page.units.map((u) => [u.departmentId, u.departmentCode, u.root, u.position])).toEqual([
      [ROOT.rootDepartmentId, 'H44', true, -1],
      ['u1', 'H44.101', false, 0],
    ]);
    expect(page.units[0]).toMatchObject({ totalScore: 12.5, totalMaxScore: 18, scoreDelta: null });
    expect(page.metrics).toHaveLength(3);
    expect(page.metrics[2]).toMatchObject({ code: 'PUBLISH_ON_TIME', numerator: null, score: null, maxScore: 6, root: false });
    expect(page.flags).toEqual([expect.objectContaining({ departmentId: ROOT.rootDepartmentId, metricCode: 'DOSSIER_SYNC', code: 'TEMP_NATIONAL_REPORT_DENOMINATOR', message: 'tạm tính' })]);
    expect(page.problems.map((p) => p.reason)).toEqual(['MISSING_FIELD', 'DUPLICATE_ID']);
    expect(page.extras).toMatchObject({ monthlyChart: [], NO_SUCH: 1 });
  });

  it('reads a tree answer: every raw parameter kept, null when absent', () => {
    const page = readDvcqgData(
      'dvc-progress-tree',
      {
        parent: { departmentId: ROOT.rootDepartmentId, departmentCode: 'H44', totalReceived: 1000, totalOnTime: 900, totalCompleted: 850, avgProcessingDays: 4.1, ratio: 90, totalScore: 18, totalMaxScore: 20 },
        children: [{ departmentId: 'c1', departmentCode: 'H44.104', level: 'COMMUNE', totalReceived: 120, totalOnTime: 100, totalOverdue: 20, avgProcessingDays: null, ratio: 83.33, score: 16.67, maxScore: 20, scoreDelta: null }],
        monthlyChart: [],
      },
      ROOT,
    );
    expect(page.totalPages).toBeNull();
    expect(page.units[0].rawParams).toEqual({ totalReceived: 1000, totalOnTime: 900, totalOverdue: null, totalCompleted: 850, avgProcessingDays: 4.1 });
    expect(page.units[1]).toMatchObject({ level: 'COMMUNE', totalScore: 16.67, totalMaxScore: 20, rawParams: { totalCompleted: null, avgProcessingDays: null } });
  });

  it('a missing part of the contract shape is an error', () => {
    expect(() => readDvcqgData('transparency', { overview: {}, evaluation: [] }, ROOT)).toThrow(DvcqgShapeError);
    expect(() => readDvcqgData('dvc-progress-tree', { parent: {} }, ROOT)).toThrow(/children/);
  });
});
