import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class ProvinceYearParams {
  @ApiProperty({ example: '79' })
  @Matches(/^\d{2}$/, { message: 'provinceCode must be a two-digit province code' })
  provinceCode!: string;

  @ApiProperty({ example: '2025' })
  @Matches(/^(19|20|21)\d{2}$/, { message: 'year must be a four-digit year' })
  year!: string;
}
