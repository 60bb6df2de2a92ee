import { normalContent, normalDate, quarantineIdentity } from './quarantine-identity';

const base = { entity: 'dossier', recordKey: 'H44.22-250101-0001', reason: 'INVALID_DATE', field: 'NgayTiepNhan' };

describe('quarantine identity', () => {
  it('is the same for a record re-sent with numbers as text, another date format, other spacing, key order or null for absent', () => {
    const first = quarantineIdentity({ ...base, record: { MaHoSo: 'H44.22-250101-0001', TrangThai: 2, NgayHenTra: '15/01/2025 08:30', Ten: 'Cấp  phép', Ghi: null } });
    const again = [
      { Ten: 'cấp phép ', TrangThai: '2', NgayHenTra: '2025-01-15T08:30:00', MaHoSo: 'H44.22-250101-0001' },
      { MaHoSo: 'H44.22-250101-0001', TrangThai: '2.0', NgayHenTra: '20250115083000', Ten: 'Cấp phép' },
      { MaHoSo: 'H44.22-250101-0001', TrangThai: 2, NgayHenTra: '2025-01-15T01:30:00Z', Ten: 'CẤP PHÉP' },
    ];
    for (const record of again) expect(quarantineIdentity({ ...base, record })).toBe(first);
  });

  it('differs when the record, its content, the reason or the field differ', () => {
    const record = { MaHoSo: 'H44.22-250101-0001', TrangThai: 2 };
    const id = quarantineIdentity({ ...base, record });
    expect(quarantineIdentity({ ...base, record: { ...record, TrangThai: 3 } })).not.toBe(id);
    expect(quarantineIdentity({ ...base, recordKey: 'H44.22-250101-0002', record })).not.toBe(id);
    expect(quarantineIdentity({ ...base, reason: 'MISSING_FIELD', record })).not.toBe(id);
    expect(quarantineIdentity({ ...base, field: 'NgayHenTra', record })).not.toBe(id);
  });

  it('keeps zero apart from missing', () => {
    expect(normalContent({ a: 0 })).toEqual({ a: 'n:0' });
    expect(normalContent({ a: '' })).toEqual({});
    expect(quarantineIdentity({ ...base, record: { a: 0 } })).not.toBe(quarantineIdentity({ ...base, record: {} }));
  });

  it('reads dates in the usual formats as Vietnam wall-clock time', () => {
    expect(normalDate('5/1/2025')).toBe('2025-01-05T00:00:00');
    expect(normalDate('2025-01-05T00:00:00+07:00')).toBe('2025-01-05T00:00:00');
    expect(normalDate('EB123VN')).toBeNull();
  });
});
