import { createHash } from 'node:crypto';
import request from 'supertest';
import { createTestDatabase } from './support/test-database';
import { Api, TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';

/** A catalogue shipped in config/scoring that covers 2025, with a manual and an automatic sub-criterion. */
const CATALOGUE = 'par-index-2026@2026.0-draft';
const MANUAL = '1.1.1';
const MANUAL_UNATTACHED = '1.1.2';
const AUTOMATIC = '3.1.1';
const YEAR = 2025;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

describe('manual evidence: documents attached to manual sub-criteria', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let officer79: Api;
  let officer01: Api;
  let operator: Api;
  let auditor: Api;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api' });
    officer79 = await app.as('officer', '79');
    officer01 = await app.as('officer', '01');
    operator = await app.as('operator');
    auditor = await app.as('auditor');
  });
  afterAll(async () => {
    await app?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  const attach = (
    client: Api,
    province: string,
    options: { subCriterion?: string; catalogue?: string; year?: number; title?: string; bytes?: Buffer; filename?: string; contentType?: string } = {},
  ) =>
    client
      .post(`/provinces/${province}/years/${options.year ?? YEAR}/manual-evidence`)
      .field('catalogue', options.catalogue ?? CATALOGUE)
      .field('subCriterion', options.subCriterion ?? MANUAL)
      .field('title', options.title ?? 'Kế hoạch CCHC năm 2025')
      .attach('file', options.bytes ?? PDF, { filename: options.filename ?? 'kế-hoạch-cchc-2025.pdf', contentType: options.contentType ?? 'application/pdf' });

  const count = async () => (await app.pool.query('SELECT count(*)::int AS n FROM manual_evidence')).rows[0].n as number;
  const item = async (client: Api, province: string, code: string) => {
    const res = await client.get(`/provinces/${province}/years/${YEAR}/scorecard?catalogue=${encodeURIComponent(CATALOGUE)}`).expect(200);
    return (res.body.catalogues[0].items as Array<Record<string, unknown>>).find((i) => i.subCriterion === code)!;
  };

  let first: Record<string, unknown>;

  it('lets an officer attach a PDF for the own province: stored in the raw archive, listed, and shown on the scorecard', async () => {
    const res = await attach(officer79, '79').expect(201);
    first = res.body;
    expect(res.body).toEqual({
      id: expect.any(Number),
      provinceCode: '79',
      year: YEAR,
      catalogue: CATALOGUE,
      subCriterion: MANUAL,
      title: 'Kế hoạch CCHC năm 2025',
      documentKind: 'kế hoạch CCHC năm đã ban hành (the issued yearly PAR plan)',
      rawDigest: sha256(PDF),
      fileName: 'kế-hoạch-cchc-2025.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
      attachedBy: 'test-officer-79',
      attachedByRole: 'officer',
      version: 1,
      createdAt: expect.any(String),
      withdrawn: null,
      review: null,
    });

    const list = await officer79.get(`/provinces/79/years/${YEAR}/manual-evidence`).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ id: first.id, subCriterion: MANUAL, version: 1, versions: 1 })]);
    expect((await officer79.get(`/manual-evidence/${first.id}`).expect(200)).body).toMatchObject({ id: first.id, rawDigest: sha256(PDF) });

    const manual = await item(officer79, '79', MANUAL);
    expect(manual).toMatchObject({
      kind: 'manual',
      status: 'manual_needed',
      attachment: { id: first.id, title: 'Kế hoạch CCHC năm 2025', rawDigest: sha256(PDF), attachedAt: first.createdAt, version: 1 },
    });
    expect((await item(officer79, '79', MANUAL_UNATTACHED)).attachment).toBeNull();
    expect(await item(officer79, '79', AUTOMATIC)).not.toHaveProperty('attachment');
    // another province's scorecard does not show it
    expect((await item(officer01, '01', MANUAL)).attachment).toBeNull();
  });

  it('serves the document bytes to the own officer from the raw archive; they re-hash to the digest', async () => {
    const raw = await officer79.get(`/raw-payloads/${first.rawDigest}`).buffer(true).parse(binary).expect(200);
    expect(sha256(raw.body as Buffer)).toBe(first.rawDigest);
    expect((raw.body as Buffer).equals(PDF)).toBe(true);
    expect(raw.headers['x-original-content-type']).toBe('application/pdf');
  });

  it('keeps other provinces out: 403 on province routes, 404 on the attachment and its bytes', async () => {
    const before = await count();
    await attach(officer79, '01').expect(403);
    expect(await count()).toBe(before);
    await officer01.get(`/manual-evidence/${first.id}`).expect(404);
    await officer01.get(`/raw-payloads/${first.rawDigest}`).expect(404);
    await officer01.get(`/provinces/79/years/${YEAR}/manual-evidence`).expect(403);
    expect((await officer01.get(`/provinces/01/years/${YEAR}/manual-evidence`).expect(200)).body).toEqual([]);
  });

  it('refuses attaching to operators and auditors; auditors read every province', async () => {
    await attach(operator, '79').expect(403);
    await attach(auditor, '79').expect(403);
    await operator.get(`/provinces/79/years/${YEAR}/manual-evidence`).expect(403);
    const list = await auditor.get(`/provinces/79/years/${YEAR}/manual-evidence`).expect(200);
    expect(list.body.map((e: { id: number }) => e.id)).toEqual([first.id]);
    await auditor.get(`/manual-evidence/${first.id}`).expect(200);
    await request(app.url).get(`/provinces/79/years/${YEAR}/manual-evidence`).expect(401);
  });

  it('refuses sub-criteria that are not manual, unknown catalogues, years outside the catalogue, with the field named', async () => {
    const before = await count();
    const automatic = await attach(officer79, '79', { subCriterion: AUTOMATIC }).expect(400);
    expect(automatic.body.message).toEqual([expect.stringMatching(/^subCriterion: 3\.1\.1 of par-index-2026@2026\.0-draft is scored from evidence/)]);
    const unknownItem = await attach(officer79, '79', { subCriterion: '99.9' }).expect(400);
    expect(unknownItem.body.message).toEqual([expect.stringMatching(/^subCriterion: .* has no sub-criterion "99\.9"/)]);
    const unknown = await attach(officer79, '79', { catalogue: 'par-index-2026@9.9' }).expect(400);
    expect(unknown.body.message).toEqual([expect.stringMatching(/^catalogue: no catalogue version "par-index-2026@9\.9"/)]);
    const year = await attach(officer79, '79', { year: 2024 }).expect(400);
    expect(year.body.message).toEqual([expect.stringMatching(/^catalogue: .* covers 2025–2026, not 2024/)]);
    const blank = await attach(officer79, '79', { title: '   ' }).expect(400);
    expect((blank.body.message as string[]).join()).toMatch(/title/);
    await officer79.post(`/provinces/79/years/${YEAR}/manual-evidence`).field('catalogue', CATALOGUE).field('subCriterion', MANUAL).field('title', 'no file').expect(400);
    await officer79.get('/manual-evidence/abc').expect(400);
    await officer79.get('/manual-evidence/999999').expect(404);
    expect(await count()).toBe(before);
  });

  it('refuses content types outside the allow-list, and bytes that are not what they claim', async () => {
    const before = await count();
    const html = await attach(officer79, '79', { bytes: Buffer.from('<script>alert(1)</script>'), filename: 'x.html', contentType: 'text/html' }).expect(415);
    expect(html.body.message).toEqual([expect.stringMatching(/^file: content type "text\/html" is not accepted; accepted: application\/pdf/)]);
    await attach(officer79, '79', { bytes: Buffer.from('MZ\x90\x00'), filename: 'x.exe', contentType: 'application/octet-stream' }).expect(415);
    const fake = await attach(officer79, '79', { bytes: Buffer.from('<html></html>'), filename: 'fake.pdf' }).expect(415);
    expect(fake.body.message).toEqual(['file: the content is not a PDF (declared application/pdf)']);
    await attach(officer79, '79', { bytes: Buffer.alloc(20 * 1024 * 1024 + 1, 0x25) }).expect(413);
    expect(await count()).toBe(before);
  });

  it('versions a second attachment per sub-criterion; the list and the scorecard show the latest', async () => {
    const text = Buffer.from('Báo cáo: kế hoạch CCHC năm 2025, bản sửa đổi\n');
    const second = await attach(officer79, '79', { bytes: text, filename: 'ke-hoach.txt', contentType: 'text/plain; charset=utf-8', title: 'Kế hoạch (sửa đổi)' }).expect(201);
    expect(second.body).toMatchObject({ version: 2, contentType: 'text/plain', rawDigest: sha256(text) });
    const list = await officer79.get(`/provinces/79/years/${YEAR}/manual-evidence`).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ id: second.body.id, version: 2, versions: 2, title: 'Kế hoạch (sửa đổi)' })]);
    expect((await item(officer79, '79', MANUAL)).attachment).toMatchObject({ id: second.body.id, version: 2 });
    // the first version stays readable, and so do its bytes
    await officer79.get(`/manual-evidence/${first.id}`).expect(200);
    await officer79.get(`/raw-payloads/${first.rawDigest}`).expect(200);
  });

  it('numbers concurrent attachments without gaps or clashes; an admin may attach for any province', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map((n) => attach(app.api, '01', { subCriterion: MANUAL_UNATTACHED, bytes: Buffer.from(`report ${n}\n`), filename: `r${n}.txt`, contentType: 'text/plain' })),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(results.map((r) => r.body.version).sort()).toEqual([1, 2, 3, 4]);
    expect(results[0].body.attachedByRole).toBe('admin');
    const list = await officer01.get(`/provinces/01/years/${YEAR}/manual-evidence`).expect(200);
    expect(list.body).toEqual([expect.objectContaining({ subCriterion: MANUAL_UNATTACHED, version: 4, versions: 4 })]);
    // province 79 still sees only its own
    const own = await officer79.get(`/provinces/79/years/${YEAR}/manual-evidence`).expect(200);
    expect(own.body.map((e: { provinceCode: string }) => e.provinceCode)).toEqual(['79']);
  });
});
