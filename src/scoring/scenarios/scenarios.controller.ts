import { RequirePermission } from '../../platform/auth/auth.decorators';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { ScenariosService } from './scenarios.service';

export class ScenarioWeightDto {
  @ApiPropertyOptional({ example: 'disadvantaged mountainous provinces' })
  @IsOptional()
  @IsString()
  label?: string;

  @ApiProperty({ example: ['04', '11', '12'] })
  @IsArray()
  @ArrayMaxSize(34)
  @IsString({ each: true })
  provinces!: string[];

  @ApiProperty({ example: { '3.4.1': 1.2 }, description: 'sub-criterion code → multiplier (points capped at the maximum)' })
  @IsObject()
  multipliers!: Record<string, number>;
}

export class ScenarioDto {
  @ApiProperty({ example: 2025 })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiPropertyOptional({ example: 'disadvantaged-provinces-2019@1', description: 'a scenario of config/scenarios (id@version)' })
  @IsOptional()
  @IsString()
  scenario?: string;

  @ApiPropertyOptional({ example: 'par-index-2026@2026.0-draft', description: 'required unless a scenario is named' })
  @IsOptional()
  @IsString()
  baselineCatalogue?: string;

  @ApiPropertyOptional({ example: 'par-index-2026@2026.0-draft', description: 'default: the baseline' })
  @IsOptional()
  @IsString()
  scenarioCatalogue?: string;

  @ApiPropertyOptional({ type: [ScenarioWeightDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ScenarioWeightDto)
  weights?: ScenarioWeightDto[];
}

@ApiTags('scenarios')
@Controller('scenarios')
export class ScenariosController {
  constructor(private readonly scenarios: ScenariosService) {}

  @Get()
  @RequirePermission('reference.read')
  @ApiOperation({ summary: 'The scenarios kept as versioned configuration (config/scenarios)' })
  list() {
    return this.scenarios.list();
  }

  @Post('evaluate')
  @RequirePermission('scenarios.evaluate')
  @HttpCode(200)
  @ApiOperation({ summary: 'What-if: score every province under a (draft) catalogue and/or weights, side by side with the official scores; nothing is stored' })
  evaluate(@Body() dto: ScenarioDto) {
    return this.scenarios.evaluate(dto);
  }
}
