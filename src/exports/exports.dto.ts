import { ApiProperty } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { CatalogueParamQuery } from '../appraisal/appraisal.dto';
import { ProvinceYearParams } from '../platform/http/province-year.params';

export class GeneratedDocumentParams extends ProvinceYearParams {
  @ApiProperty({ example: '3.1.1' })
  @Matches(/^\d+(\.\d+)*$/, { message: 'subCriterion must be a code such as "3.1.1"' })
  subCriterion!: string;
}

export class GeneratedDocumentQuery extends CatalogueParamQuery {
  @ApiProperty({ enum: ['pdf', 'xlsx'] })
  @IsIn(['pdf', 'xlsx'], { message: 'format must be pdf or xlsx' })
  format!: 'pdf' | 'xlsx';
}
