import { readFileSync } from 'node:fs';
import request from 'supertest';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestDatabase } from './support/test-database';
import { Api } from './support/test-app';
import { WEB_USERS, WebFixture, startWebFixture } from './support/web-fixture';
import { assertWebBuilt, firstPageScriptBytes, launchChromium, seriousA11yViolations } from './support/browser';

const PAR = 'par-index-2026@2026.0-draft';
type User = { username: string; password: string };

/** Formats like the app in Vietnamese: 1.234,56 */
const vi = (n: number, digits = 2) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(n);

describe('web app in Chromium: each role signs in and does its main tasks', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let fx: WebFixture;
  let browser: Browser;
  let officerApi: Api;
  const cspErrors: string[] = [];
  const axeFindings: Record<string, unknown[]> = {};

  beforeAll(async () => {
    assertWebBuilt();
    db = await createTestDatabase();
    fx = await startWebFixture(db.url);
    officerApi = await fx.app.as('officer', '44');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await fx?.close();
    await db?.drop();
  });

  async function signIn(user: User): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'vi-VN', acceptDownloads: true });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await page.goto(`${fx.app.url}/`);
    await page.waitForURL(/\/app\/login/);
    // by keyboard only: the user name field has the focus, Tab to the password, Enter submits
    await expect(page.getByLabel('Tên đăng nhập').evaluate((el) => el === el.ownerDocument.activeElement)).resolves.toBe(true);
    await page.keyboard.type(user.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(user.password);
    await page.keyboard.press('Enter');
    await page.getByTestId('user-name').waitFor();
    return { context, page };
  }

  async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function checkA11y(page: Page, name: string): Promise<void> {
    const violations = await seriousA11yViolations(page);
    axeFindings[name] = violations;
    expect({ page: name, violations }).toEqual({ page: name, violations: [] });
  }

  it('serves the app at / and under /app without shadowing the API, /docs or /health', async () => {
    const http = request(fx.app.url);
    const root = await http.get('/').expect(200);
    expect(root.headers['content-type']).toMatch(/text\/html/);
    expect(root.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(root.headers['cache-control']).toBe('no-cache');
    expect((await http.get('/app/connectors/abc').expect(200)).text).toContain('<div id="root">');
    // API routes and unknown API paths keep answering JSON
    expect((await http.get('/connectors').expect(401)).body.statusCode).toBe(401);
    expect((await http.get('/no-such-route').expect(404)).headers['content-type']).toMatch(/json/);
    await http.get('/health/live').expect(200);
    expect((await http.get('/docs/openapi.json').expect(200)).body.openapi).toBeDefined();
    // the first page stays small: entry script and its preloads
    const { gzipBytes } = firstPageScriptBytes();
    expect(gzipBytes).toBeLessThan(400 * 1024);
  });

  it('province officer: scorecard with the API numbers, an item traced to verified raw bytes, a document uploaded', async () => {
    const api = (await officerApi.get(`/provinces/44/years/2025/scorecard?catalogue=${encodeURIComponent(PAR)}`).expect(200)).body.catalogues[0];
    const { context, page } = await signIn(WEB_USERS.officer);
    await page.waitForURL(/\/app\/scorecard/);
    await page.getByRole('heading', { name: 'Bảng điểm PAR INDEX' }).waitFor();
    // the burden summary says what the API counts
    await expect(page.getByTestId('burden').textContent()).resolves.toContain(
      `${vi(api.coverage.pointsFromData)} điểm và ${api.coverage.filledFromData} tiêu chí thành phần được điền tự động`,
    );
    const filled = api.items.find((i: { status: string }) => i.status === 'auto_filled');
    await expect(page.getByTestId(`points-${filled.subCriterion}`).textContent()).resolves.toBe(`${vi(filled.points)} / ${vi(filled.maxPoints)}`);
    await checkA11y(page, 'officer scorecard');

    // an item filled from data: rule in Vietnamese, inputs, raw bytes re-hashed in the browser
    await page.getByRole('link', { name: filled.title }).click();
    await page.getByTestId('rule-text').waitFor();
    await expect(page.getByTestId('rule-text').textContent()).resolves.toMatch(/Điểm|Đạt|điểm/);
    await expect(page.getByTestId('item-points').textContent()).resolves.toBe(`${vi(filled.points)} / ${vi(filled.maxPoints)}`);
    const lineage = (await officerApi.get(`/scores/${filled.scoreId}/lineage`).expect(200)).body;
    const digest = lineage.rawPayloads[0].digest as string;
    await page.getByRole('button', { name: `Kiểm tra mã băm ${digest.slice(0, 12)}` }).click();
    await page.getByTestId(`verified-${digest}`).waitFor();
    await checkA11y(page, 'officer item');

    // a manual item: drag-and-drop upload (the dragger's file input), then it is listed
    const manual = api.items.find((i: { kind: string }) => i.kind === 'manual');
    await page.goto(`${fx.app.url}/app/provinces/44/years/2025/items/${encodeURIComponent(PAR)}/${manual.subCriterion}`);
    await page.getByLabel('Tiêu đề tài liệu').fill('Kế hoạch CCHC năm 2025');
    await page.locator('input[type=file]').setInputFiles({ name: 'kế-hoạch-cchc.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
    await page.getByTestId('attachment').waitFor();
    await expect(page.getByTestId('attachment').textContent()).resolves.toContain('kế-hoạch-cchc.pdf');
    const docs = (await officerApi.get(`/provinces/44/years/2025/manual-evidence?catalogue=${encodeURIComponent(PAR)}`).expect(200)).body;
    expect(docs.find((d: { subCriterion: string }) => d.subCriterion === manual.subCriterion)).toMatchObject({ title: 'Kế hoạch CCHC năm 2025', fileName: 'kế-hoạch-cchc.pdf' });
    await checkA11y(page, 'officer upload');

    // other roles' pages are refused, and so is another province's data (by the API, not only the menu)
    await expect(page.getByRole('link', { name: 'Kết nối nguồn' }).count()).resolves.toBe(0);
    await page.goto(`${fx.app.url}/app/connectors`);
    await page.getByText('Bạn không có quyền xem trang này.').waitFor();
    await page.goto(`${fx.app.url}/app/users`);
    await page.getByText('Bạn không có quyền xem trang này.').waitFor();
    const status = (path: string, init?: RequestInit) => page.evaluate(async ([p, i]) => (await fetch(p as string, i as RequestInit)).status, [path, init ?? {}] as const);
    await expect(status('/provinces/79/years/2025/scorecard')).resolves.toBe(403);
    await expect(status('/connectors')).resolves.toBe(403);
    await expect(status('/provinces/44/years/2025/scorecard')).resolves.toBe(200);
    // the session cookie is out of the page's reach, and a cookie-authenticated write needs the CSRF header
    await expect(page.evaluate('document.cookie')).resolves.not.toContain('peh_session');
    await expect(status('/auth/logout', { method: 'POST' })).resolves.toBe(403);

    // English switch, remembered across a reload
    await page.goto(`${fx.app.url}/app/scorecard`);
    await page.getByLabel('Ngôn ngữ').first().click();
    await page.getByTitle('English').click();
    await page.getByRole('heading', { name: 'PAR INDEX scorecard' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'PAR INDEX scorecard' }).waitFor();
    await context.close();
  });

  it('auditor: findings, and a score traced to rule version, evidence, runs and raw bytes verified in the browser', async () => {
    const admin = fx.app.api;
    const card = (await admin.get(`/provinces/79/years/2025/scorecard?catalogue=${encodeURIComponent(PAR)}`).expect(200)).body.catalogues[0];
    const scored = card.items.find((i: { status: string }) => i.status === 'auto_filled');
    const lineage = (await admin.get(`/scores/${scored.scoreId}/lineage`).expect(200)).body;
    const { context, page } = await signIn(WEB_USERS.auditor);
    await page.waitForURL(/\/app\/findings/);
    await page.getByRole('heading', { name: 'Phát hiện đối soát và kiểm tra điểm' }).waitFor();
    await checkA11y(page, 'auditor findings');
    // export of what is on screen: a real XLSX (a zip) made in the browser
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Xuất XLSX' }).first().click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^score-checks-.*\.xlsx$/);
    const bytes = readFileSync((await xlsx.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');

    await page.goto(`${fx.app.url}/app/lineage/${scored.scoreId}`);
    await expect(page.getByTestId('lineage-points').textContent()).resolves.toBe(`${vi(scored.points)} / ${vi(scored.maxPoints)}`);
    await page.getByText(lineage.score.ruleDigest).waitFor();
    for (const p of lineage.rawPayloads as Array<{ digest: string }>) {
      await page.getByRole('button', { name: `Kiểm tra mã băm ${p.digest.slice(0, 12)}` }).click();
      await page.getByTestId(`verified-${p.digest}`).waitFor();
    }
    await checkA11y(page, 'auditor lineage');
    // download with a name and type: the bytes are the archived ones
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /^Tải xuống / }).first().click()]);
    expect(download.suggestedFilename()).toMatch(/\.json$/);

    // Decision 766 board: the province total of the year is the API's
    const qd = (await admin.get('/catalogues').expect(200)).body.find((c: { framework: string }) => c.framework === 'QD766').catalogue as string;
    const board = (await admin.get(`/provinces/79/years/2025/scorecard?catalogue=${encodeURIComponent(qd)}`).expect(200)).body.catalogues[0];
    await page.goto(`${fx.app.url}/app/decision-766?province=79&year=2025`);
    await page.getByText(`${vi(board.totals.points)}`, { exact: true }).first().waitFor();
    await page.getByRole('img', { name: 'Diễn biến theo tháng' }).waitFor();
    await checkA11y(page, 'auditor decision 766');

    // what-if: the configured weighting scenario beside the official ranks
    await page.goto(`${fx.app.url}/app/what-if`);
    await page.getByRole('combobox', { name: 'Kịch bản' }).click();
    await page.getByTitle(/Weighting for provinces/).click();
    await page.getByRole('button', { name: 'Tính thử' }).click();
    await page.getByText('Kết quả mô phỏng chỉ tính khi yêu cầu và không được lưu; điểm chính thức không thay đổi.').waitFor();
    await expect(page.locator('tbody tr.ant-table-row').count()).resolves.toBe(2);
    await checkA11y(page, 'auditor what-if');

    await page.goto(`${fx.app.url}/app/api-keys`);
    await page.getByText('Bạn không có quyền xem trang này.').waitFor();
    await context.close();
  });

  it('operator: connectors, run now with live progress until it finishes, quarantine by reason', async () => {
    const before = (await fx.app.api.get(`/connectors/${fx.connectorIds['44']}/runs`).expect(200)).body.length;
    const { context, page } = await signIn(WEB_USERS.operator);
    await page.waitForURL(/\/app\/connectors$/);
    await page.getByRole('link', { name: 'oss-79' }).waitFor();
    await checkA11y(page, 'operator connectors');
    await page.getByRole('link', { name: 'oss-44' }).click();
    await page.getByRole('button', { name: 'Chạy ngay' }).click();
    await waitUntil(async () => (await page.locator('[data-run-status]').count()) > before, 'the new run in the history');
    await page.locator('[data-run-status]').first().and(page.locator('[data-run-status="succeeded"]')).waitFor({ timeout: 60_000 });
    const runs = (await fx.app.api.get(`/connectors/${fx.connectorIds['44']}/runs`).expect(200)).body;
    expect(runs).toHaveLength(before + 1);
    expect(runs[0]).toMatchObject({ status: 'succeeded', trigger: 'manual' });
    await checkA11y(page, 'operator connector');

    // a new connector through the form generated from its kind's options: the API's field errors land beside the fields
    await page.goto(`${fx.app.url}/app/connectors`);
    await page.getByRole('button', { name: 'Thêm kết nối' }).click();
    const dialog = page.getByRole('dialog');
    // province 01: 44 already has its one-stop-shop connector, and a second one would be refused as a duplicate
    await dialog.getByLabel('Tên', { exact: true }).fill('oss-01-web');
    await dialog.getByLabel('Địa chỉ nguồn').fill(fx.sim.url);
    await dialog.getByRole('combobox', { name: 'Tỉnh/thành phố' }).fill('01');
    await page.keyboard.press('Enter');
    await dialog.getByLabel('Lịch chạy (cron, giờ Việt Nam)').fill('hằng ngày');
    await dialog.getByLabel('Thông tin xác thực: clientId').fill('demo-client');
    await dialog.getByLabel('Thông tin xác thực: clientSecret').fill('demo-secret');
    await dialog.getByLabel('pageSize (1–1000)', { exact: true }).fill('500');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await dialog.locator('.ant-form-item-explain-error', { hasText: 'cron expression' }).waitFor();
    await checkA11y(page, 'operator connector form');
    await dialog.getByLabel('Lịch chạy (cron, giờ Việt Nam)').fill('0 2 * * *');
    await dialog.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/app\/connectors\/[0-9a-f-]{36}$/);
    const created = (await fx.app.api.get('/connectors').expect(200)).body.find((c: { name: string }) => c.name === 'oss-01-web');
    expect(created).toMatchObject({ kind: 'one-stop-shop', provinceCode: '01', schedule: '0 2 * * *', options: { pageSize: 500 }, credentialsSet: ['clientId', 'clientSecret'] });

    await page.goto(`${fx.app.url}/app/quarantine`);
    const q = (await fx.app.api.get('/quarantine?limit=1').expect(200)).body;
    const [reason, count] = Object.entries(q.byReason as Record<string, number>)[0];
    await page.getByText(`${reason}: ${count}`).waitFor();
    await checkA11y(page, 'operator quarantine');
    await page.goto(`${fx.app.url}/app/scorecard`);
    await page.getByText('Bạn không có quyền xem trang này.').waitFor();
    await context.close();
  });

  it('administrator: users, and an API key shown once, working, then revoked', async () => {
    const { context, page } = await signIn(WEB_USERS.admin);
    await page.waitForURL(/\/app\/users/);
    await page.getByText(WEB_USERS.otherOfficer.username).waitFor();
    await checkA11y(page, 'admin users');
    // the national ranking, then the year's results published
    await page.goto(`${fx.app.url}/app/scoreboard?year=2025`);
    await page.getByRole('img', { name: 'Bảng xếp hạng toàn quốc' }).waitFor();
    await checkA11y(page, 'admin scoreboard');
    await page.getByRole('button', { name: 'Công bố kết quả năm 2025' }).click();
    await page.getByRole('button', { name: 'Đồng ý' }).click();
    // the publication is written with its ledger leaf (and the log catches up first): slow on a busy machine, so
    // the stored publication is awaited, then the page's confirmation, which stays a few seconds
    await waitUntil(async () => (await fx.app.pool.query(`SELECT 1 FROM results_publication WHERE year = 2025`)).rowCount === 1, 'the publication of 2025', 120_000);
    await page.getByText('Đã công bố: 2025').waitFor({ timeout: 60_000 });
    await page.goto(`${fx.app.url}/app/api-keys`);
    await page.getByRole('button', { name: 'Tạo khóa API' }).click();
    await page.getByLabel('Tên').fill('web-test-machine');
    await page.getByRole('button', { name: 'Lưu' }).click();
    const key = (await page.getByTestId('new-key').textContent())!.trim();
    expect(key).toMatch(/^peh_key_/);
    expect((await request(fx.app.url).get('/auth/me').set('X-API-Key', key).expect(200)).body).toMatchObject({ name: 'web-test-machine', role: 'operator' });
    await checkA11y(page, 'admin api keys');
    await page.getByRole('button', { name: 'Thu hồi web-test-machine' }).click();
    await page.getByRole('button', { name: 'Đồng ý' }).click();
    await page.getByText(/^Đã thu hồi/).waitFor();
    await request(fx.app.url).get('/auth/me').set('X-API-Key', key).expect(401);

    // signing out ends the session on the server, not only in the page
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(/\/app\/login/);
    await expect(page.evaluate(async () => (await fetch('/auth/me')).status)).resolves.toBe(401);
    await context.close();
  });

  it('loaded every page without a Content-Security-Policy violation', () => {
    expect(cspErrors).toEqual([]);
    expect(Object.keys(axeFindings).length).toBeGreaterThanOrEqual(13);
  });
});
