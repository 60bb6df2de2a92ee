import { RunView } from '../../src/connectors/runs/runs.service';
import { Api, waitFor } from './test-app';

export async function registerConnector(
  api: Api,
  input: { name: string; provinceCode: string; baseUrl: string; clientSecret?: string; options?: Record<string, unknown>; schedule?: string | null; allowDuplicate?: boolean },
): Promise<string> {
  const res = await api
    .post('/connectors')
    .send({
      name: input.name,
      kind: 'one-stop-shop',
      baseUrl: input.baseUrl,
      provinceCode: input.provinceCode,
      credentials: { clientId: 'demo-client', clientSecret: input.clientSecret ?? 'demo-secret' },
      schedule: input.schedule ?? null,
      options: { initialSyncFrom: '2025-01-01', lagSeconds: 0, ...input.options },
      // tests register several connectors of one source on purpose, each under its own name
      allowDuplicate: input.allowDuplicate ?? true,
    });
  if (res.status !== 201) throw new Error(`connector not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function runNow(api: Api, connectorId: string): Promise<RunView> {
  const res = await api.post(`/connectors/${connectorId}/runs`);
  if (res.status !== 201) throw new Error(`run not started: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as RunView;
}

export async function waitForRun(api: Api, runId: string, timeoutMs = 90_000): Promise<RunView> {
  return waitFor(
    async () => {
      const res = await api.get(`/runs/${runId}`);
      const run = res.body as RunView;
      return run.status === 'succeeded' || run.status === 'failed' || run.status === 'cancelled' ? run : undefined;
    },
    timeoutMs,
    `run ${runId} to finish`,
  );
}

/** Waits until the evidence and scoring outboxes are empty and no job is pending: the pipeline has settled. */
export async function waitForSettled(pool: import('pg').Pool, timeoutMs = 90_000): Promise<void> {
  let quietSince = 0;
  await waitFor(
    async () => {
      const { rows } = await pool.query(
        `SELECT (SELECT count(*) FROM evidence_outbox)::int + (SELECT count(*) FROM scoring_outbox)::int
              + (SELECT count(*) FROM connector_run WHERE status IN ('queued', 'running'))::int AS pending`,
      );
      if (rows[0].pending > 0) {
        quietSince = 0;
        return undefined;
      }
      if (quietSince === 0) quietSince = Date.now();
      return Date.now() - quietSince > 1000 ? true : undefined;
    },
    timeoutMs,
    'the pipeline to settle',
  );
}

/** Registers a one-stop-shop connector for the province, runs it once and waits: the run must succeed. */
export async function ingestOneStopShop(api: Api, provinceCode: string, baseUrl: string): Promise<RunView> {
  const connector = await registerConnector(api, { name: `oss-${provinceCode}`, provinceCode, baseUrl });
  const run = await waitForRun(api, (await runNow(api, connector)).id);
  if (run.status !== 'succeeded') throw new Error(`run ${run.id} of oss-${provinceCode} ended ${run.status}: ${JSON.stringify(run.error)}`);
  return run;
}
