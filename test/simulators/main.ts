/**
 * Standalone one-stop-shop simulator: `npm run simulator`.
 *
 * Environment: SIM_PORT (4010), SIM_HOST (0.0.0.0), SIM_SEED (1), SIM_PROVINCES (comma list; default every code
 * of config/units/provinces-2025.csv, read relative to the working directory), SIM_DOSSIERS_PER_PROVINCE (2000),
 * SIM_YEAR (2025), SIM_CLIENT_ID (demo-client), SIM_CLIENT_SECRET (demo-secret), SIM_MALFORMED_RATE (0.002),
 * SIM_TOKEN_TTL_SECONDS (3600). Drive faults from outside with `POST /__sim/faults`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createOneStopShopSimulator } from './one-stop-shop/one-stop-shop.simulator';
import { numberFromEnv, runStandalone, stopOnSignals } from './standalone';

const PROVINCES_FILE = 'config/units/provinces-2025.csv';

export function readProvinceCodes(file = resolve(process.cwd(), PROVINCES_FILE)): string[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift()?.split(',') ?? [];
  const column = header.indexOf('code');
  if (column < 0) throw new Error(`${file} has no "code" column`);
  return lines.map((l) => l.split(',')[column].trim()).filter((c) => /^\d{2}$/.test(c));
}

async function main(): Promise<void> {
  const provinces = process.env.SIM_PROVINCES?.trim()
    ? process.env.SIM_PROVINCES.split(',').map((p) => p.trim()).filter((p) => p !== '')
    : readProvinceCodes();
  const seedText = process.env.SIM_SEED?.trim();
  const seed = seedText ? (/^-?\d+$/.test(seedText) ? Number(seedText) : seedText) : 1;
  const options = {
    seed,
    provinces,
    port: numberFromEnv('SIM_PORT', 4010, (n) => Number.isInteger(n) && n >= 0 && n < 65536),
    host: process.env.SIM_HOST?.trim() || '0.0.0.0',
    dossiersPerProvince: numberFromEnv('SIM_DOSSIERS_PER_PROVINCE', 2000, (n) => Number.isInteger(n) && n >= 0),
    year: numberFromEnv('SIM_YEAR', 2025, (n) => Number.isInteger(n) && n >= 1900 && n <= 2999),
    clientId: process.env.SIM_CLIENT_ID || 'demo-client',
    clientSecret: process.env.SIM_CLIENT_SECRET || 'demo-secret',
    malformedRate: numberFromEnv('SIM_MALFORMED_RATE', 0.002, (n) => n >= 0 && n <= 1),
    tokenTtlSeconds: numberFromEnv('SIM_TOKEN_TTL_SECONDS', 3600, (n) => n > 0),
  };
  const sim = await createOneStopShopSimulator(options);
  process.stdout.write(
    `${JSON.stringify({
      level: 'info',
      msg: 'one-stop-shop simulator listening',
      url: sim.url,
      host: options.host,
      port: sim.port,
      seed: options.seed,
      year: options.year,
      provinces: provinces.length,
      dossiersPerProvince: options.dossiersPerProvince,
      malformedRate: options.malformedRate,
      clientId: options.clientId,
    })}\n`,
  );
  stopOnSignals('one-stop-shop simulator', () => sim.close());
}

if (require.main === module) runStandalone('simulator', main);
