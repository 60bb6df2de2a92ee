/**
 * `npm run demo`: the service with its demo sources, end to end, on this machine's PostgreSQL and Redis.
 * Starts the one-stop-shop simulator (34 provinces, a year of dossiers), starts the service (all roles),
 * registers one connector per province, ingests, waits for evidence and scores, prints a scoreboard, and keeps
 * serving (API on http://localhost:3000, OpenAPI at /docs) until Ctrl-C.
 *
 * Environment: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/par_evidence_hub; when no PostgreSQL answers
 * there, an embedded one is started with its data in .local/postgres/), REDIS_URL (must answer), PORT (3000),
 * DEMO_SIM_PORT (4010), DEMO_DOSSIERS_PER_PROVINCE (1500), DEMO_YEAR (2025), DEMO_SEED (2025).
 * Without CREDENTIALS_KEYS, a key ring for this machine is made once and kept in .local/demo-credentials-keys
 * (git-ignored). On a fresh database the demo creates the administrator "admin" with a random password, shown once.
 */
import 'reflect-metadata';
import axios from 'axios';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ApiKeysService } from '../src/identity/api-keys.service';
import { UsersService } from '../src/identity/users.service';
import { createApp } from '../src/bootstrap';
import { ConfigValidationError, loadConfig } from '../src/platform/config/app-config';
import { PG_POOL } from '../src/platform/database/database.module';
import { ensureDatabase } from '../src/platform/database/ensure-database';
import type { Pool } from 'pg';
import { createOneStopShopSimulator } from '../test/simulators/one-stop-shop/one-stop-shop.simulator';
import { readProvinceCodes } from '../test/simulators/main';
import { createBcciSimulator } from '../test/simulators/vnpost-bcci/bcci.simulator';
import { createDocumentManagementSimulator } from '../test/simulators/sectoral/document-management.simulator';
import { createDvcqgSimulator } from '../test/simulators/dvcqg/dvcqg.simulator';
import { ensurePostgres, ensureRedis, LocalPostgres, LocalServiceError, withDatabase } from './local-services';

/** the scoreboard shown: the small demo catalogue (the draft PAR INDEX and Decision 766 catalogues are scored too) */
const DEMO_CATALOGUE = 'par-index-2026-demo@2026.0-demo';
/** the national table shown: the draft PAR INDEX tree (8 fields, 100 points) */
const PAR_INDEX_DRAFT = 'par-index-2026@2026.0-draft';
const env = (name: string, fallback: string): string => process.env[name]?.trim() || fallback;
const say = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
  const year = Number(env('DEMO_YEAR', '2025'));
  const perProvince = Number(env('DEMO_DOSSIERS_PER_PROVINCE', '1500'));
  const provinces = readProvinceCodes();
  let config;
  try {
    // the egress policy refuses loopback: the demo names its four local simulators (and only them)
    // (a port of 0 asks for any free port: then the loopback address itself is named)
    const simulatorPorts = [env('DEMO_SIM_PORT', '4010'), env('DEMO_POSTAL_SIM_PORT', '4020'), env('DEMO_DOCUMENTS_SIM_PORT', '4030'), env('DEMO_DVCQG_SIM_PORT', '4040')];
    const simulators = [...new Set(simulatorPorts.map((port) => (port === '0' ? '127.0.0.1' : `127.0.0.1:${port}`)))];
    config = loadConfig({ APP_ROLE: 'all', LOG_LEVEL: 'warn', EVIDENCE_DEBOUNCE_MS: '1000', SCORING_DEBOUNCE_MS: '1000', CREDENTIALS_KEYS: demoKeyRing(), EGRESS_ALLOW: simulators.join(','), ...process.env });
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      say(error.message);
      process.exit(78);
    }
    throw error;
  }

  say(`PAR Evidence Hub demo: ${provinces.length} provinces × ${perProvince} dossiers of ${year}`);
  // Redis must answer (stop at once with how to get one); PostgreSQL is embedded when none answers
  let postgres: LocalPostgres;
  try {
    await ensureRedis(config.REDIS_URL);
    postgres = await ensurePostgres(config.DATABASE_URL, { log: (line) => say(`• ${line}`) });
  } catch (error) {
    if (!(error instanceof LocalServiceError)) throw error;
    say(error.message);
    process.exit(1);
  }
  const databaseName = new URL(config.DATABASE_URL).pathname.replace(/^\//, '') || 'par_evidence_hub';
  if (postgres.adminUrl !== withDatabase(config.DATABASE_URL, 'postgres')) {
    config = { ...config, DATABASE_URL: withDatabase(postgres.adminUrl, databaseName) };
    say(`• PostgreSQL: embedded, data in .local/postgres/ (${new URL(config.DATABASE_URL).host})`);
  }
  const sim = await createOneStopShopSimulator({
    seed: Number(env('DEMO_SEED', '2025')),
    provinces,
    dossiersPerProvince: perProvince,
    year,
    malformedRate: 0.002,
    port: Number(env('DEMO_SIM_PORT', '4010')),
    host: '127.0.0.1',
  });
  say(`• one-stop-shop simulator on ${sim.url}`);
  const postal = await createBcciSimulator({
    seed: Number(env('DEMO_SEED', '2025')),
    provinces,
    months: Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`),
    oneStopShop: sim.dataset,
    port: Number(env('DEMO_POSTAL_SIM_PORT', '4020')),
    host: '127.0.0.1',
  });
  say(`• VNPost postal-report simulator on ${postal.url}`);
  const documents = await createDocumentManagementSimulator({
    seed: Number(env('DEMO_SEED', '2025')),
    provinces,
    port: Number(env('DEMO_DOCUMENTS_SIM_PORT', '4030')),
    host: '127.0.0.1',
  });
  say(`• document-management statistics simulator on ${documents.url}`);
  const portal = await createDvcqgSimulator({ seed: Number(env('DEMO_SEED', '2025')), provinces, port: Number(env('DEMO_DVCQG_SIM_PORT', '4040')), host: '127.0.0.1' });
  say(`• DVCQG evaluation (Decision 766) simulator on ${portal.url}`);

  try {
    await ensureDatabase(config.DATABASE_URL);
  } catch (error) {
    say(`Cannot create the database at DATABASE_URL (${new URL(config.DATABASE_URL).host}): ${(error as Error).message}`);
    process.exit(1);
  }
  const app = await createApp(config);
  const api = `http://127.0.0.1:${config.PORT}`;
  say(`• service on ${api} (OpenAPI: ${api}/docs)`);
  const adminPassword = randomBytes(12).toString('base64url');
  const firstAdmin = await app.get(UsersService).createFirstAdmin('admin', adminPassword, 'demo');
  // the demo drives the API with keys of its own, revoked when it stops; the role keys are for trying the API
  const keys = app.get(ApiKeysService);
  const demoKey = async (name: string, role: 'admin' | 'operator' | 'auditor' | 'officer' | 'appraiser', provinceCode?: string) =>
    keys.create({ name, role, provinceCode: provinceCode ?? null, expiresAt: new Date(Date.now() + 7 * 86400_000) }, null);
  const scriptKey = await demoKey('demo-script', 'admin');
  const http = axios.create({ baseURL: api, validateStatus: () => true, headers: { Authorization: `Bearer ${scriptKey.key}` } });

  const existing = (await http.get('/connectors')).data as Array<{ id: string; name: string }>;
  const units = (await http.get('/units/provinces')).data as Array<{ code: string; name: string }>;
  const nameOf = new Map(units.map((u) => [u.code, u.name]));
  const connectorIds: string[] = [];
  const register = async (name: string, body: Record<string, unknown>) => {
    const found = existing.find((c) => c.name === name);
    const res = found ? await http.patch(`/connectors/${found.id}`, { ...body, enabled: true }) : await http.post('/connectors', { name, ...body });
    if (res.status >= 300) throw new Error(`registering ${name}: HTTP ${res.status} ${JSON.stringify(res.data)}`);
    connectorIds.push(res.data.id);
  };
  for (const code of provinces) {
    await register(`one-stop-shop-${code}`, {
      kind: 'one-stop-shop',
      baseUrl: sim.url,
      provinceCode: code,
      credentials: { clientId: 'demo-client', clientSecret: 'demo-secret' },
      schedule: '*/30 * * * *',
      options: { initialSyncFrom: `${year}-01-01`, lagSeconds: 0 },
    });
    await register(`vnpost-bcci-${code}`, {
      kind: 'vnpost-bcci',
      baseUrl: postal.url,
      provinceCode: code,
      credentials: { apiKey: 'demo-bcci-key' },
      schedule: '0 6 * * *',
      options: { initialSyncFrom: `${year}-01-01`, lagSeconds: 0 },
    });
    await register(`document-management-${code}`, {
      kind: 'document-management',
      baseUrl: documents.url,
      provinceCode: code,
      credentials: { apiKey: 'demo-qlvb-key' },
      schedule: '0 7 1 * *',
      options: { initialSyncFrom: `${year}-01-01`, lagSeconds: 0, backfillChunkDays: 366 },
    });
    // the simulator's portal ids (config/dvcqg/provinces.yaml holds only confirmed ones)
    await register(`dvcqg-evaluation-${code}`, {
      kind: 'dvcqg-evaluation',
      baseUrl: portal.url,
      provinceCode: code,
      credentials: {},
      schedule: '0 5 * * *',
      options: { initialSyncFrom: `${year}-01-01`, lagSeconds: 0, periods: ['year', 'quarter'], ...portal.mapping()[code] },
    });
  }
  say(`• ${connectorIds.length} connectors registered (per province: one-stop shop every 30 minutes, postal reports daily, document statistics monthly, Decision 766 evaluation daily)`);

  const started = Date.now();
  const runIds: string[] = [];
  for (const id of connectorIds) {
    const res = await http.post(`/connectors/${id}/runs`);
    if (res.status === 201) runIds.push(res.data.id);
    else if (res.status !== 400) throw new Error(`run now: HTTP ${res.status} ${JSON.stringify(res.data)}`);
  }
  say(`• ${runIds.length} runs started; ingesting…`);
  let lastLine = '';
  for (;;) {
    const runs = await Promise.all(runIds.map(async (id) => (await http.get(`/runs/${id}`)).data));
    const done = runs.filter((r) => r.status === 'succeeded' || r.status === 'failed');
    const fetched = runs.reduce((a, r) => a + r.counts.fetched, 0);
    const line = `  ${done.length}/${runIds.length} runs finished, ${fetched} records fetched`;
    if (line !== lastLine) say(line);
    lastLine = line;
    if (done.length === runIds.length) {
      const failed = runs.filter((r) => r.status === 'failed');
      for (const f of failed) say(`  run ${f.id} failed: ${f.error?.code} ${f.error?.message}`);
      break;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  // evidence and scores follow the data through the queues
  for (;;) {
    const board = (await http.get(`/scoreboard?year=${year}&catalogue=${encodeURIComponent(DEMO_CATALOGUE)}`)).data as unknown[];
    const pending = await app.get<Pool>(PG_POOL).query(
      `SELECT (SELECT count(*) FROM evidence_outbox)::int + (SELECT count(*) FROM scoring_outbox)::int AS n`,
    );
    if (board.length >= provinces.length && pending.rows[0].n === 0) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  say(`• ingested, evidence built and scored in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  type Row = { rank: number; provinceCode: string; region: string | null; catalogue: string; points: number | null; scoredMaxPoints: number | null; maxPoints: number | null; coverage: number | null; scored: number; noData: number; manual: number };
  const board = (await http.get(`/scoreboard?year=${year}&catalogue=${encodeURIComponent(PAR_INDEX_DRAFT)}`)).data as Row[];
  say(`National table ${year} — ${PAR_INDEX_DRAFT} (DRAFT catalogue: points to confirm against MOHA's yearly guidance)`);
  say(`Coverage = the share of the 100 points filled from data; the rest still needs documents or survey imports.`);
  say(`${'rank'.padStart(4)}  code  ${'province'.padEnd(28)} ${'points'.padStart(7)}  ${'coverage'.padStart(8)}  from data  manual  no data`);
  for (const r of board) {
    const points = r.points === null ? 'no data' : r.points.toFixed(2);
    const coverage = r.coverage === null ? '-' : `${(100 * r.coverage).toFixed(0)}%`;
    say(`${String(r.rank).padStart(4)}  ${r.provinceCode}    ${(nameOf.get(r.provinceCode) ?? '').padEnd(28).slice(0, 28)} ${points.padStart(7)}  ${coverage.padStart(8)}  ${String(r.scored).padStart(9)}  ${String(r.manual).padStart(6)}  ${String(r.noData).padStart(7)}`);
  }
  const regions = (await http.get(`/scoreboard/regions?year=${year}&catalogue=${encodeURIComponent(PAR_INDEX_DRAFT)}`)).data as Array<{ name: string; provinces: number; meanPoints: number | null; best: { provinceCode: string } | null }>;
  say('\nBy region (assignment is configuration to confirm):');
  for (const r of regions) say(`  ${r.name.padEnd(40)} ${String(r.provinces).padStart(2)} provinces, mean ${r.meanPoints?.toFixed(2) ?? '-'} points, best ${r.best ? nameOf.get(r.best.provinceCode) : '-'}`);
  let submissions = 0;
  let results = 0;
  let matched = 0;
  let unmatchedWaybills = 0;
  let unmatchedDossiers = 0;
  for (const code of provinces) {
    const evidence = (await http.get(`/provinces/${code}/years/${year}/evidence?periodKind=year`)).data.records as Array<{ metric: string; numerator: number }>;
    submissions += evidence.find((e) => e.metric === 'postal.submissions')?.numerator ?? 0;
    results += evidence.find((e) => e.metric === 'postal.results')?.numerator ?? 0;
    for (const f of (await http.get(`/provinces/${code}/years/${year}/findings`)).data.findings as Array<{ matched: number; unmatchedWaybills: number; unmatchedDossiers: number }>) {
      matched += f.matched;
      unmatchedWaybills += f.unmatchedWaybills;
      unmatchedDossiers += f.unmatchedDossiers;
    }
  }
  say(`\nPostal public service ${year} (VNPost reports): ${submissions} dossiers carried to agencies, ${results} results carried to citizens.`);
  say(`Reconciled with the one-stop shop: ${matched} matched, ${unmatchedWaybills} waybills without a dossier, ${unmatchedDossiers} postal dossiers without a waybill.`);
  let electronic = 0;
  let outgoing = 0;
  for (const code of provinces) {
    const evidence = (await http.get(`/provinces/${code}/years/${year}/evidence?periodKind=quarter`)).data.records as Array<{ metric: string; numerator: number; denominator: number | null }>;
    for (const e of evidence.filter((x) => x.metric === 'sector.docs.outgoing_electronic_share')) {
      electronic += e.numerator;
      outgoing += e.denominator ?? 0;
    }
  }
  if (outgoing > 0) say(`Document management (QLVB&ĐH): ${((100 * electronic) / outgoing).toFixed(1)}% of ${outgoing} outgoing documents of provincial People's Committees sent electronically in ${year}.`);
  const top = board[0]?.provinceCode ?? provinces[0];
  const card = (await http.get(`/provinces/${top}/years/${year}/scorecard`)).data;
  const scored = card.catalogues?.[0]?.items?.find((i: { status: string }) => i.status === 'auto_filled');
  say('\nTry:');
  say(`  ${api}/docs                                   the API (OpenAPI)`);
  say(`  ${api}/provinces/${top}/years/${year}/scorecard?catalogue=${encodeURIComponent(PAR_INDEX_DRAFT)}   a province's scorecard (fields, coverage, what is still manual)`);
  say(`  ${api}/provinces/${top}/years/${year}/evidence        the evidence behind it`);
  say(`  ${api}/provinces/${top}/qd766/board?period=${year}       Decision 766: official vs recomputed, units at /qd766/units, findings at /qd766/findings`);
  if (scored) say(`  ${api}/scores/${scored.scoreId}/lineage                   a score's lineage down to raw payloads`);
  say(`  ${api}/quarantine                             records that could not be used, with reasons`);
  say(`  ${api}/provinces/${top}/years/${year}/findings        postal waybills reconciled with dossiers`);
  const roleKeys = [await demoKey('demo-operator', 'operator'), await demoKey('demo-auditor', 'auditor'), await demoKey(`demo-officer-${top}`, 'officer', top), await demoKey('demo-appraiser', 'appraiser')];
  const webAccounts = await demoAccounts(app.get(UsersService), top);
  say(`\nWeb app (Vietnamese, English switch): ${api}/`);
  if (firstAdmin) say(`  administrator "admin", password ${adminPassword}   (shown once)`);
  else say('  the administrator exists already (reset a password with: npm run admin:create -- --username admin --reset)');
  for (const a of webAccounts) say(`  ${a.role.padEnd(9)}${a.provinceCode ? ` of ${a.provinceCode}` : '      '}  "${a.username}", password ${a.password}   (new for this demo run)`);
  say('\nSigning in to the API (every route but /health and /docs needs it): POST /auth/login for a bearer token, or an API key');
  say(`  API keys for this session (send as Authorization: Bearer <key>; revoked when the demo stops):`);
  for (const k of roleKeys) say(`    ${k.role.padEnd(9)}${k.provinceCode ? ` of ${k.provinceCode}` : '      '}  ${k.key}`);
  say(`  e.g. curl -H "Authorization: Bearer ${roleKeys[2].key}" ${api}/provinces/${top}/years/${year}/scorecard`);
  say(`  queue dashboard: ${api}/admin/queues?token=${roleKeys[0].key}`);
  say('\nServing. Ctrl-C to stop.');

  const stop = async () => {
    say('stopping…');
    for (const k of [scriptKey, ...roleKeys]) await keys.revoke(k.id).catch(() => undefined);
    await app.close();
    await sim.close();
    await postal.close();
    await documents.close();
    await postgres.stop();
    await portal.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

/** Browser accounts of the other roles, with a fresh random password on every demo run (shown once). */
async function demoAccounts(users: UsersService, officerProvince: string) {
  const wanted = [
    { username: `demo-officer-${officerProvince}`, role: 'officer' as const, provinceCode: officerProvince },
    { username: 'demo-auditor', role: 'auditor' as const, provinceCode: null },
    { username: 'demo-operator', role: 'operator' as const, provinceCode: null },
  ];
  const existing = await users.list();
  const accounts = [];
  for (const w of wanted) {
    const password = randomBytes(9).toString('base64url');
    const found = existing.find((u) => u.username === w.username);
    if (found) await users.update(found.id, { password, disabled: false, role: w.role, provinceCode: w.provinceCode });
    else await users.create({ ...w, password });
    accounts.push({ ...w, password });
  }
  return accounts;
}

/** A key ring for this machine's demo, made once and kept beside the checkout (never committed). */
function demoKeyRing(): string {
  const file = '.local/demo-credentials-keys';
  if (!existsSync(file)) {
    mkdirSync('.local', { recursive: true });
    writeFileSync(file, `demo-1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
