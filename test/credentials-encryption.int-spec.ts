import { EgressPolicy } from '../src/platform/http/egress-policy';
import { BadRequestException, ConflictException } from '@nestjs/common';
import { Writable } from 'node:stream';
import { ConnectorsService, toConnectorView } from '../src/connectors/connectors.service';
import { ConnectorCredentialsService } from '../src/connectors/credentials/connector-credentials.service';
import { CredentialsCipherError, CredentialsKeys, openCredentials } from '../src/connectors/credentials/credentials-cipher';
import { rotateCredentials, rotatedCount } from '../src/connectors/credentials/credentials-rotation';
import { sealPlaintextCredentials } from '../src/connectors/credentials/credentials-sealing';
import { runRotationCommand } from '../src/connectors/credentials/rotate-credentials';
import { createTestDatabase } from './support/test-database';
import { FAST_ENV, TestApp, clearQueues, startTestApp, testConfig, testQueuePrefix } from './support/test-app';

const KEY_1 = `test-1:${Buffer.alloc(32, 1).toString('base64')}`;
const KEY_2 = `test-2:${Buffer.alloc(32, 2).toString('base64')}`;
const KEY_3 = `test-3:${Buffer.alloc(32, 3).toString('base64')}`;
const SECRET = 'S3cr3t-value-that-must-never-be-stored-in-the-clear';
// the start-up step runs in every role; a scheduler-only app keeps the test away from workers and HTTP
const ENV = { APP_ROLE: 'scheduler', SCHEDULER_TICK_MS: '3600000' };

const oneStopShop = (name: string, secret: string, provinceCode = '79') => ({
  name,
  kind: 'one-stop-shop',
  baseUrl: 'http://127.0.0.1:9',
  provinceCode,
  credentials: { clientId: `${name}-client`, clientSecret: secret },
  schedule: null,
  options: { lagSeconds: 0 },
});

/** Every way a secret could show in a row's text: as is, hex (bytea output) or base64. */
const leaks = (text: string, secret: string) =>
  [secret, Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64')].some((form) => text.toLowerCase().includes(form.toLowerCase()));

const capture = () => {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
};

describe('connector credentials encrypted at rest', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const prefix = testQueuePrefix();
  const apps: TestApp[] = [];
  const start = async (env: Record<string, string> = {}) => {
    const app = await startTestApp(db.url, prefix, { ...ENV, ...env });
    apps.push(app);
    return app;
  };
  const ring = (keys: string, active: string): CredentialsKeys =>
    testConfig(db.url, prefix, { CREDENTIALS_KEYS: keys, CREDENTIALS_ACTIVE_KEY_ID: active }).credentialsKeyRing!;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  it('stores no plaintext secret on create or change, and still opens the credentials for a run', async () => {
    const app = await start();
    const connectors = app.app.get(ConnectorsService);
    const created = await connectors.create(oneStopShop('hcm-oss', SECRET));

    const { rows } = await app.pool.query(`SELECT row_to_json(c)::text AS text, c.* FROM connector c WHERE id = $1`, [created.id]);
    expect(leaks(rows[0].text, SECRET)).toBe(false);
    for (const value of Object.values(rows[0])) expect(leaks(value instanceof Buffer ? value.toString('latin1') : JSON.stringify(value) ?? '', SECRET)).toBe(false);
    expect(rows[0].credentials).toEqual({});
    expect(rows[0].credentials_key_id).toBe('test-1');
    expect(rows[0].credential_names).toEqual(['clientId', 'clientSecret']);
    expect(rows[0].credentials_sealed).toBeInstanceOf(Buffer);
    expect(toConnectorView(await connectors.get(created.id)).credentialsSet).toEqual(['clientId', 'clientSecret']);

    // the run path opens them in memory
    const instance = await connectors.instanceOf(await connectors.get(created.id));
    expect(instance.credentials).toEqual({ clientId: 'hcm-oss-client', clientSecret: SECRET });

    // a change without credentials keeps them; a change with credentials seals the new ones
    await connectors.update(created.id, { schedule: '0 2 * * *' });
    expect((await connectors.instanceOf(await connectors.get(created.id))).credentials.clientSecret).toBe(SECRET);
    const changed = await connectors.update(created.id, { credentials: { clientId: 'other', clientSecret: `${SECRET}-2` } });
    expect(changed.configVersion).toBe(3);
    expect(await app.app.get(ConnectorCredentialsService).open(created.id)).toEqual({ clientId: 'other', clientSecret: `${SECRET}-2` });

    // neither the row nor the config history holds a secret, nor the sealed form
    const all = await app.pool.query(
      `SELECT (SELECT string_agg(row_to_json(c)::text, '') FROM connector c) || (SELECT string_agg(config::text, '') FROM connector_config_version) AS text`,
    );
    expect(leaks(all.rows[0].text, SECRET)).toBe(false);
    const history = await app.pool.query(`SELECT config FROM connector_config_version WHERE connector_id = $1 ORDER BY version`, [created.id]);
    expect(history.rows.map((r) => r.config.credentialsSet)).toEqual([['clientId', 'clientSecret'], ['clientId', 'clientSecret'], ['clientId', 'clientSecret']]);
    for (const r of history.rows) expect(Object.keys(r.config).filter((k) => /sealed|keyId|legacy/i.test(k))).toEqual([]);

    // a sealed row copied onto another connector does not open there
    const other = await connectors.create(oneStopShop('dn-oss', 'another-secret', '48'));
    await app.pool.query(`UPDATE connector SET credentials_sealed = (SELECT credentials_sealed FROM connector WHERE id = $1) WHERE id = $2`, [created.id, other.id]);
    await expect(connectors.instanceOf(await connectors.get(other.id))).rejects.toThrow(/do not verify with key "test-1"/);
    // the test call of a saved connector opens its credentials first: 409 naming the key when it cannot, else on
    // to the kind (which answers 400 here: the egress policy refuses its loopback address)
    const http = { timeoutMs: 500, maxAttempts: 1, backoffBaseMs: 1, backoffMaxMs: 1, egress: new EgressPolicy() };
    await expect(connectors.preview(await connectors.get(other.id), http)).rejects.toThrow(ConflictException);
    await expect(connectors.preview(await connectors.get(other.id), http)).rejects.toThrow(/cannot be opened .*key "test-1"/);
    await expect(connectors.preview(await connectors.get(created.id), http)).rejects.toThrow(BadRequestException);
    await connectors.update(other.id, { credentials: { clientId: 'x', clientSecret: 'another-secret' } });
  });

  it('seals plaintext left by an older database at start-up (another app on the same database)', async () => {
    const { rows } = await apps[0].pool.query(
      `INSERT INTO connector (name, kind, base_url, province_code, credentials) VALUES ('legacy-oss', 'one-stop-shop', 'http://127.0.0.1:9', '01', $1) RETURNING id`,
      [JSON.stringify({ clientId: 'legacy-client', clientSecret: SECRET })],
    );
    const id = rows[0].id;
    const second = await start();
    const { rows: after } = await second.pool.query(`SELECT row_to_json(c)::text AS text, c.* FROM connector c WHERE id = $1`, [id]);
    expect(leaks(after[0].text, SECRET)).toBe(false);
    expect(after[0].credentials).toEqual({});
    expect(after[0].credentials_key_id).toBe('test-1');
    expect(after[0].credential_names).toEqual(['clientId', 'clientSecret']);
    const connectors = second.app.get(ConnectorsService);
    expect((await connectors.instanceOf(await connectors.get(id))).credentials).toEqual({ clientId: 'legacy-client', clientSecret: SECRET });
    expect(await sealPlaintextCredentials(second.pool, ring(KEY_1, 'test-1'))).toBe(0);

    // plaintext written since by an older version (rolling update) is sealed before it is used
    await second.pool.query(`UPDATE connector SET credentials = $2 WHERE id = $1`, [id, JSON.stringify({ clientId: 'legacy-client', clientSecret: 'newer' })]);
    expect((await connectors.instanceOf(await connectors.get(id))).credentials.clientSecret).toBe('newer');
    const { rows: resealed } = await second.pool.query(`SELECT credentials FROM connector WHERE id = $1`, [id]);
    expect(resealed[0].credentials).toEqual({});
  });

  it('seals each plaintext row exactly once when several replicas start at once', async () => {
    const pool = apps[0].pool;
    for (let i = 0; i < 30; i++) {
      await pool.query(
        `INSERT INTO connector (name, kind, base_url, province_code, credentials) VALUES ($1, 'vnpost-bcci', 'http://127.0.0.1:9', '44', $2)`,
        [`bulk-${i}`, JSON.stringify({ apiKey: `${SECRET}-${i}` })],
      );
    }
    const keys = ring(KEY_1, 'test-1');
    const counts = await Promise.all([1, 2, 3, 4].map(() => sealPlaintextCredentials(pool, keys)));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
    const { rows } = await pool.query(`SELECT id, credentials, credentials_sealed FROM connector WHERE name LIKE 'bulk-%' ORDER BY name`);
    expect(rows.every((r) => Object.keys(r.credentials).length === 0)).toBe(true);
    expect(new Set(rows.map((r) => openCredentials(r.credentials_sealed, keys, r.id).apiKey)).size).toBe(30);
  });

  it('rotates every connector to the active key, once, and reports what it cannot open', async () => {
    const pool = apps[0].pool;
    const connectors = apps[0].app.get(ConnectorsService);
    await connectors.create(oneStopShop('hue-oss', `${SECRET}-hue`, '46'));
    const before = await pool.query(`SELECT id, credentials_sealed FROM connector ORDER BY id`);
    const oldRing = ring(KEY_1, 'test-1');
    const values = new Map(before.rows.map((r) => [r.id as string, openCredentials(r.credentials_sealed, oldRing, r.id)]));
    expect(values.size).toBeGreaterThan(30);

    const newRing = ring(`${KEY_1},${KEY_2}`, 'test-2');
    const report = await rotateCredentials(pool, newRing);
    expect(report).toMatchObject({ activeKeyId: 'test-2', alreadyActive: 0, sealedPlaintext: 0, failures: [] });
    expect(report.rotated).toEqual({ 'test-1': values.size });

    const after = await pool.query(`SELECT id, credentials_sealed, credentials_key_id FROM connector ORDER BY id`);
    expect(after.rows.every((r) => r.credentials_key_id === 'test-2')).toBe(true);
    const onlyNew = ring(KEY_2, 'test-2');
    for (const r of after.rows) {
      expect(openCredentials(r.credentials_sealed, newRing, r.id)).toEqual(values.get(r.id));
      expect(openCredentials(r.credentials_sealed, onlyNew, r.id)).toEqual(values.get(r.id));
      expect(() => openCredentials(r.credentials_sealed, oldRing, r.id)).toThrow(CredentialsCipherError);
      expect(() => openCredentials(r.credentials_sealed, oldRing, r.id)).toThrow(/key "test-2" is not in the key ring/);
    }
    // an app holding only the new key opens them for a run
    const rotated = await start({ CREDENTIALS_KEYS: KEY_2 });
    const hue = (await rotated.app.get(ConnectorsService).list()).find((c) => c.name === 'hue-oss')!;
    expect((await rotated.app.get(ConnectorsService).instanceOf(hue)).credentials.clientSecret).toBe(`${SECRET}-hue`);

    // a second rotation changes nothing
    const again = await rotateCredentials(pool, newRing);
    expect(rotatedCount(again)).toBe(0);
    expect(again).toMatchObject({ alreadyActive: values.size, sealedPlaintext: 0, failures: [] });

    // the command: a ring without test-2 cannot open them, says which connector needs which key, exits 1
    const out = capture();
    const err = capture();
    const env = { ...FAST_ENV, DATABASE_URL: db.url, CREDENTIALS_KEYS: `${KEY_1},${KEY_3}`, CREDENTIALS_ACTIVE_KEY_ID: 'test-3' };
    expect(await runRotationCommand(env, out.stream, err.stream)).toBe(1);
    const summary = JSON.parse(out.text());
    expect(summary).toMatchObject({ activeKeyId: 'test-3', rotated: 0, alreadyActive: 0 });
    expect(summary.failed).toHaveLength(values.size);
    expect(summary.failed.every((f: { keyId: string }) => f.keyId === 'test-2')).toBe(true);
    expect(err.text()).toContain(`connector ${hue.id}: credentials sealed with key "test-2" cannot be opened`);
    expect(leaks(out.text() + err.text(), SECRET)).toBe(false);
    const unchanged = await pool.query(`SELECT count(*)::int AS n FROM connector WHERE credentials_key_id = 'test-2'`);
    expect(unchanged.rows[0].n).toBe(values.size);

    // the command with the right ring succeeds, and is harmless when repeated
    const ok = capture();
    const okEnv = { ...env, CREDENTIALS_KEYS: `${KEY_2},${KEY_3}` };
    expect(await runRotationCommand(okEnv, ok.stream, capture().stream)).toBe(0);
    expect(JSON.parse(ok.text())).toMatchObject({ rotated: values.size, rotatedFromKey: { 'test-2': values.size }, failed: [] });
    const twice = capture();
    expect(await runRotationCommand(okEnv, twice.stream, capture().stream)).toBe(0);
    expect(JSON.parse(twice.text())).toMatchObject({ rotated: 0, alreadyActive: values.size, failed: [] });
  });
});
