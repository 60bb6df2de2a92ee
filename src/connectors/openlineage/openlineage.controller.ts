import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { RequirePermission } from '../../platform/auth/auth.decorators';
import { OpenLineageService } from './openlineage.service';

export class RunIdParams {
  @ApiProperty({ example: '5b6f2c1e-0000-4000-8000-000000000001' })
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'id must be a run id (UUID)' })
  id!: string;
}

@ApiTags('runs')
@Controller('runs')
export class OpenLineageController {
  constructor(private readonly lineage: OpenLineageService) {}

  @Get(':id/openlineage')
  @RequirePermission('connectors.read')
  @ApiOperation({ summary: 'OpenLineage 2-0-2 run events of a connector run (START, COMPLETE or FAIL) and whether each was sent to OPENLINEAGE_URL' })
  forRun(@Param() params: RunIdParams) {
    return this.lineage.forRun(params.id);
  }
}
