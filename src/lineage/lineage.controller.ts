import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LineageService } from './lineage.service';

@ApiTags('lineage')
@Controller('scores')
export class LineageController {
  constructor(private readonly lineage: LineageService) {}

  @Get(':id/lineage')
  @ApiOperation({ summary: 'Score → rule digest → evidence → computations → runs → raw payload digests' })
  ofScore(@Param('id', ParseIntPipe) id: number) {
    return this.lineage.ofScore(id);
  }
}
