import { BadRequestException, ConflictException, HttpException, Inject, Injectable, NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import { ArchiveLimitError, DOCUMENT_ZIP_LIMITS, inspectZip, looksLikeZip } from '../../platform/uploads/zip-limits';
import { Pool, PoolClient } from 'pg';
import { AccessScope } from '../../platform/auth/access-policy';
import { InjectPool, withTransaction } from '../../platform/database/database.module';
import { TransparencyLogService } from '../../ledger/transparency-log.service';
import { storeUploadedPayload } from '../../raw-archive/raw-archive.service';
import { UnitsCatalogue } from '../../units/units.loader';
import { ScoringCatalogue } from '../catalogue';
import { SCORING_CATALOGUES } from '../scoring-catalogues.provider';
import { checkDocument, compareCodes, resolveManualTarget } from './manual-evidence.rules';

/** One attached document (a version of the attachment of a manual sub-criterion); never the bytes. */
export interface ManualEvidence {
  id: number;
  provinceCode: string;
  year: number;
  catalogue: string;
  subCriterion: string;
  title: string;
  documentKind: string | null;
  rawDigest: string;
  fileName: string | null;
  contentType: string;
  size: number;
  attachedBy: string;
  attachedByRole: string;
  version: number;
  createdAt: Date;
  /** set when the province withdrew this version (it then counts as no document) */
  withdrawn: { at: Date; by: string; reason: string | null } | null;
  /** the latest appraiser's decision on this version, if any */
  review: ManualReview | null;
}

export interface ManualReview {
  id: number;
  decision: 'accepted' | 'rejected';
  points: number | null;
  reason: string | null;
  reviewer: string;
  reviewedAt: Date;
}

export interface AttachInput {
  catalogue: string;
  subCriterion: string;
  title: string;
  fileName: string | null;
  contentType: string | null;
  bytes: Buffer;
}

const bad = (message: string[]) => new BadRequestException({ statusCode: 400, error: 'Bad Request', message });

function toEvidence(r: Record<string, unknown>): ManualEvidence {
  return {
    id: Number(r.id),
    provinceCode: r.province_code as string,
    year: r.year as number,
    catalogue: r.catalogue_version as string,
    subCriterion: r.sub_criterion as string,
    title: r.title as string,
    documentKind: (r.document_kind as string | null) ?? null,
    rawDigest: r.raw_digest as string,
    fileName: (r.file_name as string | null) ?? null,
    contentType: r.content_type as string,
    size: r.size as number,
    attachedBy: r.attached_by as string,
    attachedByRole: r.attached_by_role as string,
    version: r.version as number,
    createdAt: r.created_at as Date,
    withdrawn: r.withdrawn_at ? { at: r.withdrawn_at as Date, by: r.withdrawn_by as string, reason: (r.withdrawal_reason as string | null) ?? null } : null,
    review:
      r.review_id === null || r.review_id === undefined
        ? null
        : {
            id: Number(r.review_id),
            decision: r.review_decision as 'accepted' | 'rejected',
            points: r.review_points === null ? null : Number(r.review_points),
            reason: (r.review_reason as string | null) ?? null,
            reviewer: r.reviewer as string,
            reviewedAt: r.reviewed_at as Date,
          },
  };
}

/** The latest review of each document row `m` (joined as review_* columns). */
const LATEST_REVIEW = `LEFT JOIN LATERAL (SELECT id AS review_id, decision AS review_decision, points AS review_points, reason AS review_reason, reviewer, created_at AS reviewed_at
                        FROM manual_evidence_review x WHERE x.manual_evidence_id = m.id ORDER BY x.id DESC LIMIT 1) rv ON TRUE`;

const conflict = (message: string) => new ConflictException({ statusCode: 409, error: 'Conflict', message: [message] });

/**
 * A province changes its documents only while it prepares its self-assessment (or after it was returned): the
 * appraisal case of the province, year and catalogue is created if missing and share-locked for the transaction.
 */
async function assertProvinceMayEdit(db: PoolClient, provinceCode: string, year: number, catalogue: string): Promise<void> {
  await db.query(`INSERT INTO appraisal_case (province_code, year, catalogue_version, state) VALUES ($1, $2, $3, 'self_assessment') ON CONFLICT DO NOTHING`, [provinceCode, year, catalogue]);
  const { rows } = await db.query(`SELECT state FROM appraisal_case WHERE province_code = $1 AND year = $2 AND catalogue_version = $3 FOR SHARE`, [provinceCode, year, catalogue]);
  const state = rows[0]?.state as string;
  if (state !== 'self_assessment' && state !== 'returned') throw conflict(`documents cannot change while the self-assessment is ${state}`);
}

/**
 * Documents a province attaches to the `manual` sub-criteria of a catalogue (the plan issued, the report sent):
 * the bytes go to the raw archive (by SHA-256), and each attachment is a new version per province, year,
 * catalogue version and sub-criterion. Nothing is scored from them: they wait for a reviewer.
 */
@Injectable()
export class ManualEvidenceService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(SCORING_CATALOGUES) private readonly catalogues: ScoringCatalogue[],
    private readonly units: UnitsCatalogue,
    private readonly log: TransparencyLogService,
  ) {}

  async attach(scope: AccessScope, provinceCode: string, year: number, input: AttachInput): Promise<ManualEvidence> {
    scope.assertProvince(provinceCode);
    if (!this.units.isCurrentProvince(provinceCode)) throw bad([`provinceCode: ${provinceCode} is not a current province`]);
    const target = resolveManualTarget(this.catalogues, input.catalogue, input.subCriterion, year);
    if (!target.ok) throw bad(target.errors);
    const check = checkDocument(input.contentType, input.bytes);
    if (!check.ok) {
      if (check.reason === 'empty') throw bad([check.message]);
      throw new UnsupportedMediaTypeException({ statusCode: 415, error: 'Unsupported Media Type', message: [check.message] });
    }
    // archive formats (DOCX, XLSX, ODT, ZIP) are inspected before anything is stored: a zip bomb is refused
    if (looksLikeZip(input.bytes)) {
      try {
        await inspectZip(input.bytes, DOCUMENT_ZIP_LIMITS, 'the file');
      } catch (error) {
        if (!(error instanceof ArchiveLimitError)) throw error;
        const statusText = error.status === 413 ? 'Payload Too Large' : 'Unprocessable Entity';
        throw new HttpException({ statusCode: error.status, error: statusText, message: [`file: ${error.message}`] }, error.status);
      }
    }
    const principal = scope.principal;
    const row = await withTransaction(this.pool, async (db) => {
      // versions are numbered per province, year, catalogue and sub-criterion: concurrent attachments queue here
      await db.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `manual_evidence|${provinceCode}|${year}|${input.catalogue}|${input.subCriterion}`,
      ]);
      await assertProvinceMayEdit(db, provinceCode, year, input.catalogue);
      const digest = await storeUploadedPayload(db, input.bytes, check.contentType);
      const { rows } = await db.query(
        `INSERT INTO manual_evidence (province_code, year, catalogue_version, sub_criterion, title, document_kind, raw_digest, file_name,
                                      content_type, size, attached_by, attached_by_role, version)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                coalesce((SELECT max(version) FROM manual_evidence m
                           WHERE m.province_code = $1 AND m.year = $2 AND m.catalogue_version = $3 AND m.sub_criterion = $4), 0) + 1
         RETURNING *, NULL AS review_id`,
        [
          provinceCode,
          year,
          input.catalogue,
          input.subCriterion,
          input.title.trim(),
          target.subCriterion.document ?? null,
          digest,
          input.fileName,
          check.contentType,
          input.bytes.length,
          principal.name,
          principal.role,
        ],
      );
      return rows[0];
    });
    return toEvidence(row);
  }

  /** The latest attachment per sub-criterion of a province and year, with the number of versions attached. */
  async list(scope: AccessScope, provinceCode: string, year: number, catalogue?: string): Promise<Array<ManualEvidence & { versions: number }>> {
    scope.assertProvince(provinceCode);
    const params: unknown[] = [provinceCode, year, catalogue ?? null];
    const { rows } = await this.pool.query(
      `SELECT DISTINCT ON (m.catalogue_version, m.sub_criterion) m.*, rv.*,
              count(*) OVER (PARTITION BY m.catalogue_version, m.sub_criterion)::int AS versions
         FROM manual_evidence m ${LATEST_REVIEW}
        WHERE m.province_code = $1 AND m.year = $2 AND ($3::text IS NULL OR m.catalogue_version = $3)
          AND ${scope.provinceCondition('m.province_code', params)}
        ORDER BY m.catalogue_version, m.sub_criterion, m.version DESC`,
      params,
    );
    return rows
      .map((r) => ({ ...toEvidence(r), versions: r.versions as number }))
      .sort((a, b) => a.catalogue.localeCompare(b.catalogue) || compareCodes(a.subCriterion, b.subCriterion));
  }

  /** One attachment; 404 when it does not exist or is outside the scope. */
  async get(scope: AccessScope, id: string): Promise<ManualEvidence> {
    const params: unknown[] = [id];
    const { rows } = await this.pool.query(
      `SELECT m.*, rv.* FROM manual_evidence m ${LATEST_REVIEW} WHERE m.id = $1::bigint AND ${scope.provinceCondition('m.province_code', params)}`,
      params,
    );
    if (rows.length === 0) throw new NotFoundException(`no manual evidence with id ${id}`);
    return toEvidence(rows[0]);
  }

  /**
   * The province withdraws the current version of a document (it then counts as no document; the bytes and the
   * row stay). Only the current version, only while the self-assessment may change.
   */
  async withdraw(scope: AccessScope, id: string, reason: string | undefined): Promise<ManualEvidence> {
    const doc = await this.get(scope, id);
    await withTransaction(this.pool, async (db) => {
      await db.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`manual_evidence|${doc.provinceCode}|${doc.year}|${doc.catalogue}|${doc.subCriterion}`]);
      await assertProvinceMayEdit(db, doc.provinceCode, doc.year, doc.catalogue);
      const { rows } = await db.query(
        `SELECT max(version) AS latest FROM manual_evidence WHERE province_code = $1 AND year = $2 AND catalogue_version = $3 AND sub_criterion = $4`,
        [doc.provinceCode, doc.year, doc.catalogue, doc.subCriterion],
      );
      if (rows[0].latest !== doc.version) throw conflict(`only the current version (${rows[0].latest}) can be withdrawn`);
      const { rows: withdrawn } = await db.query(
        `UPDATE manual_evidence SET withdrawn_at = now(), withdrawn_by = $2, withdrawal_reason = $3 WHERE id = $1 AND withdrawn_at IS NULL RETURNING withdrawn_at`,
        [doc.id, scope.principal.name, reason?.trim() || null],
      );
      if (withdrawn.length === 0) throw conflict('the document is already withdrawn');
      // the row itself is logged when attached; its withdrawal is a fact of its own
      await this.log.append('manual_evidence_withdrawal', String(doc.id), {
        manual_evidence_id: String(doc.id),
        province_code: doc.provinceCode,
        year: doc.year,
        catalogue_version: doc.catalogue,
        sub_criterion: doc.subCriterion,
        raw_digest: doc.rawDigest,
        withdrawn_by: scope.principal.name,
        reason: reason?.trim() || null,
        withdrawn_at: (withdrawn[0].withdrawn_at as Date).toISOString(),
      }, db);
    });
    return this.get(scope, id);
  }

  /** A new version of the document's sub-criterion (same catalogue and sub-criterion; the title kept unless given). */
  async replace(scope: AccessScope, id: string, input: Omit<AttachInput, 'catalogue' | 'subCriterion' | 'title'> & { title?: string }): Promise<ManualEvidence> {
    const doc = await this.get(scope, id);
    return this.attach(scope, doc.provinceCode, doc.year, { ...input, catalogue: doc.catalogue, subCriterion: doc.subCriterion, title: input.title?.trim() ? input.title : doc.title });
  }
}
