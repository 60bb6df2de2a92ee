import { parseDossier, parseProcedure } from './dossier.parser';
import { DossierParseResult, NormalisedDossier } from './dossier.model';

/** The contract's example dossier. */
function sample(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    MaHoSo: 'H44.22-260114-0031',
    MaTTHC: '1.001234',
    TenTTHC: 'Cấp giấy phép',
    MaLinhVuc: 'G12',
    MaDonViXuLy: '000.22.44.H44',
    CapDonViXuLy: 'XA',
    KenhThucHien: 2,
    HinhThuc: 1,
    NgayTiepNhan: '20260114083012',
    NgayHenTra: '20260121170000',
    NgayKetThucXuLy: '20260120101500',
    NgayTra: '20260121090000',
    TrangThaiHoSo: 10,
    DuocThanhToanTrucTuyen: 1,
    DanhSachLePhi: [{ MaPhiLePhi: 'LP01', Gia: 50000 }],
    TaiLieuNop: [{ MaThanhPhanHoSo: 'TP1', DuocSoHoa: 1, DuocTaiSuDung: 0, DuocLayTuKhoDMQG: 0 }],
    DanhSachGiayToKetQua: [{ MaGiayToKetQua: 'KQ1', DuongDanTepTinKetQua: 'https://example.test/kq.pdf' }],
    DanhSachHoSoBoSung: [{ NgayBoSung: '20260115100000', NgayTiepNhanBoSung: '20260116090000' }],
    HoSoCoThanhPhanSoHoa: 1,
    ChuHoSo: 'Nguyễn Văn A',
    SoGiayToChuHoSo: '001090012345',
    SoDienThoai: '0912345678',
    Email: 'nguyen.van.a@example.test',
    NgayCapNhat: '20260121090000',
    ...overrides,
  };
}

function ok(result: DossierParseResult): NormalisedDossier {
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}: ${result.detail}`);
  return result.dossier;
}

function rejected(result: DossierParseResult) {
  if (result.ok) throw new Error('expected a quarantine verdict');
  return result;
}

describe('parseDossier', () => {
  it('normalises the contract example', () => {
    expect(ok(parseDossier(sample(), '44'))).toEqual({
      provinceCode: '44',
      dossierId: 'H44.22-260114-0031',
      procedureCode: '1.001234',
      fieldCode: 'G12',
      handlingUnitCode: '000.22.44.H44',
      handlingLevel: 'XA',
      channel: 2,
      resultDelivery: 1,
      status: 10,
      receivedAt: new Date('2026-01-14T01:30:12.000Z'),
      dueAt: new Date('2026-01-21T10:00:00.000Z'),
      processedAt: new Date('2026-01-20T03:15:00.000Z'),
      returnedAt: new Date('2026-01-21T02:00:00.000Z'),
      sourceUpdatedAt: new Date('2026-01-21T02:00:00.000Z'),
      onlinePaymentChannel: 1,
      feeTotal: 50000,
      hasFee: true,
      componentCount: 1,
      digitisedComponentCount: 1,
      reusedComponentCount: 0,
      resultFileCount: 1,
      digitised: true,
      supplementCount: 1,
      // 15 Jan 10:00 → 16 Jan 09:00 = 23 h
      supplementPauseSeconds: 23 * 3600,
    });
  });

  it('never copies personal data into the output', () => {
    const raw = sample();
    const result = parseDossier(raw, '44');
    const text = JSON.stringify(result);
    for (const key of ['ChuHoSo', 'SoGiayToChuHoSo', 'SoDienThoai', 'Email']) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(String(raw[key]));
    }
    expect(Object.keys(ok(result))).not.toEqual(expect.arrayContaining(['ChuHoSo']));
  });

  it('never copies personal data into a quarantine verdict either', () => {
    const result = parseDossier(sample({ KenhThucHien: 9 }), '44');
    const text = JSON.stringify(result);
    expect(text).not.toContain('Nguyễn Văn A');
    expect(text).not.toContain('001090012345');
    expect(text).not.toContain('0912345678');
    expect(text).not.toContain('example.test');
  });

  it('reads numbers sent as strings and missing values sent as "" or null', () => {
    const d = ok(
      parseDossier(
        sample({
          KenhThucHien: '3',
          HinhThuc: '',
          TrangThaiHoSo: ' 4 ',
          DuocThanhToanTrucTuyen: null,
          HoSoCoThanhPhanSoHoa: '0',
          NgayKetThucXuLy: '',
          NgayTra: null,
          CapDonViXuLy: '',
          MaTTHC: null,
          DanhSachLePhi: [{ Gia: '20000' }, { Gia: '15000' }, { Gia: '' }],
        }),
        '44',
      ),
    );
    expect(d.channel).toBe(3);
    expect(d.resultDelivery).toBeNull();
    expect(d.status).toBe(4);
    expect(d.onlinePaymentChannel).toBeNull();
    expect(d.digitised).toBe(false);
    expect(d.processedAt).toBeNull();
    expect(d.returnedAt).toBeNull();
    expect(d.handlingLevel).toBeNull();
    expect(d.procedureCode).toBeNull();
    expect(d.feeTotal).toBe(35000);
    expect(d.hasFee).toBe(true);
  });

  it('reads dd/MM/yyyy HH:mm:ss dates as Vietnam time', () => {
    const d = ok(parseDossier(sample({ NgayTiepNhan: '14/01/2026 08:30:12' }), '44'));
    expect(d.receivedAt).toEqual(new Date('2026-01-14T01:30:12.000Z'));
  });

  it('maps payment channels other than 1 and 2 to null', () => {
    expect(ok(parseDossier(sample({ DuocThanhToanTrucTuyen: '2' }), '44')).onlinePaymentChannel).toBe(2);
    expect(ok(parseDossier(sample({ DuocThanhToanTrucTuyen: 0 }), '44')).onlinePaymentChannel).toBeNull();
    expect(ok(parseDossier(sample({ DuocThanhToanTrucTuyen: 3 }), '44')).onlinePaymentChannel).toBeNull();
  });

  it('derives fees: null without a list, false when the total is 0', () => {
    const none = ok(parseDossier(sample({ DanhSachLePhi: null }), '44'));
    expect(none.feeTotal).toBeNull();
    expect(none.hasFee).toBe(false);
    const empty = ok(parseDossier(sample({ DanhSachLePhi: [] }), '44'));
    expect(empty.feeTotal).toBeNull();
    expect(empty.hasFee).toBe(false);
    const blank = ok(parseDossier(sample({ DanhSachLePhi: '' }), '44'));
    expect(blank.feeTotal).toBeNull();
    const free = ok(parseDossier(sample({ DanhSachLePhi: [{ MaPhiLePhi: 'LP0', Gia: 0 }] }), '44'));
    expect(free.feeTotal).toBe(0);
    expect(free.hasFee).toBe(false);
  });

  it('counts components, re-use and result files', () => {
    const d = ok(
      parseDossier(
        sample({
          TaiLieuNop: [
            { DuocSoHoa: 1, DuocTaiSuDung: 1, DuocLayTuKhoDMQG: 0 },
            { DuocSoHoa: '1', DuocTaiSuDung: '', DuocLayTuKhoDMQG: '1' },
            { DuocSoHoa: 0, DuocTaiSuDung: 1, DuocLayTuKhoDMQG: 1 },
            { DuocSoHoa: null },
          ],
          DanhSachGiayToKetQua: [
            { DuongDanTepTinKetQua: 'https://x/1.pdf' },
            { DuongDanTepTinKetQua: '' },
            { DuongDanTepTinKetQua: null },
            { MaGiayToKetQua: 'KQ4' },
            { DuongDanTepTinKetQua: 'https://x/5.pdf' },
          ],
        }),
        '44',
      ),
    );
    expect(d.componentCount).toBe(4);
    expect(d.digitisedComponentCount).toBe(2);
    expect(d.reusedComponentCount).toBe(3);
    expect(d.resultFileCount).toBe(2);
  });

  describe('supplements', () => {
    it('counts them and takes the pause of the first one only', () => {
      const d = ok(
        parseDossier(
          sample({
            DanhSachHoSoBoSung: [
              { NgayBoSung: '20260115100000', NgayTiepNhanBoSung: '20260115103000' },
              { NgayBoSung: '20260116100000', NgayTiepNhanBoSung: '20260118100000' },
            ],
          }),
          '44',
        ),
      );
      expect(d.supplementCount).toBe(2);
      expect(d.supplementPauseSeconds).toBe(1800);
    });
    it('uses 0 when the resubmission is missing or before the request', () => {
      const missing = ok(parseDossier(sample({ DanhSachHoSoBoSung: [{ NgayBoSung: '20260115100000', NgayTiepNhanBoSung: '' }] }), '44'));
      expect(missing.supplementCount).toBe(1);
      expect(missing.supplementPauseSeconds).toBe(0);
      const negative = ok(
        parseDossier(sample({ DanhSachHoSoBoSung: [{ NgayBoSung: '20260115100000', NgayTiepNhanBoSung: '20260114100000' }] }), '44'),
      );
      expect(negative.supplementPauseSeconds).toBe(0);
    });
    it('is 0 / 0 without a list', () => {
      const d = ok(parseDossier(sample({ DanhSachHoSoBoSung: null }), '44'));
      expect(d.supplementCount).toBe(0);
      expect(d.supplementPauseSeconds).toBe(0);
    });
  });

  it('accepts CapDonViXuLy TINH', () => {
    expect(ok(parseDossier(sample({ CapDonViXuLy: 'TINH' }), '44')).handlingLevel).toBe('TINH');
  });

  describe('quarantine', () => {
    it.each([null, 'text', 42, [sample()]])('rejects %p as NOT_AN_OBJECT', (raw) => {
      const r = rejected(parseDossier(raw, '44'));
      expect(r.reason).toBe('NOT_AN_OBJECT');
      expect(r.dossierId).toBeNull();
    });

    it.each([undefined, '', '   ', null])('rejects MaHoSo %p as MISSING_ID', (id) => {
      const r = rejected(parseDossier(sample({ MaHoSo: id }), '44'));
      expect(r).toMatchObject({ reason: 'MISSING_ID', field: 'MaHoSo', dossierId: null });
    });

    it.each([
      ['NgayCapNhat', undefined, 'MISSING_UPDATED_AT'],
      ['NgayCapNhat', '', 'MISSING_UPDATED_AT'],
      ['NgayTiepNhan', null, 'MISSING_RECEIVED_AT'],
      ['NgayTiepNhan', '', 'MISSING_RECEIVED_AT'],
      ['NgayTiepNhan', '20261345250000', 'INVALID_DATE'],
      ['NgayHenTra', '20260231170000', 'INVALID_DATE'],
      ['NgayKetThucXuLy', 'yesterday', 'INVALID_DATE'],
      ['NgayTra', '32/01/2026 09:00:00', 'INVALID_DATE'],
      ['NgayCapNhat', { at: 1 }, 'INVALID_DATE'],
      ['KenhThucHien', 4, 'UNKNOWN_CODE'],
      ['KenhThucHien', null, 'UNKNOWN_CODE'],
      ['KenhThucHien', 'abc', 'INVALID_NUMBER'],
      ['HinhThuc', 2, 'UNKNOWN_CODE'],
      ['HinhThuc', 'x', 'INVALID_NUMBER'],
      ['TrangThaiHoSo', 11, 'UNKNOWN_CODE'],
      ['TrangThaiHoSo', 0, 'UNKNOWN_CODE'],
      ['TrangThaiHoSo', '', 'UNKNOWN_CODE'],
      ['TrangThaiHoSo', 'done', 'INVALID_NUMBER'],
      ['CapDonViXuLy', 'HUYEN', 'UNKNOWN_CODE'],
      ['DuocThanhToanTrucTuyen', 'yes', 'INVALID_NUMBER'],
      ['HoSoCoThanhPhanSoHoa', 'abc', 'INVALID_NUMBER'],
      ['DanhSachLePhi', 'many', 'NOT_AN_OBJECT'],
    ])('%s = %p → %s', (field, value, reason) => {
      const r = rejected(parseDossier(sample({ [field]: value }), '44'));
      expect(r.reason).toBe(reason);
      expect(r.field).toBe(field);
      expect(r.dossierId).toBe('H44.22-260114-0031');
      expect(r.detail.length).toBeGreaterThan(0);
    });

    it('points at the offending list entry', () => {
      expect(rejected(parseDossier(sample({ DanhSachLePhi: [{ Gia: 1 }, { Gia: 'abc' }] }), '44'))).toMatchObject({
        reason: 'INVALID_NUMBER',
        field: 'DanhSachLePhi[1].Gia',
      });
      expect(rejected(parseDossier(sample({ TaiLieuNop: [{ DuocSoHoa: 'x' }] }), '44'))).toMatchObject({
        reason: 'INVALID_NUMBER',
        field: 'TaiLieuNop[0].DuocSoHoa',
      });
      expect(
        rejected(parseDossier(sample({ DanhSachHoSoBoSung: [{ NgayBoSung: '20260115100000' }, { NgayBoSung: '20261345250000' }] }), '44')),
      ).toMatchObject({ reason: 'INVALID_DATE', field: 'DanhSachHoSoBoSung[1].NgayBoSung' });
      expect(rejected(parseDossier(sample({ TaiLieuNop: [null] }), '44'))).toMatchObject({
        reason: 'NOT_AN_OBJECT',
        field: 'TaiLieuNop[0]',
      });
    });
  });
});

describe('parseProcedure', () => {
  const procedure = {
    MaTTHC: '1.001234',
    TenTTHC: 'Cấp giấy phép',
    MaLinhVuc: 'G12',
    MucDo: 4,
    CapThucHien: ['TINH', 'XA'],
    CoPhiLePhi: true,
    DuDieuKienToanTrinh: true,
    CoKetQuaGiay: true,
  };

  it('normalises the contract example', () => {
    expect(parseProcedure(procedure, '44')).toEqual({
      ok: true,
      procedure: {
        provinceCode: '44',
        procedureCode: '1.001234',
        name: 'Cấp giấy phép',
        fieldCode: 'G12',
        onlineLevel: 4,
        levels: ['TINH', 'XA'],
        hasFee: true,
        fullyOnlineEligible: true,
        hasPaperResult: true,
      },
    });
  });

  it('reads loose booleans and levels', () => {
    const r = parseProcedure(
      { MaTTHC: '2.000815', MucDo: '3', CapThucHien: null, CoPhiLePhi: '0', DuDieuKienToanTrinh: 'TRUE', CoKetQuaGiay: '' },
      '44',
    );
    expect(r).toMatchObject({
      ok: true,
      procedure: { onlineLevel: 3, levels: [], hasFee: false, fullyOnlineEligible: true, hasPaperResult: null, name: null },
    });
    const numeric = parseProcedure({ MaTTHC: 'x', MucDo: null, CoPhiLePhi: 1, DuDieuKienToanTrinh: 0, CoKetQuaGiay: 'false' }, '44');
    expect(numeric).toMatchObject({
      ok: true,
      procedure: { onlineLevel: null, hasFee: true, fullyOnlineEligible: false, hasPaperResult: false },
    });
  });

  it('quarantines a missing code, an unknown level and an unreadable boolean', () => {
    expect(parseProcedure({ ...procedure, MaTTHC: '' }, '44')).toMatchObject({ ok: false, reason: 'MISSING_ID', procedureCode: null });
    expect(parseProcedure({ ...procedure, MucDo: 5 }, '44')).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_CODE',
      field: 'MucDo',
      procedureCode: '1.001234',
    });
    expect(parseProcedure({ ...procedure, MucDo: 'abc' }, '44')).toMatchObject({ ok: false, reason: 'INVALID_NUMBER', field: 'MucDo' });
    expect(parseProcedure({ ...procedure, CoPhiLePhi: 'maybe' }, '44')).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_CODE',
      field: 'CoPhiLePhi',
    });
    expect(parseProcedure('nope', '44')).toMatchObject({ ok: false, reason: 'NOT_AN_OBJECT', procedureCode: null });
  });
});
