import request from 'supertest';
import { createTestDatabase } from './support/test-database';
import { Api, TestApp, clearQueues, startTestApp, testQueuePrefix, waitFor } from './support/test-app';
import { waitForSettled } from './support/pipeline';
import { TransparencyLogService } from '../src/ledger/transparency-log.service';

const CATALOGUE = 'par-index-2026@2026.0-draft';
const MANUAL = '1.1.1'; // max 1 point
const SIPAS = '8.1.1'; // imported sipas.satisfaction, max 10
const YEAR = 2025;
const base = `/provinces/79/years/${YEAR}`;

describe('self-assessment and appraisal: a province-year from preparation to an approval bound to its evidence', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let app: TestApp;
  let officer: Api;
  let officerOther: Api;
  let appraiser: Api;
  let auditor: Api;
  let operator: Api;
  const prefix = testQueuePrefix();

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, prefix, { APP_ROLE: 'api,worker' });
    officer = await app.as('officer', '79');
    officerOther = await app.as('officer', '01');
    appraiser = await app.as('appraiser');
    auditor = await app.as('auditor');
    operator = await app.as('operator');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await clearQueues(prefix);
    await db?.drop();
  });

  const view = async (client: Api = officer) => (await client.get(`${base}/appraisal?catalogue=${encodeURIComponent(CATALOGUE)}`).expect(200)).body;
  const act = (client: Api, action: string, body: Record<string, unknown> = {}) => client.post(`${base}/appraisal/${action}`).send({ catalogue: CATALOGUE, ...body });
  const attach = (bytes: string) =>
    officer
      .post(`${base}/manual-evidence`)
      .field('catalogue', CATALOGUE)
      .field('subCriterion', MANUAL)
      .field('title', 'Kế hoạch CCHC năm 2025')
      .attach('file', Buffer.from(bytes), { filename: 'ke-hoach.txt', contentType: 'text/plain' });
  const item = async (code: string) => {
    const res = await officer.get(`${base}/scorecard?catalogue=${encodeURIComponent(CATALOGUE)}`).expect(200);
    const card = res.body.catalogues[0];
    return { item: (card.items as Array<Record<string, any>>).find((i) => i.subCriterion === code)!, totals: card.totals };
  };
  const importSipas = async (value: number) => {
    await officer.post('/imports').send({ source: 'SIPAS 2025', values: [{ provinceCode: '79', year: YEAR, key: 'sipas.satisfaction', value, max: 100 }] }).expect(201);
    await waitForSettled(app.pool);
  };

  let doc: { id: number };

  it('starts in self-assessment: the province attaches and scores exist; nothing can be reviewed yet', async () => {
    await importSipas(80);
    doc = (await attach('bản kế hoạch').expect(201)).body;
    const v = await view();
    expect(v).toMatchObject({ provinceCode: '79', year: YEAR, catalogue: CATALOGUE, state: 'self_assessment', nextActions: ['submit'], approval: null, history: [] });
    expect(v.evidenceSetDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(v.evidenceSet.scores).toBeGreaterThan(0);
    expect(v.evidenceSet).toMatchObject({ imported: 1, manualDocuments: 1 });
    const early = await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'accepted', points: 1 }).expect(409);
    expect(early.body.message).toEqual(['documents are reviewed during appraisal; this appraisal is self_assessment']);
  });

  it('keeps each party to its own actions and other provinces out', async () => {
    await act(appraiser, 'submit').expect(403);
    await act(officer, 'start').expect(403);
    await act(auditor, 'submit').expect(403);
    await act(officerOther, 'submit').expect(403);
    await officerOther.get(`${base}/appraisal?catalogue=${encodeURIComponent(CATALOGUE)}`).expect(403);
    await operator.get(`${base}/appraisal?catalogue=${encodeURIComponent(CATALOGUE)}`).expect(403);
    await officerOther.post(`/manual-evidence/${doc.id}/withdraw`).send({}).expect(404);
    await request(app.url).get(`${base}/appraisal?catalogue=${encodeURIComponent(CATALOGUE)}`).expect(401);
    await auditor.get(`${base}/appraisal?catalogue=${encodeURIComponent(CATALOGUE)}`).expect(200);
  });

  it('answers bad input with field-level 4xx', async () => {
    expect((await officer.get(`${base}/appraisal`).expect(400)).body.message.join()).toMatch(/catalogue/);
    expect((await officer.get(`${base}/appraisal?catalogue=nope@1`).expect(400)).body.message).toEqual([expect.stringMatching(/^catalogue: no catalogue version "nope@1"/)]);
    expect((await officer.get(`/provinces/79/years/2024/appraisal?catalogue=${encodeURIComponent(CATALOGUE)}`).expect(400)).body.message).toEqual([expect.stringMatching(/covers 2025–2026, not 2024/)]);
    await act(officer, 'submit', { extra: 1 }).expect(400);
    await act(appraiser, 'approve').expect(409);
  });

  it('submits: the documents are locked; the appraiser opens the appraisal', async () => {
    const submitted = (await act(officer, 'submit', { note: 'Tự đánh giá năm 2025' }).expect(200)).body;
    expect(submitted).toMatchObject({ state: 'submitted', nextActions: ['start'], revision: 1 });
    expect(submitted.history).toEqual([
      expect.objectContaining({ action: 'submit', from: 'self_assessment', to: 'submitted', note: 'Tự đánh giá năm 2025', actorRole: 'officer', evidenceSetDigest: submitted.evidenceSetDigest }),
    ]);
    expect((await attach('late').expect(409)).body.message).toEqual(['documents cannot change while the self-assessment is submitted']);
    await officer.post(`/manual-evidence/${doc.id}/withdraw`).send({}).expect(409);
    await act(officer, 'submit').expect(409);
    expect((await act(appraiser, 'start').expect(200)).body).toMatchObject({ state: 'in_appraisal', nextActions: ['approve', 'return'] });
  });

  it('reviews a document: points bounded by the maximum; the scorecard shows status and points', async () => {
    const over = await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'accepted', points: 1.5 }).expect(400);
    expect(over.body.message).toEqual(["points: must be between 0 and the sub-criterion's maximum 1"]);
    await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'accepted' }).expect(400);
    await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'maybe', points: 1 }).expect(400);
    // a number printed in exponent form is a number like any other (this once made the validator throw)
    await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'maybe', points: 3e-323, reason: null }).expect(400);
    await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'accepted', points: 1e21 }).expect(400);
    await appraiser.post(`/manual-evidence/999999/review`).send({ decision: 'accepted', points: 1 }).expect(404);
    const before = await item(MANUAL);
    const accepted = await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'accepted', points: 0.5 }).expect(200);
    expect(accepted.body).toMatchObject({ manualEvidenceId: doc.id, subCriterion: MANUAL, decision: 'accepted', points: 0.5, maxPoints: 1, reviewerRole: 'appraiser' });
    const after = await item(MANUAL);
    expect(after.item).toMatchObject({ status: 'manual_accepted', points: 0.5, attachment: { id: doc.id, review: { decision: 'accepted', points: 0.5 } } });
    expect(after.totals.points).toBeCloseTo(before.totals.points + 0.5, 6);
    expect(after.totals.manualAcceptedPoints).toBe(0.5);
    expect((await officer.get(`/manual-evidence/${doc.id}`).expect(200)).body.review).toMatchObject({ decision: 'accepted', points: 0.5 });
  });

  it('returns with reasons; the province replaces and withdraws, and the review starts over', async () => {
    expect((await act(appraiser, 'return').expect(400)).body.message.join()).toMatch(/reasons/);
    const returned = (await act(appraiser, 'return', { reasons: ['1.1.1: kế hoạch chưa có chữ ký'] }).expect(200)).body;
    expect(returned).toMatchObject({ state: 'returned', lastReturn: { reasons: ['1.1.1: kế hoạch chưa có chữ ký'] }, nextActions: ['submit'] });
    const replaced = await officer.post(`/manual-evidence/${doc.id}/replace`).attach('file', Buffer.from('bản có chữ ký'), { filename: 'ky.txt', contentType: 'text/plain' }).expect(201);
    expect(replaced.body).toMatchObject({ version: 2, subCriterion: MANUAL, title: 'Kế hoạch CCHC năm 2025', review: null, withdrawn: null });
    expect((await item(MANUAL)).item).toMatchObject({ status: 'manual_needed', points: null, attachment: { id: replaced.body.id, review: null } });
    // only the current version can be withdrawn
    await officer.post(`/manual-evidence/${doc.id}/withdraw`).send({}).expect(409);
    const withdrawn = await officer.post(`/manual-evidence/${replaced.body.id}/withdraw`).send({ reason: 'nhầm tệp' }).expect(200);
    expect(withdrawn.body.withdrawn).toMatchObject({ by: 'test-officer-79', reason: 'nhầm tệp' });
    expect((await item(MANUAL)).item).toMatchObject({ status: 'manual_needed', attachment: null });
    await officer.post(`/manual-evidence/${replaced.body.id}/withdraw`).send({}).expect(409);
    doc = (await attach('bản cuối').expect(201)).body;
    expect(doc).toMatchObject({ version: 3 });
  });

  it('resubmits; rejects then accepts; approves bound to the evidence set as it is', async () => {
    await act(officer, 'submit').expect(200);
    await act(appraiser, 'start').expect(200);
    expect((await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'rejected' }).expect(400)).body.message).toEqual(['reason: a rejected document needs a reason']);
    await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'rejected', reason: 'thiếu dấu', points: 1 }).expect(400);
    await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'rejected', reason: 'thiếu dấu' }).expect(200);
    expect((await item(MANUAL)).item).toMatchObject({ status: 'manual_rejected', points: null, attachment: { review: { decision: 'rejected', reason: 'thiếu dấu' } } });
    await appraiser.post(`/manual-evidence/${doc.id}/review`).send({ decision: 'accepted', points: 1 }).expect(200);
    const approved = (await act(appraiser, 'approve', { note: 'Đạt' }).expect(200)).body;
    expect(approved).toMatchObject({ state: 'approved', nextActions: ['reopen'], approval: { stale: false, changes: [], approvedBy: 'test-appraiser-all' } });
    expect(approved.approval.evidenceSetDigest).toBe(approved.evidenceSetDigest);
    expect(approved.history.map((e: { action: string }) => e.action)).toEqual(['submit', 'start', 'return', 'submit', 'start', 'approve']);
  });

  it('goes stale, visibly, when a bound score is changed in the database, and fresh again when it is put back', async () => {
    const { rows } = await app.pool.query(
      `SELECT id, points FROM score WHERE province_code = '79' AND period_key = '2025' AND catalogue_version = $1 AND sub_criterion = $2 ORDER BY version DESC LIMIT 1`,
      [CATALOGUE, SIPAS],
    );
    await app.pool.query(`UPDATE score SET points = points + 1 WHERE id = $1`, [rows[0].id]);
    const stale = (await view(appraiser)).approval;
    expect(stale.stale).toBe(true);
    expect(stale.currentEvidenceSetDigest).not.toBe(stale.evidenceSetDigest);
    expect(stale.changes).toEqual([expect.objectContaining({ part: 'scores', key: SIPAS, change: 'changed', fields: ['points'] })]);
    await app.pool.query(`UPDATE score SET points = $2 WHERE id = $1`, [rows[0].id, rows[0].points]);
    expect((await view(appraiser)).approval).toMatchObject({ stale: false, changes: [] });
  });

  it('goes stale when new evidence changes a score, listing the imported value and the score', async () => {
    await importSipas(90);
    const approval = await waitFor(async () => {
      const v = await view(officer);
      return v.approval.changes.some((c: { part: string }) => c.part === 'scores') ? v.approval : undefined;
    }, 30_000, 'the rescored approval to go stale');
    expect(approval.stale).toBe(true);
    expect(approval.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ part: 'imported', key: 'sipas.satisfaction', change: 'changed', fields: expect.arrayContaining(['id', 'value', 'version']) }),
        expect.objectContaining({ part: 'scores', key: SIPAS, change: 'changed', fields: expect.arrayContaining(['points', 'version']) }),
      ]),
    );
    // the appraiser reopens it with a reason, and can approve the new set
    await act(appraiser, 'reopen').expect(400);
    expect((await act(appraiser, 'reopen', { reasons: ['SIPAS 2025 corrected'] }).expect(200)).body).toMatchObject({ state: 'in_appraisal', approval: null });
    expect((await act(appraiser, 'approve').expect(200)).body.approval).toMatchObject({ stale: false, changes: [] });
  });

  it('logs every review decision and appraisal decision in the transparency log', async () => {
    const log = app.app.get(TransparencyLogService);
    await log.appendPending();
    const reviews = (await app.pool.query(`SELECT id FROM manual_evidence_review ORDER BY id`)).rows;
    const events = (await app.pool.query(`SELECT id, evidence_set_digest FROM appraisal_event ORDER BY id`)).rows;
    expect(reviews.length).toBe(3);
    for (const r of reviews) {
      const leaf = await log.leafOf('review_decision', String(r.id));
      expect(leaf).not.toBeNull();
      expect(JSON.parse(leaf!.leaf)).toMatchObject({ kind: 'review_decision', fact: { id: String(r.id), province_code: '79', sub_criterion: MANUAL } });
    }
    for (const e of events) {
      const leaf = await log.leafOf('appraisal_decision', String(e.id));
      expect(JSON.parse(leaf!.leaf).fact).toMatchObject({ id: String(e.id), evidence_set_digest: e.evidence_set_digest });
    }
    const withdrawn = (await app.pool.query(`SELECT id FROM manual_evidence WHERE withdrawn_at IS NOT NULL`)).rows;
    expect(withdrawn).toHaveLength(1);
    expect(JSON.parse((await log.leafOf('manual_evidence_withdrawal', String(withdrawn[0].id)))!.leaf).fact).toMatchObject({ reason: 'nhầm tệp', withdrawn_by: 'test-officer-79' });
    const accepted = JSON.parse((await log.leafOf('review_decision', String(reviews[0].id)))!.leaf).fact;
    expect(accepted).toMatchObject({ decision: 'accepted', points: expect.stringMatching(/^0\.5/), max_points: '1' });
  });

  it('keeps the history append-only in the database', async () => {
    await expect(app.pool.query(`UPDATE appraisal_event SET note = 'x'`)).rejects.toThrow(/append-only/);
    await expect(app.pool.query(`DELETE FROM manual_evidence_review`)).rejects.toThrow(/append-only/);
  });
  it('logs every review and appraisal decision in the transparency log, once', async () => {
    const { rows } = await app.pool.query(
      `SELECT (SELECT count(*) FROM manual_evidence_review)::int AS reviews, (SELECT count(*) FROM appraisal_event)::int AS events,
              (SELECT count(*) FROM ledger_leaf WHERE kind = 'review_decision')::int AS review_leaves,
              (SELECT count(*) FROM ledger_leaf WHERE kind = 'appraisal_decision')::int AS event_leaves`,
    );
    expect(rows[0].reviews).toBeGreaterThan(0);
    expect(rows[0].review_leaves).toBe(rows[0].reviews);
    expect(rows[0].event_leaves).toBe(rows[0].events);
  });
});
