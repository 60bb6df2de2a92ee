/**
 * Standalone DVCQG evaluation API simulator: `npx ts-node --transpile-only src/simulators/dvcqg/main.ts`.
 *
 * Environment: DVCQG_SIM_PORT (4040), DVCQG_SIM_HOST (0.0.0.0), DVCQG_SIM_SEED (1; config/dvcqg/provinces.yaml
 * holds the root department ids of seed 1), DVCQG_SIM_PROVINCES (comma list; default every code of
 * config/units/provinces-2025.csv, read relative to the working directory).
 */
import { readProvinceCodes } from '../main';
import { createDvcqgSimulator, DVCQG_EVALUATION_PATH, DvcqgSimulator } from './dvcqg.simulator';
import { runStandalone, stopOnSignals } from '../standalone';

async function main(): Promise<void> {
  const provinces = process.env.DVCQG_SIM_PROVINCES?.trim()
    ? process.env.DVCQG_SIM_PROVINCES.split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')
    : readProvinceCodes();
  const seedText = process.env.DVCQG_SIM_SEED?.trim();
  const seed = seedText ? (/^-?\d+$/.test(seedText) ? Number(seedText) : seedText) : 1;
  const host = process.env.DVCQG_SIM_HOST?.trim() || '0.0.0.0';
  const portText = process.env.DVCQG_SIM_PORT?.trim();
  const port = portText ? Number(portText) : 4040;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`DVCQG_SIM_PORT=${portText} is not valid`);
  const sim: DvcqgSimulator = await createDvcqgSimulator({ seed, provinces, port, host });
  process.stdout.write(
    `${JSON.stringify({ level: 'info', msg: 'dvcqg evaluation simulator listening', url: sim.url, host, port: sim.port, seed, provinces: provinces.length, path: `${DVCQG_EVALUATION_PATH}<endpoint>` })}\n`,
  );
  stopOnSignals('dvcqg evaluation simulator', () => sim.close());
}

if (require.main === module) runStandalone('dvcqg simulator', main);
