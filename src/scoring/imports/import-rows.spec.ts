import { checkImportRows, parseImportCsv } from './import-rows';

const isProvince = (c: string) => ['01', '44', '79'].includes(c);

describe('imported values', () => {
  it('accepts valid rows from CSV (comma or semicolon)', () => {
    const rows = parseImportCsv('\uFEFFprovinceCode;year;key;value;max\n44;2025;sipas;82.5;100\n79;2025;survey.pci;7;10\n');
    expect(checkImportRows(rows, isProvince)).toEqual({
      rows: [
        { provinceCode: '44', year: 2025, key: 'sipas', value: 82.5, max: 100 },
        { provinceCode: '79', year: 2025, key: 'survey.pci', value: 7, max: 10 },
      ],
      errors: [],
    });
  });

  it('rejects the whole upload, naming each bad row and field', () => {
    const { rows, errors } = checkImportRows(
      [
        { provinceCode: '99', year: 2025, key: 'sipas', value: 80, max: 100 },
        { provinceCode: '44', year: 'x', key: 'SIPAS!', value: 120, max: 100 },
        { provinceCode: '01', year: 2025, key: 'sipas', value: '', max: 0 },
        { provinceCode: '79', year: 2025, key: 'sipas', value: 1, max: 100 },
        { provinceCode: '79', year: 2025, key: 'sipas', value: 2, max: 100 },
      ],
      isProvince,
    );
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      expect.stringMatching(/^row 1: provinceCode "99"/),
      expect.stringMatching(/^row 2: year/),
      expect.stringMatching(/^row 2: key/),
      expect.stringMatching(/^row 2: value 120 is above max 100/),
      expect.stringMatching(/^row 3: value must be/),
      expect.stringMatching(/^row 3: max must be/),
      expect.stringMatching(/^row 5: sipas for 79 in 2025 appears twice/),
    ]);
  });

  it('rejects an empty upload', () => {
    expect(checkImportRows([], isProvince).errors).toEqual(['the upload has no rows']);
  });
});
