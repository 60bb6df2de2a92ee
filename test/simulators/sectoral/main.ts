/**
 * Standalone sectoral statistics simulators: `npx ts-node --transpile-only test/simulators/sectoral/main.ts`.
 * Runs the document-management (QLVB&ĐH) and the land-registry simulators side by side.
 *
 * Environment: SECTORAL_SIM_DOC_PORT (4030), SECTORAL_SIM_LAND_PORT (4031), SECTORAL_SIM_HOST (0.0.0.0),
 * SECTORAL_SIM_SEED (1), SECTORAL_SIM_PROVINCES (comma list; default every code of
 * config/units/provinces-2025.csv, read relative to the working directory), SECTORAL_SIM_DOC_API_KEY
 * (demo-qlvb-key), SECTORAL_SIM_LAND_CLIENT_ID (demo-land), SECTORAL_SIM_LAND_CLIENT_SECRET (demo-land-secret),
 * SECTORAL_SIM_LAND_TOKEN_TTL_SECONDS (3600).
 */
import { readProvinceCodes } from '../main';
import { createDocumentManagementSimulator, DEFAULT_DOCUMENT_API_KEY, DocumentManagementSimulator } from './document-management.simulator';
import { createLandRegistrySimulator, DEFAULT_LAND_CLIENT_ID, DEFAULT_LAND_CLIENT_SECRET, LandRegistrySimulator } from './land-registry.simulator';
import { numberFromEnv, runStandalone, stopOnSignals } from '../standalone';

const isPort = (n: number) => Number.isInteger(n) && n >= 0 && n < 65536;

async function main(): Promise<void> {
  const provinces = process.env.SECTORAL_SIM_PROVINCES?.trim()
    ? process.env.SECTORAL_SIM_PROVINCES.split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')
    : readProvinceCodes();
  const seedText = process.env.SECTORAL_SIM_SEED?.trim();
  const seed = seedText ? (/^-?\d+$/.test(seedText) ? Number(seedText) : seedText) : 1;
  const host = process.env.SECTORAL_SIM_HOST?.trim() || '0.0.0.0';
  const docPort = numberFromEnv('SECTORAL_SIM_DOC_PORT', 4030, isPort);
  const landPort = numberFromEnv('SECTORAL_SIM_LAND_PORT', 4031, isPort);
  const apiKey = process.env.SECTORAL_SIM_DOC_API_KEY || DEFAULT_DOCUMENT_API_KEY;
  const clientId = process.env.SECTORAL_SIM_LAND_CLIENT_ID || DEFAULT_LAND_CLIENT_ID;
  const clientSecret = process.env.SECTORAL_SIM_LAND_CLIENT_SECRET || DEFAULT_LAND_CLIENT_SECRET;
  const tokenTtlSeconds = numberFromEnv('SECTORAL_SIM_LAND_TOKEN_TTL_SECONDS', 3600, (n) => n > 0);

  let doc: DocumentManagementSimulator | undefined;
  let land: LandRegistrySimulator | undefined;
  try {
    doc = await createDocumentManagementSimulator({ seed, provinces, apiKey, port: docPort, host });
    land = await createLandRegistrySimulator({ seed, provinces, clientId, clientSecret, tokenTtlSeconds, port: landPort, host });
  } catch (error) {
    await doc?.close();
    throw error;
  }
  process.stdout.write(
    `${JSON.stringify({
      level: 'info',
      msg: 'sectoral simulators listening',
      host,
      seed,
      provinces: provinces.length,
      documentManagement: { url: doc.url, port: doc.port, path: '/qlvb/v1/thongke', apiKeyHeader: 'apikey' },
      landRegistry: { url: land.url, port: land.port, tokenPath: '/oauth/token', statsPath: '/api/v2/provinces/{pp}/stats?period=yyyy-MM', clientId },
    })}\n`,
  );
  const sims = [doc, land];
  stopOnSignals('sectoral simulators', () => Promise.all(sims.map((s) => s.close())));
}

if (require.main === module) runStandalone('sectoral simulators', main);
