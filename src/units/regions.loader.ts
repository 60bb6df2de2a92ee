import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export interface Region {
  code: string;
  name: string;
  provinces: string[];
}

/** The socio-economic region of each province in force (configuration, see config/units/README.md). */
export class RegionsCatalogue {
  private readonly byProvince: Map<string, Region>;

  constructor(readonly regions: Region[]) {
    this.byProvince = new Map(regions.flatMap((r) => r.provinces.map((p) => [p, r] as const)));
  }

  regionOf(provinceCode: string): Region | null {
    return this.byProvince.get(provinceCode) ?? null;
  }
}

/** Loads `regions-2025.csv`; every current province must be in exactly one region (errors name file and line). */
export function loadRegions(dir: string, currentProvinces: string[]): RegionsCatalogue {
  const file = join(dir, 'regions-2025.csv');
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
  const regions = new Map<string, Region>();
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const line = i + 2;
    if (!currentProvinces.includes(r.province_code)) throw new Error(`${file}:${line}: province_code ${r.province_code} is not a province in force`);
    if (seen.has(r.province_code)) throw new Error(`${file}:${line}: province_code ${r.province_code} appears twice`);
    if (!/^[a-z_]+$/.test(r.region_code ?? '') || !r.region_name) throw new Error(`${file}:${line}: region_code and region_name are required`);
    seen.add(r.province_code);
    const region = regions.get(r.region_code) ?? { code: r.region_code, name: r.region_name, provinces: [] };
    region.provinces.push(r.province_code);
    regions.set(r.region_code, region);
  });
  const missing = currentProvinces.filter((p) => !seen.has(p));
  if (missing.length > 0) throw new Error(`${file}: no region for province(s) ${missing.join(', ')}`);
  return new RegionsCatalogue([...regions.values()]);
}
