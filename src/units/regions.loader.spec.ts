import { resolve } from 'node:path';
import { loadUnits } from './units.loader';
import { loadRegions } from './regions.loader';

describe('loadRegions', () => {
  const dir = resolve(__dirname, '../../config/units');
  const current = loadUnits(dir).currentProvinces().map((p) => p.code);

  it('puts each of the 34 provinces in one of six regions', () => {
    const regions = loadRegions(dir, current);
    expect(regions.regions).toHaveLength(6);
    expect(regions.regions.reduce((a, r) => a + r.provinces.length, 0)).toBe(34);
    expect(regions.regionOf('79')?.code).toBe('southeast');
  });

  it('names the missing provinces when the file does not cover them all', () => {
    expect(() => loadRegions(dir, [...current, '77'])).toThrow(/no region for province\(s\) 77/);
  });
});
