import { Controller, Get, Header, HttpCode, NotFoundException, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Pool } from 'pg';
import { AccessScope } from '../platform/auth/access-policy';
import { RequirePermission, Scope } from '../platform/auth/auth.decorators';
import { InjectPool } from '../platform/database/database.module';
import { ParseIdPipe } from '../platform/http/parse-id.pipe';
import { ProvinceYearParams } from '../platform/http/province-year.params';
import { payloadInScope } from '../raw-archive/raw-archive.service';
import { ConsistencyProofDto, ConsistencyQuery, InclusionProofDto, LatestCheckpointDto, LedgerPackDto, TamperCheckDto, TamperFindingDto } from './ledger.dto';
import { LedgerPackService, offlineVerifierSource } from './ledger-pack.service';
import { TamperCheckService } from './tamper-check.service';
import { TransparencyLogService } from './transparency-log.service';

const DIGEST = /^[0-9a-f]{64}$/;

/** The transparency log over HTTP: checkpoints, proofs, the tamper check, the province-year pack. */
@ApiTags('ledger')
@Controller()
export class LedgerController {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly log: TransparencyLogService,
    private readonly tamper: TamperCheckService,
    private readonly packs: LedgerPackService,
  ) {}

  @Get('ledger/checkpoint')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: 'The latest signed checkpoint (C2SP signed note) and the public keys that verify it' })
  @ApiOkResponse({ type: LatestCheckpointDto })
  @ApiNotFoundResponse({ description: 'the log is empty: no checkpoint yet' })
  async latest(): Promise<LatestCheckpointDto> {
    await this.log.appendPending();
    const checkpoint = await this.log.checkpoint('if-grown');
    if (!checkpoint) throw new NotFoundException('the log is empty');
    const { id: _id, ...rest } = checkpoint;
    return { ...rest, publicKeys: this.log.verifierKeys() };
  }

  @Get('ledger/consistency')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: 'RFC 6962 consistency proof between two tree sizes (e.g. two checkpoints)' })
  @ApiOkResponse({ type: ConsistencyProofDto })
  @ApiNotFoundResponse({ description: 'no proof between these sizes (first > second, or beyond the tree)' })
  async consistency(@Query() q: ConsistencyQuery): Promise<ConsistencyProofDto> {
    const size = await this.log.treeSize();
    if (q.first > q.second || q.second > size) throw new NotFoundException(`no consistency proof from ${q.first} to ${q.second}: the tree has ${size} leaves`);
    return {
      first: q.first,
      second: q.second,
      proof: await this.log.consistencyProof(q.first, q.second),
      firstCheckpoint: await this.log.checkpointOfSize(q.first),
      secondCheckpoint: await this.log.checkpointOfSize(q.second),
    };
  }

  @Get('ledger/verifier')
  @RequirePermission('reference.read')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @ApiProduces('text/javascript')
  @ApiOperation({ summary: 'The dependency-free offline verifier (node verify-pack.cjs pack.json), also inside every pack' })
  verifier(): string {
    return offlineVerifierSource();
  }

  @Get('scores/:id/inclusion-proof')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'Inclusion proof of a score version in the latest signed checkpoint' })
  @ApiOkResponse({ type: InclusionProofDto })
  async scoreProof(@Scope() scope: AccessScope, @Param('id', new ParseIdPipe()) id: number): Promise<InclusionProofDto> {
    return this.provinceRowProof(scope, 'score', 'score', id);
  }

  @Get('evidence/:id/inclusion-proof')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'Inclusion proof of an evidence record version in the latest signed checkpoint' })
  @ApiOkResponse({ type: InclusionProofDto })
  async evidenceProof(@Scope() scope: AccessScope, @Param('id', new ParseIdPipe()) id: number): Promise<InclusionProofDto> {
    return this.provinceRowProof(scope, 'evidence_record', 'evidence_record', id);
  }

  @Get('raw-payloads/:digest/inclusion-proof')
  @RequirePermission('raw.read')
  @ApiOperation({ summary: 'Inclusion proof of an archived raw payload (by digest) in the latest signed checkpoint' })
  @ApiOkResponse({ type: InclusionProofDto })
  async rawProof(@Scope() scope: AccessScope, @Param('digest') digest: string): Promise<InclusionProofDto> {
    const params: unknown[] = [digest];
    const found = DIGEST.test(digest) && (await this.pool.query(`SELECT 1 FROM raw_payload p WHERE p.digest = $1 AND ${payloadInScope(scope, 'p.digest', params)}`, params)).rowCount;
    return this.proofOr404(found ? await this.log.inclusionProof('raw_payload', digest) : null, `raw payload ${digest}`);
  }

  @Get('provinces/:provinceCode/years/:year/ledger-pack')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'JSON pack: every logged fact of the province-year with its inclusion proof, a signed checkpoint, the public keys and the offline verifier' })
  @ApiOkResponse({ type: LedgerPackDto })
  async pack(@Scope() scope: AccessScope, @Param() p: ProvinceYearParams) {
    scope.assertProvince(p.provinceCode);
    return this.packs.build({ provinceCode: p.provinceCode, year: Number(p.year) });
  }

  @Post('ledger/tamper-check')
  @HttpCode(200)
  @RequirePermission('ledger.audit')
  @ApiOperation({ summary: 'Re-derive every leaf from the stored rows now and compare with the log (findings name the rows)' })
  @ApiOkResponse({ type: TamperCheckDto })
  check(): Promise<TamperCheckDto> {
    return this.tamper.run();
  }

  @Get('ledger/findings')
  @RequirePermission('ledger.audit')
  @ApiOperation({ summary: 'Open tamper findings: rows changed, added or removed outside the service' })
  @ApiOkResponse({ type: [TamperFindingDto] })
  findings() {
    return this.tamper.openFindings();
  }

  private async provinceRowProof(scope: AccessScope, table: string, kind: string, id: number): Promise<InclusionProofDto> {
    const params: unknown[] = [id];
    const { rowCount } = await this.pool.query(`SELECT 1 FROM ${table} WHERE id = $1 AND ${scope.provinceCondition('province_code', params)}`, params);
    return this.proofOr404(rowCount ? await this.log.inclusionProof(kind, String(id)) : null, `${kind} ${id}`);
  }

  private proofOr404<T>(proof: T | null, what: string): T {
    if (!proof) throw new NotFoundException(`${what} is not in the log (or not within your province)`);
    return proof;
  }
}
