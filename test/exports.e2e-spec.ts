import { Workbook } from 'exceljs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { OneStopShopSimulator, createOneStopShopSimulator } from './simulators/one-stop-shop/one-stop-shop.simulator';
import { createTestDatabase } from './support/test-database';
import { Api, TestApp, clearQueues, startTestApp, testQueuePrefix } from './support/test-app';
import { ingestOneStopShop, waitForSettled } from './support/pipeline';
import { TransparencyLogService } from '../src/ledger/transparency-log.service';

const CATALOGUE = 'par-index-2026@2026.0-draft';
const YEAR = 2025;
const base = `/provinces/79/years/${YEAR}`;
const q = `catalogue=${encodeURIComponent(CATALOGUE)}`;

function binary(res: request.Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The text of a PDF as poppler's pdftotext reads it (requires poppler-utils). */
function pdfText(bytes: Buffer, tool = 'pdftotext', args: string[] = ['-layout']): string {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
  try {
    writeFileSync(join(dir, 'f.pdf'), bytes);
    return execFileSync(tool, [...args, join(dir, 'f.pdf'), ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function workbook(bytes: Buffer): Promise<Workbook> {
  const book = new Workbook();
  await book.xlsx.load(bytes as never);
  return book;
}

const rowValues = (book: Workbook, sheet: string, row: number) => (book.getWorksheet(sheet)!.getRow(row).values as unknown[]).slice(1);

describe('exports: evidence pack (XLSX, PDF), generated evidence documents, PROV-JSON', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let sim: OneStopShopSimulator;
  let officer: Api;
  let officerOther: Api;
  let operator: Api;
  let runId: string;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    sim = await createOneStopShopSimulator({ seed: 11, provinces: ['79'], dossiersPerProvince: 200, year: YEAR, malformedRate: 0 });
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    officer = await app.as('officer', '79');
    officerOther = await app.as('officer', '01');
    operator = await app.as('operator');
    runId = (await ingestOneStopShop(app.api, '79', sim.url)).id;
    await waitForSettled(app.pool);
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await sim?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  const card = async () => (await officer.get(`${base}/scorecard?${q}`).expect(200)).body.catalogues[0] as { items: Array<Record<string, any>>; totals: Record<string, any> };

  it('exports the evidence pack workbook: Vietnamese headers, the scorecard, evidence, lineage and findings as the API shows them', async () => {
    const res = await officer.get(`${base}/exports/evidence-pack?${q}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('goi-bang-chung_79_2025.xlsx');
    const book = await workbook(res.body as Buffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Thông tin', 'Bảng điểm', 'Bằng chứng', 'Nguồn gốc', 'Phát hiện']);
    expect(rowValues(book, 'Bảng điểm', 1).slice(0, 8)).toEqual(['Mã tiêu chí', 'Tiêu chí thành phần', 'Lĩnh vực', 'Loại', 'Trạng thái', 'Giá trị', 'Điểm', 'Điểm tối đa']);
    const items = (await card()).items;
    const sheet = book.getWorksheet('Bảng điểm')!;
    expect(sheet.rowCount).toBe(items.length + 1);
    const filled = items.filter((i) => i.status === 'auto_filled');
    expect(filled.length).toBeGreaterThan(0);
    for (const item of filled) {
      const row = items.indexOf(item) + 2;
      expect(sheet.getRow(row).getCell(1).value).toBe(item.subCriterion);
      expect(sheet.getRow(row).getCell(5).value).toBe('Tự động từ dữ liệu');
      expect(sheet.getRow(row).getCell(7).value).toBe(item.points);
    }
    // missing is not zero: a sub-criterion without points has an empty cell
    const manualRow = items.findIndex((i) => i.kind === 'manual') + 2;
    expect(sheet.getRow(manualRow).getCell(7).value).toBeNull();
    const evidence = (await officer.get(`${base}/evidence`).expect(200)).body.records as unknown[];
    expect(evidence.length).toBeGreaterThan(0);
    expect(book.getWorksheet('Bằng chứng')!.rowCount).toBe(evidence.length + 1);
    // lineage: every auto-filled score appears with its evidence and the raw payload digests of the run
    const lineageSheet = book.getWorksheet('Nguồn gốc')!;
    const lineageRows = Array.from({ length: lineageSheet.rowCount - 1 }, (_, i) => (lineageSheet.getRow(i + 2).values as unknown[]).slice(1));
    const first = filled[0];
    const apiLineage = (await officer.get(`/scores/${first.scoreId}/lineage`).expect(200)).body;
    const own = lineageRows.filter((r) => r[0] === first.subCriterion);
    expect(own.map((r) => r[6]).sort()).toEqual(apiLineage.evidence.map((e: { id: number }) => e.id).sort());
    expect(String(own[0][14])).toContain(apiLineage.rawPayloads[0].digest);
    expect(String(own[0][15])).toContain(runId);
    const info = book.getWorksheet('Thông tin')!;
    expect(info.getRow(1).values).toEqual([undefined, 'Đơn vị', 'Sở Nội vụ Thành phố Hồ Chí Minh (mã 79)']);
  });

  it('exports the PDF summary with correct Vietnamese text in an embedded font', async () => {
    const res = await officer.get(`${base}/exports/summary?${q}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const s of ['BÁO CÁO TÓM TẮT BẰNG CHỨNG', 'Chỉ số cải cách hành chính năm 2025', 'Sở Nội vụ Thành phố Hồ Chí Minh', 'Trạng thái thẩm định', 'Đang tự đánh giá', 'Tiêu chí thành phần', 'Tự động từ dữ liệu']) {
      expect(text).toContain(s);
    }
    const appraisal = (await officer.get(`${base}/appraisal?${q}`).expect(200)).body;
    expect(text.replace(/\s+/g, '')).toContain(appraisal.evidenceSetDigest);
    // the fonts are embedded (subsets of DejaVu Sans)
    const fonts = pdfText(pdf, 'pdffonts', []);
    expect(fonts).toMatch(/DejaVuSans\s.*yes/);
    expect(fonts).toMatch(/DejaVuSans-Bold.*yes/);
  });

  it('lists and generates the evidence document of each data-filled sub-criterion, named by its code, as PDF and XLSX', async () => {
    const list = (await officer.get(`${base}/generated-documents?${q}`).expect(200)).body as Array<Record<string, string>>;
    const items = (await card()).items;
    expect(list.map((d) => d.subCriterion).sort()).toEqual(items.filter((i) => i.kind !== 'manual' && i.scoreId !== null && ['auto_filled', 'stale', 'no_data'].includes(i.status)).map((i) => i.subCriterion).sort());
    const doc = list.find((d) => d.status === 'auto_filled')!;
    const item = items.find((i) => i.subCriterion === doc.subCriterion)!;
    // the score is in the transparency log: the document names the signed checkpoint covering it
    const log = app.app.get(TransparencyLogService);
    await log.appendPending();
    const pdf = await officer.get(doc.pdf).buffer(true).parse(binary).expect(200);
    expect(pdf.headers['content-disposition']).toContain(`TCTP-${doc.subCriterion}_79_2025.pdf`);
    const text = pdfText(pdf.body as Buffer);
    for (const s of ['TÀI LIỆU KIỂM CHỨNG TỰ ĐỘNG', `Tiêu chí thành phần ${doc.subCriterion}`, 'Sở Nội vụ Thành phố Hồ Chí Minh', 'năm 2025 (01/01/2025 – 31/12/2025', 'Quy tắc tính điểm', 'oss-79', 'Mã băm bằng chứng']) {
      expect(text).toContain(s);
    }
    const xlsx = await officer.get(doc.xlsx).buffer(true).parse(binary).expect(200);
    expect(xlsx.headers['content-disposition']).toContain(`TCTP-${doc.subCriterion}_79_2025.xlsx`);
    const book = await workbook(xlsx.body as Buffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Tài liệu kiểm chứng', 'Số liệu đầu vào', 'Nguồn dữ liệu']);
    const facts = Object.fromEntries(Array.from({ length: book.getWorksheet('Tài liệu kiểm chứng')!.rowCount }, (_, i) => rowValues(book, 'Tài liệu kiểm chứng', i + 1)));
    expect(facts['Tiêu chí thành phần']).toBe(`${item.subCriterion} — ${item.title}`);
    expect(facts['Mã băm bằng chứng (SHA-256)']).toMatch(/^[0-9a-f]{64}$/);
    expect(facts['Quy tắc (mã băm)']).toBe(item.ruleDigest);
    const leaf = await log.leafOf('score', String(item.scoreId));
    const checkpoint = await log.latestCheckpoint();
    expect(String(facts['Điểm kiểm tra sổ cái']).startsWith(`lá ${leaf!.index} (score ${item.scoreId}), cây ${checkpoint!.treeSize} lá, gốc ${checkpoint!.rootHash}, khoá `)).toBe(true);
    expect(rowValues(book, 'Nguồn dữ liệu', 2)[0]).toBe(runId);
    expect(book.getWorksheet('Số liệu đầu vào')!.rowCount).toBe(item.evidenceCount + 1);
  });

  it('answers 4xx to bad requests and keeps other provinces out', async () => {
    const manual = (await card()).items.find((i) => i.kind === 'manual')!;
    await officer.get(`${base}/generated-documents/${manual.subCriterion}?${q}&format=pdf`).expect(404);
    expect((await officer.get(`${base}/generated-documents/3.1.1?${q}&format=doc`).expect(400)).body.message.join()).toMatch(/format/);
    await officer.get(`${base}/exports/evidence-pack`).expect(400);
    await officer.get(`${base}/exports/summary?catalogue=nope@1`).expect(400);
    await officerOther.get(`${base}/exports/evidence-pack?${q}`).expect(403);
    await officerOther.get(`${base}/generated-documents?${q}`).expect(403);
    await operator.get(`${base}/exports/summary?${q}`).expect(403);
    await request(app.url).get(`${base}/exports/summary?${q}`).expect(401);
  });

  it('exports a score lineage as PROV-JSON: the evidence, raw payloads, run and connector, linked', async () => {
    const item = (await card()).items.find((i) => i.status === 'auto_filled')!;
    const lineage = (await officer.get(`/scores/${item.scoreId}/lineage`).expect(200)).body;
    const prov = (await officer.get(`/scores/${item.scoreId}/prov`).expect(200)).body;
    expect(Object.keys(prov.prefix)).toEqual(expect.arrayContaining(['prov', 'xsd', 'par', 'sha256']));
    for (const e of lineage.evidence) expect(prov.entity).toHaveProperty([`par:evidence/${e.id}`]);
    for (const p of lineage.rawPayloads) expect(prov.entity).toHaveProperty([`sha256:${p.digest}`]);
    expect(prov.activity).toHaveProperty([`par:run/${runId}`]);
    expect(Object.values(prov.wasGeneratedBy)).toContainEqual(expect.objectContaining({ 'prov:entity': `sha256:${lineage.rawPayloads[0].digest}`, 'prov:activity': `par:run/${runId}` }));
    expect(Object.values(prov.wasDerivedFrom)).toContainEqual(expect.objectContaining({ 'prov:generatedEntity': `par:score/${item.scoreId}`, 'prov:usedEntity': `par:evidence/${lineage.evidence[0].id}` }));
    expect(Object.values(prov.wasAssociatedWith)).toContainEqual(expect.objectContaining({ 'prov:activity': `par:run/${runId}`, 'prov:agent': expect.stringMatching(/^par:connector\//) }));
    await officerOther.get(`/scores/${item.scoreId}/prov`).expect(404);
    await officer.get('/scores/abc/prov').expect(400);
  });
});
