import { openLineageValidator } from '../../../test/support/openlineage-schema';
import { RunForLineage, databaseDataset, dueEvents, runEvent, sourceDataset } from './openlineage-event';
import { retryDelayMs } from './openlineage.service';

const settings = { namespace: 'par-evidence-hub', producer: 'urn:par-evidence-hub:0.1.0', database: databaseDataset('postgres://postgres:secret@db.local:5432/par_evidence_hub') };
const run = (over: Partial<RunForLineage> = {}): RunForLineage => ({
  id: '5b6f2c1e-1111-4000-8000-000000000001',
  connectorId: 'c0ffee00-0000-4000-8000-000000000002',
  connectorName: 'hcm-one-stop-shop',
  kind: 'one-stop-shop',
  baseUrl: 'https://user:pw@lgsp.example.gov.vn/api/v1?token=secret#x',
  provinceCode: '79',
  trigger: 'schedule',
  configVersion: 3,
  windowFrom: new Date('2025-01-01T00:00:00Z'),
  windowTo: new Date('2025-02-01T00:00:00Z'),
  startedAt: new Date('2025-02-01T00:00:05Z'),
  finishedAt: null,
  status: 'running',
  fetched: 0,
  normalised: 0,
  quarantined: 0,
  errorCode: null,
  errorMessage: null,
  ...over,
});

describe('OpenLineage run events of connector runs', () => {
  const validate = openLineageValidator();

  it('are valid OpenLineage 2-0-2 events: START, COMPLETE and FAIL', () => {
    const events = [
      runEvent('START', run(), settings),
      runEvent('COMPLETE', run({ status: 'succeeded', finishedAt: new Date('2025-02-01T00:01:00Z'), fetched: 120, normalised: 118, quarantined: 2 }), settings),
      runEvent('FAIL', run({ status: 'failed', finishedAt: new Date('2025-02-01T00:01:00Z'), errorCode: 'AUTH_FAILED', errorMessage: 'invalid_client' }), settings),
    ];
    for (const e of events) {
      const ok = validate(e);
      expect({ type: e.eventType, errors: validate.errors ?? null, ok }).toEqual({ type: e.eventType, errors: null, ok: true });
    }
    expect(events[1]).toMatchObject({ eventType: 'COMPLETE', eventTime: '2025-02-01T00:01:00.000Z', run: { runId: run().id } });
    expect(events[2]).toMatchObject({ run: { facets: { errorMessage: { message: 'AUTH_FAILED: invalid_client', programmingLanguage: 'TypeScript' } } } });
  });

  it('the validator refuses events that break the specification (so the check above can fail)', () => {
    const good = runEvent('START', run(), settings);
    for (const bad of [
      { ...good, producer: undefined },
      { ...good, eventType: 'DONE' },
      { ...good, run: { runId: 'not-a-uuid' } },
      { ...good, eventTime: 'yesterday' },
      { ...good, job: { name: 'x' } },
      { ...good, run: { runId: run().id, facets: { nominalTime: { nominalStartTime: '2025-01-01T00:00:00Z' } } } },
    ]) {
      expect(validate(JSON.parse(JSON.stringify(bad)))).toBe(false);
    }
  });

  it('names the source by its URL without credentials, query or fragment, and the outputs by table', () => {
    expect(sourceDataset('https://user:pw@lgsp.example.gov.vn/api/v1?token=secret#x')).toEqual({ namespace: 'https://lgsp.example.gov.vn', name: '/api/v1' });
    expect(settings.database).toEqual({ namespace: 'postgres://db.local:5432', name: 'par_evidence_hub' });
    const complete = runEvent('COMPLETE', run({ status: 'succeeded', finishedAt: new Date(), normalised: 7, quarantined: 1 }), settings) as { inputs: unknown[]; outputs: Array<Record<string, any>> };
    expect(JSON.stringify(complete)).not.toMatch(/secret|pw@|token=/);
    expect(complete.inputs).toEqual([{ namespace: 'https://lgsp.example.gov.vn', name: '/api/v1' }]);
    expect(complete.outputs.map((o) => o.name)).toEqual(['par_evidence_hub.public.raw_payload', 'par_evidence_hub.public.procedure', 'par_evidence_hub.public.dossier', 'par_evidence_hub.public.quarantine_record']);
    expect(complete.outputs[1].outputFacets).toBeUndefined();
    expect(complete.outputs[2].outputFacets.outputStatistics.rowCount).toBe(7);
    expect(complete.outputs[3].outputFacets.outputStatistics.rowCount).toBe(1);
  });

  it('says which events a run is due in each state', () => {
    expect(dueEvents({ startedAt: null, status: 'queued' })).toEqual([]);
    expect(dueEvents({ startedAt: null, status: 'missed' })).toEqual([]);
    expect(dueEvents({ startedAt: new Date(), status: 'running' })).toEqual(['START']);
    expect(dueEvents({ startedAt: new Date(), status: 'succeeded' })).toEqual(['START', 'COMPLETE']);
    expect(dueEvents({ startedAt: null, status: 'failed' })).toEqual(['START', 'FAIL']);
  });

  it('backs off exponentially when the endpoint fails, up to an hour', () => {
    expect([1, 2, 3].map(retryDelayMs)).toEqual([2000, 4000, 8000]);
    expect(retryDelayMs(50)).toBe(3_600_000);
  });
});
