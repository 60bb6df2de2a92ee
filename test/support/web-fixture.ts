import { UsersService } from '../../src/identity/users.service';
import { OneStopShopSimulator, createOneStopShopSimulator } from '../simulators/one-stop-shop/one-stop-shop.simulator';
import { registerConnector, runNow, waitForRun, waitForSettled } from './pipeline';
import { TestApp, clearQueues, startTestApp, testQueuePrefix } from './test-app';

/** The browser accounts of the web specs: one per role, officers of two provinces. */
export const WEB_USERS = {
  admin: { username: 'web-admin', password: 'admin-passphrase-1', role: 'admin' as const },
  operator: { username: 'web-operator', password: 'operator-passphrase-1', role: 'operator' as const },
  auditor: { username: 'web-auditor', password: 'auditor-passphrase-1', role: 'auditor' as const },
  officer: { username: 'web-officer-44', password: 'officer-passphrase-1', role: 'officer' as const, provinceCode: '44' },
  otherOfficer: { username: 'web-officer-79', password: 'officer-passphrase-2', role: 'officer' as const, provinceCode: '79' },
};
export const WEB_PROVINCES = ['44', '79'];

export interface WebFixture {
  app: TestApp;
  sim: OneStopShopSimulator;
  connectorIds: Record<string, string>;
  close: () => Promise<void>;
}

/**
 * The real service (api and worker roles) with one-stop-shop data of two provinces ingested, evidence built and
 * scored, and a user of every role: what the browser specs sign in to.
 */
export async function startWebFixture(databaseUrl: string, options: { dossiersPerProvince?: number; port?: number } = {}): Promise<WebFixture> {
  const prefix = testQueuePrefix();
  const sim = await createOneStopShopSimulator({ seed: 13, provinces: WEB_PROVINCES, dossiersPerProvince: options.dossiersPerProvince ?? 300, year: 2025, malformedRate: 0.01 });
  const app = await startTestApp(databaseUrl, prefix, { APP_ROLE: 'api,worker', ...(options.port ? { PORT: String(options.port) } : {}) });
  const users = app.app.get(UsersService);
  for (const u of Object.values(WEB_USERS)) await users.create(u);
  const connectorIds: Record<string, string> = {};
  for (const p of WEB_PROVINCES) {
    connectorIds[p] = await registerConnector(app.api, { name: `oss-${p}`, provinceCode: p, baseUrl: sim.url });
    const run = await waitForRun(app.api, (await runNow(app.api, connectorIds[p])).id);
    if (run.status !== 'succeeded') throw new Error(`fixture run failed: ${JSON.stringify(run)}`);
  }
  await waitForSettled(app.pool);
  return {
    app,
    sim,
    connectorIds,
    close: async () => {
      await app.close();
      await sim.close();
      await clearQueues(prefix);
    },
  };
}
