/**
 * Standalone VNPost BCCI report simulator: `npm run simulator:bcci`.
 *
 * Environment: BCCI_SIM_PORT (4020), BCCI_SIM_HOST (0.0.0.0), BCCI_SIM_SEED (1), BCCI_SIM_PROVINCES (comma list;
 * default every code of config/units/provinces-2025.csv, read relative to the working directory),
 * BCCI_SIM_MONTHS (comma list of yyyy-MM; default 2025-01 … 2025-12), BCCI_SIM_WAYBILLS (200 per province and
 * month), BCCI_SIM_BAD_ROW_RATE (0.01), BCCI_SIM_API_KEY (demo-bcci-key).
 *
 * BCCI_SIM_LINK_ONE_STOP_SHOP=1 makes the waybills reference the dossiers the standalone one-stop-shop
 * simulator serves with the same SIM_SEED (1), SIM_DOSSIERS_PER_PROVINCE (2000), SIM_YEAR (2025) and
 * SIM_MALFORMED_RATE (0.002); BCCI_SIM_WAYBILLS is then unused (the rows follow the postal dossiers).
 */
import { readProvinceCodes } from '../main';
import { createDataset } from '../one-stop-shop/dossier-generator';
import { createBcciSimulator } from './bcci.simulator';
import { numberFromEnv, runStandalone, stopOnSignals } from '../standalone';

function listFromEnv(name: string): string[] | null {
  const raw = process.env[name]?.trim();
  if (!raw) return null;
  return raw
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

async function main(): Promise<void> {
  const provinces = listFromEnv('BCCI_SIM_PROVINCES') ?? readProvinceCodes();
  const months = listFromEnv('BCCI_SIM_MONTHS') ?? Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`);
  const seedText = process.env.BCCI_SIM_SEED?.trim();
  const seed = seedText ? (/^-?\d+$/.test(seedText) ? Number(seedText) : seedText) : 1;
  const options = {
    seed,
    provinces,
    months,
    port: numberFromEnv('BCCI_SIM_PORT', 4020, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    host: process.env.BCCI_SIM_HOST?.trim() || '0.0.0.0',
    waybillsPerProvinceMonth: numberFromEnv('BCCI_SIM_WAYBILLS', 200, (n) => Number.isInteger(n) && n >= 0),
    badRowRate: numberFromEnv('BCCI_SIM_BAD_ROW_RATE', 0.01, (n) => n >= 0 && n <= 1),
    apiKey: process.env.BCCI_SIM_API_KEY || 'demo-bcci-key',
  };
  const link = /^(1|true|yes)$/i.test(process.env.BCCI_SIM_LINK_ONE_STOP_SHOP?.trim() ?? '');
  const simSeedText = process.env.SIM_SEED?.trim();
  const oneStopShop = link
    ? createDataset({
        seed: simSeedText ? (/^-?\d+$/.test(simSeedText) ? Number(simSeedText) : simSeedText) : 1,
        provinces,
        dossiersPerProvince: numberFromEnv('SIM_DOSSIERS_PER_PROVINCE', 2000, (n) => Number.isInteger(n) && n >= 0),
        year: numberFromEnv('SIM_YEAR', 2025, (n) => Number.isInteger(n) && n >= 1900 && n <= 2999),
        malformedRate: numberFromEnv('SIM_MALFORMED_RATE', 0.002, (n) => n >= 0 && n <= 1),
      })
    : undefined;
  const sim = await createBcciSimulator({ ...options, oneStopShop });
  process.stdout.write(
    `${JSON.stringify({
      level: 'info',
      msg: 'vnpost-bcci simulator listening',
      url: sim.url,
      host: options.host,
      port: sim.port,
      seed: options.seed,
      provinces: provinces.length,
      months: months.length,
      waybillsPerProvinceMonth: options.waybillsPerProvinceMonth,
      badRowRate: options.badRowRate,
      linkedToOneStopShop: link,
    })}\n`,
  );
  stopOnSignals('vnpost-bcci simulator', () => sim.close());
}

if (require.main === module) runStandalone('vnpost-bcci simulator', main);
