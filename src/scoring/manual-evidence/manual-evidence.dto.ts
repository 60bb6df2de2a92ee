import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

/** The form fields sent with an attached document (multipart/form-data, beside the `file` part). */
export class AttachManualEvidenceDto {
  @ApiProperty({ example: 'par-index-2026@2026.0-draft', description: 'catalogue version (id@version)' })
  @IsString()
  @Length(3, 200)
  @Matches(/^[^@\s]+@[^@\s]+$/, { message: 'catalogue must be written id@version' })
  catalogue!: string;

  @ApiProperty({ example: '1.1.1', description: 'a sub-criterion of kind manual in that catalogue' })
  @IsString()
  @Matches(/^\d+(\.\d+)*$/, { message: 'subCriterion must be a code such as "1.1.1"' })
  subCriterion!: string;

  @ApiProperty({ example: 'Kế hoạch CCHC năm 2025 (QĐ số 123/QĐ-UBND)' })
  @IsString()
  @Length(1, 300)
  @Matches(/\S/, { message: 'title must not be blank' })
  title!: string;
}

export class ManualEvidenceIdParams {
  @ApiProperty({ example: '1' })
  @Matches(/^[1-9]\d{0,17}$/, { message: 'id must be a positive whole number' })
  id!: string;
}

export class ManualEvidenceListQuery {
  @ApiPropertyOptional({ example: 'par-index-2026@2026.0-draft', description: 'only this catalogue version (id@version)' })
  @IsOptional()
  @IsString()
  catalogue?: string;
}

/** Form fields sent with a replacement (beside the `file` part). */
export class ReplaceManualEvidenceDto {
  @ApiPropertyOptional({ example: 'Kế hoạch CCHC năm 2025 (bản có chữ ký)' })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  @Matches(/\S/, { message: 'title must not be blank' })
  title?: string;
}

export class WithdrawManualEvidenceDto {
  @ApiPropertyOptional({ example: 'nhầm tài liệu', description: 'why the province withdraws the document' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}
