import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNumber, IsOptional, IsString, Length, Matches } from 'class-validator';

export class CatalogueParamQuery {
  @ApiProperty({ example: 'par-index-2026@2026.0-draft', description: 'catalogue version (id@version)' })
  @IsString()
  @Length(3, 200)
  @Matches(/^[^@\s]+@[^@\s]+$/, { message: 'catalogue must be written id@version' })
  catalogue!: string;
}

export class AppraisalActionDto extends CatalogueParamQuery {
  @ApiPropertyOptional({ example: 'Tỉnh đã bổ sung kế hoạch có chữ ký', description: 'a note kept with the decision' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;
}

export class AppraisalReasonsDto extends CatalogueParamQuery {
  @ApiProperty({ example: ['1.1.1: kế hoạch chưa có chữ ký'], description: 'why (at least one reason)' })
  @IsArray()
  @ArrayMinSize(1, { message: 'reasons: give at least one reason' })
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 2000, { each: true })
  reasons!: string[];
}

export class ReviewManualEvidenceDto {
  @ApiProperty({ enum: ['accepted', 'rejected'] })
  @IsIn(['accepted', 'rejected'])
  decision!: 'accepted' | 'rejected';

  @ApiPropertyOptional({ example: 0.75, description: "accepted only: the points assigned, from 0 to the sub-criterion's maximum" })
  @IsOptional()
  // no maxDecimalPlaces: class-validator throws on numbers printed in exponent form (3e-323), a 500
  @IsNumber({ allowNaN: false, allowInfinity: false })
  points?: number;

  @ApiPropertyOptional({ example: 'Văn bản chưa có chữ ký, đóng dấu', description: 'required when rejected' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}
