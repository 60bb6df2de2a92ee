import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import { AccessScope } from '../platform/auth/access-policy';
import { InjectPool, withTransaction } from '../platform/database/database.module';
import { ScoringCatalogue, coversYear } from '../scoring/catalogue';
import { SCORING_CATALOGUES, catalogueKey } from '../scoring/scoring-catalogues.provider';
import { UnitsCatalogue } from '../units/units.loader';
import { APPRAISAL_LEDGER, AppraisalLedger } from './appraisal-ledger';
import { AppraisalAction, AppraisalState, checkReview, ministryMayReview, nextActions, transition } from './appraisal-state';
import { EvidenceSet, diffEvidenceSets, evidenceSetDigest } from './evidence-set';
import { loadEvidenceSet } from './evidence-set.loader';

const bad = (message: string[]) => new BadRequestException({ statusCode: 400, error: 'Bad Request', message });
const conflict = (message: string) => new ConflictException({ statusCode: 409, error: 'Conflict', message: [message] });

function toEvent(r: Record<string, any>) {
  return {
    id: Number(r.id),
    action: r.action as AppraisalAction,
    from: r.from_state as AppraisalState,
    to: r.to_state as AppraisalState,
    reasons: r.reasons as string[],
    note: (r.note as string | null) ?? null,
    actor: r.actor as string,
    actorRole: r.actor_role as string,
    evidenceSetDigest: (r.evidence_set_digest as string | null) ?? null,
    at: r.created_at as Date,
  };
}

export interface ActionInput {
  catalogue: string;
  reasons?: string[];
  note?: string;
}

/**
 * The appraisal of a province-year for one catalogue version: its state, history and, once approved, the
 * evidence set the approval is bound to. Reading the case re-reads the evidence set: when it no longer hashes
 * to the approved digest the approval is stale and the changes are listed.
 */
@Injectable()
export class AppraisalService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(SCORING_CATALOGUES) private readonly catalogues: ScoringCatalogue[],
    @Inject(APPRAISAL_LEDGER) private readonly ledger: AppraisalLedger,
    private readonly units: UnitsCatalogue,
  ) {}

  /** The catalogue version named, covering the year; 400 naming the field otherwise. */
  catalogueFor(provinceCode: string, year: number, catalogue: string): ScoringCatalogue {
    if (!this.units.isCurrentProvince(provinceCode)) throw bad([`provinceCode: ${provinceCode} is not a current province`]);
    const found = this.catalogues.find((c) => catalogueKey(c) === catalogue);
    if (!found) throw bad([`catalogue: no catalogue version "${catalogue}"; for ${year}: ${this.catalogues.filter((c) => coversYear(c, year)).map(catalogueKey).join(', ') || 'none'}`]);
    if (!coversYear(found, year)) throw bad([`catalogue: ${catalogue} covers ${found.years.from}–${found.years.to}, not ${year}`]);
    return found;
  }

  async view(scope: AccessScope, provinceCode: string, year: number, catalogue: string) {
    scope.assertProvince(provinceCode);
    this.catalogueFor(provinceCode, year, catalogue);
    const params: unknown[] = [provinceCode, year, catalogue];
    const scoped = scope.provinceCondition('province_code', params);
    const [{ rows: cases }, { rows: events }, current] = await Promise.all([
      this.pool.query(`SELECT * FROM appraisal_case WHERE province_code = $1 AND year = $2 AND catalogue_version = $3 AND ${scoped}`, params),
      this.pool.query(`SELECT * FROM appraisal_event WHERE province_code = $1 AND year = $2 AND catalogue_version = $3 AND ${scoped} ORDER BY id`, params),
      loadEvidenceSet(this.pool, provinceCode, year, catalogue),
    ]);
    const state: AppraisalState = cases[0]?.state ?? 'self_assessment';
    const currentDigest = evidenceSetDigest(current);
    const lastApproval = [...events].reverse().find((e) => e.action === 'approve');
    const lastReturn = [...events].reverse().find((e) => e.action === 'return');
    const approval =
      state === 'approved' && lastApproval
        ? (() => {
            const bound = lastApproval.evidence_set as EvidenceSet;
            const changes = diffEvidenceSets(bound, current);
            return {
              eventId: Number(lastApproval.id),
              approvedAt: lastApproval.created_at as Date,
              approvedBy: lastApproval.actor as string,
              evidenceSetDigest: lastApproval.evidence_set_digest as string,
              currentEvidenceSetDigest: currentDigest,
              // stale when anything bound changed, even a row edited behind the service's back
              stale: lastApproval.evidence_set_digest !== currentDigest || evidenceSetDigest(bound) !== lastApproval.evidence_set_digest,
              changes,
            };
          })()
        : null;
    return {
      provinceCode,
      year,
      catalogue,
      state,
      revision: cases[0]?.revision ?? 0,
      updatedAt: cases[0]?.updated_at ?? null,
      nextActions: nextActions(state),
      evidenceSetDigest: currentDigest,
      evidenceSet: { scores: current.scores.length, evidence: current.evidence.length, imported: current.imported.length, manualDocuments: current.manual.length },
      approval,
      lastReturn: lastReturn && state === 'returned' ? { reasons: lastReturn.reasons as string[], at: lastReturn.created_at as Date, by: lastReturn.actor as string } : null,
      history: events.map(toEvent),
    };
  }

  async act(scope: AccessScope, provinceCode: string, year: number, action: AppraisalAction, input: ActionInput) {
    scope.assertProvince(provinceCode);
    this.catalogueFor(provinceCode, year, input.catalogue);
    const reasons = (input.reasons ?? []).map((r) => r.trim()).filter((r) => r !== '');
    await withTransaction(this.pool, async (db) => {
      const state = await this.lockCase(db, provinceCode, year, input.catalogue);
      const result = transition(state, action, reasons);
      if (!result.ok) throw result.status === 400 ? bad([result.message]) : conflict(result.message);
      // what the province submitted and what the ministry approved are kept with their digest
      const set = action === 'submit' || action === 'approve' ? await loadEvidenceSet(db, provinceCode, year, input.catalogue) : null;
      const digest = set ? evidenceSetDigest(set) : null;
      const { rows } = await db.query(
        `INSERT INTO appraisal_event (province_code, year, catalogue_version, action, from_state, to_state, reasons, note, actor, actor_role, evidence_set_digest, evidence_set)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
        [provinceCode, year, input.catalogue, action, state, result.to, reasons, input.note?.trim() || null, scope.principal.name, scope.principal.role, digest, set ? JSON.stringify(set) : null],
      );
      await db.query(
        `UPDATE appraisal_case SET state = $4, revision = revision + 1, updated_at = now() WHERE province_code = $1 AND year = $2 AND catalogue_version = $3`,
        [provinceCode, year, input.catalogue, result.to],
      );
      const event = toEvent(rows[0]);
      await this.ledger.append('appraisal_decision', String(event.id), {
        id: String(event.id),
        province_code: provinceCode,
        year,
        catalogue_version: input.catalogue,
        action: event.action,
        from_state: event.from,
        to_state: event.to,
        reasons: event.reasons,
        actor: event.actor,
        actor_role: event.actorRole,
        evidence_set_digest: event.evidenceSetDigest,
        created_at: event.at.toISOString(),
      }, db);
      return event;
    });
    return this.view(scope, provinceCode, year, input.catalogue);
  }

  /** An appraiser's decision on the current version of an attached document, while the appraisal is open. */
  async review(scope: AccessScope, manualEvidenceId: string, input: { decision: 'accepted' | 'rejected'; points?: number; reason?: string }) {
    const params: unknown[] = [manualEvidenceId];
    const { rows: docs } = await this.pool.query(
      `SELECT m.*, (SELECT max(version) FROM manual_evidence x WHERE x.province_code = m.province_code AND x.year = m.year
                      AND x.catalogue_version = m.catalogue_version AND x.sub_criterion = m.sub_criterion) AS latest
         FROM manual_evidence m WHERE m.id = $1::bigint AND ${scope.provinceCondition('m.province_code', params)}`,
      params,
    );
    if (docs.length === 0) throw new NotFoundException(`no manual evidence with id ${manualEvidenceId}`);
    const doc = docs[0];
    const catalogue = this.catalogues.find((c) => catalogueKey(c) === doc.catalogue_version);
    const item = catalogue?.subCriteria.find((s) => s.code === doc.sub_criterion);
    if (!catalogue || !item) throw conflict(`the catalogue version ${doc.catalogue_version} of this document is no longer loaded`);
    if (doc.withdrawn_at !== null) throw conflict('the document was withdrawn by its province');
    if (doc.version !== doc.latest) throw conflict(`the document was replaced: version ${doc.latest} is current`);
    const errors = checkReview(input.decision === 'accepted' ? { decision: 'accepted', points: input.points, reason: input.reason } : { decision: 'rejected', points: input.points, reason: input.reason }, item.maxPoints);
    if (errors.length > 0) throw bad(errors);
    const review = await withTransaction(this.pool, async (db) => {
      const state = await this.lockCase(db, doc.province_code, doc.year, doc.catalogue_version);
      if (!ministryMayReview(state)) throw conflict(`documents are reviewed during appraisal; this appraisal is ${state}`);
      const { rows } = await db.query(
        `INSERT INTO manual_evidence_review (manual_evidence_id, decision, points, reason, reviewer, reviewer_role)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *, points::text AS points_text`,
        [doc.id, input.decision, input.decision === 'accepted' ? input.points : null, input.reason?.trim() || null, scope.principal.name, scope.principal.role],
      );
      const r = rows[0];
      await this.ledger.append('review_decision', String(r.id), {
        id: String(r.id),
        manual_evidence_id: String(doc.id),
        province_code: doc.province_code,
        year: doc.year,
        catalogue_version: doc.catalogue_version,
        sub_criterion: doc.sub_criterion,
        raw_digest: doc.raw_digest,
        decision: r.decision,
        points: r.points_text ?? null,
        max_points: String(item.maxPoints),
        reason: r.reason ?? null,
        reviewer: r.reviewer,
        reviewer_role: r.reviewer_role,
        created_at: (r.created_at as Date).toISOString(),
      }, db);
      return r;
    });
    const body = {
      id: Number(review.id),
      manualEvidenceId: Number(doc.id),
      provinceCode: doc.province_code as string,
      year: doc.year as number,
      catalogue: doc.catalogue_version as string,
      subCriterion: doc.sub_criterion as string,
      rawDigest: doc.raw_digest as string,
      decision: review.decision as 'accepted' | 'rejected',
      points: review.points === null ? null : Number(review.points),
      maxPoints: item.maxPoints,
      reason: (review.reason as string | null) ?? null,
      reviewer: review.reviewer as string,
      reviewerRole: review.reviewer_role as string,
      reviewedAt: review.created_at as Date,
    };
    return body;
  }

  /** The case row, created in self-assessment if new, locked for the transaction. */
  private async lockCase(db: PoolClient, provinceCode: string, year: number, catalogue: string): Promise<AppraisalState> {
    await db.query(
      `INSERT INTO appraisal_case (province_code, year, catalogue_version, state) VALUES ($1, $2, $3, 'self_assessment') ON CONFLICT DO NOTHING`,
      [provinceCode, year, catalogue],
    );
    const { rows } = await db.query(`SELECT state FROM appraisal_case WHERE province_code = $1 AND year = $2 AND catalogue_version = $3 FOR UPDATE`, [provinceCode, year, catalogue]);
    return rows[0].state as AppraisalState;
  }
}
