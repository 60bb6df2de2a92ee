import { Test } from '@nestjs/testing';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../platform/config/app-config';
import { ConfigModule } from '../platform/config/config.module';
import { UnitsController } from './units.controller';
import {
  CURRENT_UNITS_FILE,
  CURRENT_UNITS_VERSION,
  FORMER_UNITS_FILE,
  FORMER_UNITS_VERSION,
  loadUnits,
  MERGES_FILE,
  UnitsCatalogue,
} from './units.loader';
import { UnitsModule } from './units.module';

const UNITS_DIR = join(__dirname, '..', '..', 'config', 'units');
const FILES = [CURRENT_UNITS_FILE, FORMER_UNITS_FILE, MERGES_FILE];

describe('loadUnits (config/units)', () => {
  const units = loadUnits(UNITS_DIR);

  it('has the 34 current units and the 63 former ones', () => {
    expect(units.currentProvinces()).toHaveLength(34);
    expect(units.formerProvinces()).toHaveLength(63);
    expect(units.merges()).toHaveLength(63);
  });

  it('keeps leading zeros and sorts by code', () => {
    const codes = units.currentProvinces().map((p) => p.code);
    expect(codes[0]).toBe('01');
    expect(codes).toEqual([...codes].sort());
  });

  it('counts 28 provinces and 6 cities', () => {
    const current = units.currentProvinces();
    expect(current.filter((p) => p.type === 'tinh')).toHaveLength(28);
    expect(current.filter((p) => p.type === 'thanh_pho')).toHaveLength(6);
  });

  it('stamps catalogue versions', () => {
    expect(units.province('01')!.catalogueVersion).toBe(CURRENT_UNITS_VERSION);
    expect(units.formerProvince('01')!.catalogueVersion).toBe(FORMER_UNITS_VERSION);
  });

  it('isCurrentProvince: 80 is current, 72 (Tây Ninh before the merge) and 28 (Hà Tây) are not', () => {
    expect(units.isCurrentProvince('80')).toBe(true);
    expect(units.isCurrentProvince('72')).toBe(false);
    expect(units.isCurrentProvince('28')).toBe(false);
    expect(units.isCurrentProvince('8')).toBe(false);
  });

  it('a reused code names different units in each catalogue: 80 was Long An, is Tây Ninh', () => {
    expect(units.formerProvince('80')!.name).toBe('Tỉnh Long An');
    expect(units.province('80')!.name).toBe('Tỉnh Tây Ninh');
  });

  it('successorOf maps a former unit to the unit it merged into', () => {
    expect(units.successorOf('02')!.code).toBe('08'); // Hà Giang → Tuyên Quang
    expect(units.successorOf('72')!.code).toBe('80'); // Tây Ninh (old code) → Tây Ninh
    expect(units.successorOf('01')!.code).toBe('01'); // not merged
    expect(units.successorOf('99')).toBeUndefined();
  });

  it('predecessorsOf lists the former units of a current unit', () => {
    expect(units.predecessorsOf('08').map((f) => f.code)).toEqual(['02', '08']);
    expect(units.predecessorsOf('01').map((f) => f.code)).toEqual(['01']);
    expect(units.predecessorsOf('02')).toEqual([]);
  });

  it('every former unit maps to a current one and the merge takes effect on 2025-07-01', () => {
    for (const f of units.formerProvinces()) {
      expect(units.successorOf(f.code)).toBeDefined();
      expect(f.effectiveTo).toBe('2025-06-30');
    }
    expect(new Set(units.merges().map((m) => m.effectiveFrom))).toEqual(new Set(['2025-07-01']));
    const total = units.currentProvinces().reduce((n, p) => n + units.predecessorsOf(p.code).length, 0);
    expect(total).toBe(63);
  });

  it('the returned lists are copies', () => {
    units.predecessorsOf('08').pop();
    expect(units.predecessorsOf('08')).toHaveLength(2);
  });
});

describe('loadUnits (bad input)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'units-'));
    for (const f of FILES) copyFileSync(join(UNITS_DIR, f), join(dir, f));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const lines = (file: string): string[] => readFileSync(join(dir, file), 'utf8').split('\n');
  const write = (file: string, content: string[]): void => writeFileSync(join(dir, file), content.join('\n'));
  const edit = (file: string, line: number, fn: (l: string) => string): void => {
    const content = lines(file);
    content[line - 1] = fn(content[line - 1]);
    write(file, content);
  };

  it('loads the untouched copy', () => {
    expect(loadUnits(dir).currentProvinces()).toHaveLength(34);
  });

  it('names a missing file', () => {
    unlinkSync(join(dir, MERGES_FILE));
    expect(() => loadUnits(dir)).toThrow(/^province-merges-2025\.csv: cannot read/);
  });

  it('names the file and line of a wrong header', () => {
    edit(CURRENT_UNITS_FILE, 1, () => 'code,name,type,from,admin_centre_former_code');
    expect(() => loadUnits(dir)).toThrow(/^provinces-2025\.csv:1: header is/);
  });

  it('names the file and line of a duplicate code', () => {
    const content = lines(CURRENT_UNITS_FILE);
    content[2] = content[1]; // line 3 repeats line 2
    write(CURRENT_UNITS_FILE, content);
    expect(() => loadUnits(dir)).toThrow(/^provinces-2025\.csv:3: code 01 appears twice/);
  });

  it('names the file and line of a code without its leading zero', () => {
    edit(FORMER_UNITS_FILE, 3, (l) => l.replace(/^02,/, '2,'));
    expect(() => loadUnits(dir)).toThrow(/^provinces-2004\.csv:3: code "2" is not a two-digit code/);
  });

  it('names the file and line of a row with a missing value', () => {
    edit(FORMER_UNITS_FILE, 4, (l) => l.split(',').slice(0, 3).join(','));
    expect(() => loadUnits(dir)).toThrow(/^provinces-2004\.csv:4: has 3 values, expected 4/);
  });

  it('names the file and line of an unknown type', () => {
    edit(CURRENT_UNITS_FILE, 2, (l) => l.replace('thanh_pho', 'city'));
    expect(() => loadUnits(dir)).toThrow(/^provinces-2025\.csv:2: type "city"/);
  });

  it('names the file and line of an invalid date', () => {
    edit(CURRENT_UNITS_FILE, 2, (l) => l.replace('2025-07-01', '2025-02-30'));
    expect(() => loadUnits(dir)).toThrow(/^provinces-2025\.csv:2: effective_from "2025-02-30"/);
  });

  it('rejects the wrong number of current units', () => {
    write(CURRENT_UNITS_FILE, lines(CURRENT_UNITS_FILE).slice(0, -2)); // drop the last unit (file ends with \n)
    expect(() => loadUnits(dir)).toThrow(/^provinces-2025\.csv: has 33 units, expected 34/);
  });

  it('names the file and line of a merge into an unknown current unit', () => {
    edit(MERGES_FILE, 3, (l) => l.replace(',08,', ',09,'));
    expect(() => loadUnits(dir)).toThrow(/^province-merges-2025\.csv:3: current_code 09 is not in provinces-2025\.csv/);
  });

  it('names the file and line of a former name that does not match', () => {
    edit(MERGES_FILE, 3, (l) => l.replace('Tỉnh Hà Giang', 'Tỉnh Hà Giang mới'));
    expect(() => loadUnits(dir)).toThrow(/^province-merges-2025\.csv:3: former_name/);
  });

  it('names the line of a former unit mapped twice', () => {
    const content = lines(MERGES_FILE);
    content[3] = content[2];
    write(MERGES_FILE, content);
    expect(() => loadUnits(dir)).toThrow(/^province-merges-2025\.csv:4: former_code 02 appears twice/);
  });

  it('rejects a former unit with no merge row', () => {
    const content = lines(MERGES_FILE);
    content.splice(2, 1); // drop 02 Hà Giang
    write(MERGES_FILE, content);
    expect(() => loadUnits(dir)).toThrow(/^province-merges-2025\.csv: former unit 02 .*provinces-2004\.csv:3/);
  });

  it('rejects an admin centre that is not merged into the unit', () => {
    edit(CURRENT_UNITS_FILE, 4, (l) => l.replace(/,08$/, ',01')); // 08 Tuyên Quang, centre in Hà Nội
    expect(() => loadUnits(dir)).toThrow(/^provinces-2025\.csv:4: admin_centre_former_code 01 is not a former unit merged into 08/);
  });
});

describe('UnitsModule', () => {
  it('provides the catalogue from UNITS_DIR and lists provinces with their predecessors', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot({ UNITS_DIR } as AppConfig), UnitsModule],
    }).compile();
    expect(moduleRef.get(UnitsCatalogue).isCurrentProvince('79')).toBe(true);
    const provinces = moduleRef.get(UnitsController).provinces();
    expect(provinces).toHaveLength(34);
    const hcm = provinces.find((p) => p.code === '79')!;
    expect(hcm.predecessors.map((f) => f.code)).toEqual(['74', '77', '79']);
    expect(hcm.catalogueVersion).toBe(CURRENT_UNITS_VERSION);
    await moduleRef.close();
  });
});
