import { fieldPaths, isPersonalField, maskForView, personalLogPaths, redactDetail, redactText } from './personal-fields';

describe('personal fields', () => {
  it.each(['ChuHoSo', 'SoGiayToChuHoSo', 'SoDienThoai', 'Email', 'hoTen', 'ho_ten', 'citizen.phone', 'data[0].email', 'Địa chỉ', 'Người nhận', 'cccd', 'contactEmail'])(
    '%s is personal',
    (name) => expect(isPersonalField(name)).toBe(true),
  );

  it.each(['MaHoSo', 'NgayTiepNhan', 'TrangThaiHoSo', 'metric', 'numerator', 'total', 'Mã vận đơn', 'departmentName'])('%s is not personal', (name) =>
    expect(isPersonalField(name)).toBe(false),
  );

  it('masks personal values in free text: e-mail, phones, ID numbers and quoted values of personal fields', () => {
    const text = 'record 3: ChuHoSo: "Nguyễn Văn A", Email=a.b@example.vn, SoDienThoai 0912 345 678, id 001090012345, MaHoSo: H44.22-1';
    const out = redactText(text);
    for (const secret of ['Nguyễn Văn A', 'a.b@example.vn', '0912 345 678', '001090012345']) expect(out).not.toContain(secret);
    expect(out).toContain('MaHoSo: H44.22-1');
    expect(out).toContain('Email=<text, 14 characters>');
    expect(redactText('write to a.b@example.vn')).toBe('write to <e-mail>');
  });

  it('masks the quoted value, the subject and personal values in a quarantine detail; keeps reason words and paths', () => {
    const out = redactDetail('record 3 of $.items[*] (Trần Văn C): "0912.345.678" is not a plain decimal number', { subject: 'Trần Văn C', field: '$.done' });
    expect(out).toBe('record 3 of $.items[*] (<text, 10 characters>): <text, 12 characters> is not a plain decimal number');
  });

  it('keeps structure and counts of a preview, masks texts and personal values, bounds lists', () => {
    const view = maskForView({ period: '2025-12', records: 3, sample: { hoTen: 'Trần Thị B', age: 40, note: 'free text' }, figures: Array.from({ length: 30 }, (_, i) => ({ metric: 'sector.x', numerator: i })) }) as Record<string, any>;
    expect(view.period).toBe('2025-12');
    expect(view.records).toBe(3);
    expect(view.sample.hoTen).toBe('<text, 10 characters>');
    expect(view.sample.note).toBe('<text, 9 characters>');
    expect(view.figures).toHaveLength(21);
    expect(view.figures[20]).toBe('<10 more>');
    expect(JSON.stringify(view)).not.toContain('Trần');
  });

  it('lists field paths without values', () => {
    expect(fieldPaths([{ a: 1, b: { c: 'x' }, l: [{ d: 1 }] }])).toEqual(['a', 'b', 'b.c', 'l', 'l[].d']);
  });

  it('gives log redaction paths for the contract fields', () => {
    expect(personalLogPaths()).toEqual(expect.arrayContaining(['*.ChuHoSo', '*.SoGiayToChuHoSo', '*.SoDienThoai', '*.Email']));
  });
});
