import { ParseIdPipe } from '../platform/http/parse-id.pipe';
import { AccessScope } from '../platform/auth/access-policy';
import { RequirePermission, Scope } from '../platform/auth/auth.decorators';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LineageService } from './lineage.service';

@ApiTags('lineage')
@RequirePermission('scores.read')
@Controller('scores')
export class LineageController {
  constructor(private readonly lineage: LineageService) {}

  @Get(':id/lineage')
  @ApiOperation({ summary: 'Score → rule digest → evidence → computations → runs → raw payload digests' })
  ofScore(@Scope() scope: AccessScope, @Param('id', new ParseIdPipe()) id: number) {
    return this.lineage.ofScore(scope, id);
  }
}
