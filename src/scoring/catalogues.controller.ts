import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { RequirePermission } from '../platform/auth/auth.decorators';
import { ScoringCatalogue } from './catalogue';
import { SCORING_CATALOGUES, catalogueKey } from './scoring-catalogues.provider';

export class CatalogueItemParams {
  @ApiProperty({ example: 'par-index-2026@2026.0-draft' })
  @Matches(/^[A-Za-z0-9._-]{1,80}@[A-Za-z0-9._-]{1,40}$/, { message: 'catalogue must be written id@version' })
  catalogue!: string;

  @ApiProperty({ example: '3.4.1' })
  @Matches(/^[A-Za-z0-9._-]{1,20}$/, { message: 'code must be a sub-criterion code such as 3.4.1' })
  code!: string;
}

export class CatalogueSummaryView {
  @ApiProperty({ example: 'par-index-2026@2026.0-draft' }) catalogue!: string;
  @ApiProperty() framework!: string;
  @ApiProperty() status!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ example: { from: 2025, to: 2026 } }) years!: { from: number; to: number };
}

export class CatalogueItemView {
  @ApiProperty() catalogue!: string;
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['rule', 'manual', 'imported'] }) kind!: string;
  @ApiProperty() maxPoints!: number;
  @ApiPropertyOptional({ nullable: true }) field!: string | null;
  @ApiPropertyOptional({ nullable: true }) criterion!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'the document a manual item asks for' }) document!: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'the scoring rule as configured (type, metric(s), thresholds, bands, zero-denominator policy)' })
  rule!: Record<string, unknown> | null;
  @ApiProperty({ type: [String] }) metrics!: string[];
  @ApiPropertyOptional({ nullable: true }) source!: string | null;
  @ApiPropertyOptional({ nullable: true }) note!: string | null;
}

/** The scoring catalogues as configured: what each sub-criterion asks for and how it is scored (reference data). */
@ApiTags('scores')
@Controller('catalogues')
export class CataloguesController {
  constructor(@Inject(SCORING_CATALOGUES) private readonly catalogues: ScoringCatalogue[]) {}

  @Get()
  @RequirePermission('reference.read')
  @ApiOperation({ summary: 'The scoring catalogues loaded by the service (id@version, framework, status, years)' })
  @ApiOkResponse({ type: [CatalogueSummaryView] })
  list(): CatalogueSummaryView[] {
    return this.catalogues.map((c) => ({ catalogue: catalogueKey(c), framework: c.framework, status: c.status, title: c.title, years: c.years }));
  }

  @Get(':catalogue/items/:code')
  @RequirePermission('reference.read')
  @ApiOperation({ summary: 'One sub-criterion of a catalogue: its title, the document it asks for or its scoring rule and metrics' })
  @ApiOkResponse({ type: CatalogueItemView })
  @ApiNotFoundResponse({ description: 'no such catalogue or sub-criterion' })
  item(@Param() params: CatalogueItemParams): CatalogueItemView {
    const catalogue = this.catalogues.find((c) => catalogueKey(c) === params.catalogue);
    if (!catalogue) throw new NotFoundException(`catalogue ${params.catalogue} not found`);
    const item = catalogue.subCriteria.find((s) => s.code === params.code);
    if (!item) throw new NotFoundException(`sub-criterion ${params.code} not found in ${params.catalogue}`);
    return {
      catalogue: params.catalogue,
      code: item.code,
      title: item.title,
      kind: item.kind,
      maxPoints: item.maxPoints,
      field: item.field ?? null,
      criterion: item.criterion ?? null,
      document: item.document ?? null,
      rule: (item.rule as Record<string, unknown> | undefined) ?? null,
      metrics: item.metrics ?? [],
      source: item.source ?? null,
      note: item.note ?? null,
    };
  }
}
