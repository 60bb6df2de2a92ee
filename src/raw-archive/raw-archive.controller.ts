import { AccessScope } from '../platform/auth/access-policy';
import { AuditRead, RequirePermission, Scope } from '../platform/auth/auth.decorators';
import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RawArchiveService, sha256Hex } from './raw-archive.service';

const DIGEST = /^[0-9a-f]{64}$/;

@ApiTags('raw-payloads')
@RequirePermission('raw.read')
@Controller('raw-payloads')
export class RawArchiveController {
  constructor(private readonly archive: RawArchiveService) {}

  @Get(':digest')
  @AuditRead('raw-payload.download')
  @ApiOperation({ summary: 'The archived bytes, exactly as received; they re-hash (SHA-256) to the digest' })
  @ApiProduces('application/octet-stream')
  async download(@Scope() scope: AccessScope, @Param('digest') digest: string, @Res() res: Response): Promise<void> {
    const payload = DIGEST.test(digest) ? await this.archive.get(scope, digest) : null;
    if (!payload) throw new NotFoundException(`no raw payload with digest ${digest}`);
    // verified on the way out: a stored body that no longer matches its address is an integrity failure
    const actual = sha256Hex(payload.body);
    if (actual !== digest) throw new Error(`raw payload ${digest} fails its integrity check`);
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('X-Original-Content-Type', payload.contentType ?? 'unknown');
    res.setHeader('X-Content-SHA256', actual);
    res.setHeader('Content-Disposition', `attachment; filename="${digest}.bin"`);
    res.send(payload.body);
  }

  @Get(':digest/fetches')
  @ApiOperation({ summary: 'Every fetch that returned this payload: URL (without secrets), status, time, run' })
  async fetches(@Scope() scope: AccessScope, @Param('digest') digest: string) {
    if (!DIGEST.test(digest)) throw new NotFoundException(`no raw payload with digest ${digest}`);
    const fetches = await this.archive.fetches(scope, digest);
    if (fetches.length === 0) throw new NotFoundException(`no raw payload with digest ${digest}`);
    return fetches.map((f) => ({ ...f, id: Number(f.id) }));
  }
}
