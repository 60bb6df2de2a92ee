import { RequirePermission } from '../platform/auth/auth.decorators';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CURRENT_UNITS_VERSION, FORMER_UNITS_VERSION, UnitsCatalogue } from './units.loader';

export class PredecessorDto {
  @ApiProperty({ example: '02', description: 'code in the 2004 catalogue (Decision 124/2004/QĐ-TTg)' })
  code: string;

  @ApiProperty({ example: 'Tỉnh Hà Giang' })
  name: string;

  @ApiProperty({ enum: ['tinh', 'thanh_pho'] })
  type: string;

  @ApiProperty({ example: FORMER_UNITS_VERSION })
  catalogueVersion: string;

  @ApiProperty({ example: '2025-06-30', description: 'last day in force' })
  effectiveTo: string;
}

export class ProvinceDto {
  @ApiProperty({ example: '08', description: 'code in the catalogue in force since 2025-07-01' })
  code: string;

  @ApiProperty({ example: 'Tỉnh Tuyên Quang' })
  name: string;

  @ApiProperty({ enum: ['tinh', 'thanh_pho'] })
  type: string;

  @ApiProperty({ example: CURRENT_UNITS_VERSION })
  catalogueVersion: string;

  @ApiProperty({ example: '2025-07-01' })
  effectiveFrom: string;

  @ApiProperty({ example: '08', description: 'former unit (2004 code) holding the political-administrative centre' })
  adminCentreFormerCode: string;

  @ApiProperty({ type: [PredecessorDto], description: 'former units merged into this one (itself when not merged)' })
  predecessors: PredecessorDto[];
}

@ApiTags('units')
@RequirePermission('reference.read')
@Controller('units')
export class UnitsController {
  constructor(private readonly units: UnitsCatalogue) {}

  @Get('provinces')
  @ApiOperation({ summary: 'The 34 provincial units in force since 2025-07-01, each with the former units merged into it' })
  @ApiOkResponse({ type: [ProvinceDto] })
  provinces(): ProvinceDto[] {
    return this.units.currentProvinces().map((p) => ({
      code: p.code,
      name: p.name,
      type: p.type,
      catalogueVersion: p.catalogueVersion,
      effectiveFrom: p.effectiveFrom,
      adminCentreFormerCode: p.adminCentreFormerCode,
      predecessors: this.units.predecessorsOf(p.code).map((f) => ({
        code: f.code,
        name: f.name,
        type: f.type,
        catalogueVersion: f.catalogueVersion,
        effectiveTo: f.effectiveTo,
      })),
    }));
  }
}
