import { AccessScope } from '../../platform/auth/access-policy';
import { RequirePermission, Scope } from '../../platform/auth/auth.decorators';
import { BadRequestException, Body, Controller, Get, Param, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsNumber, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { ProvinceYearParams } from '../../platform/http/province-year.params';
import { parseImportCsv } from './import-rows';
import { ImportsService } from './imports.service';

export class ImportValueDto {
  @ApiProperty({ example: '44' }) @IsString() provinceCode!: string;
  @ApiProperty({ example: 2025 }) @IsNumber() year!: number;
  @ApiProperty({ example: 'sipas' }) @IsString() key!: string;
  @ApiProperty({ example: 82.5 }) @IsNumber() value!: number;
  @ApiProperty({ example: 100, description: 'the scale of the value' }) @IsNumber() max!: number;
}

export class ImportDto {
  @ApiProperty({ example: 'SIPAS 2025 (MOHA)' })
  @IsString()
  @Length(1, 200)
  source!: string;

  @ApiProperty({ type: [ImportValueDto] })
  @IsArray()
  @ArrayMaxSize(100000)
  @ValidateNested({ each: true })
  @Type(() => ImportValueDto)
  values!: ImportValueDto[];
}

export class ImportFileFieldsDto {
  @ApiProperty({ example: 'SIPAS 2025 (MOHA)' })
  @IsString()
  @Matches(/\S/, { message: 'source must not be blank' })
  source!: string;
}

@ApiTags('imports')
@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('imports')
  @RequirePermission('imports.write')
  @ApiOperation({ summary: 'Import survey values (e.g. SIPAS) as JSON; all rows valid or nothing stored' })
  upload(@Scope() scope: AccessScope, @Body() dto: ImportDto) {
    const bytes = Buffer.from(JSON.stringify(dto));
    return this.imports.upload(scope, { source: dto.source, fileName: null, contentType: 'application/json', bytes, rows: dto.values as unknown as Array<Record<string, unknown>> });
  }

  @Post('imports/file')
  @RequirePermission('imports.write')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { source: { type: 'string' }, file: { type: 'string', format: 'binary', description: 'CSV: provinceCode,year,key,value,max' } } } })
  @ApiOperation({ summary: 'Import survey values from a CSV file (provinceCode, year, key, value, max)' })
  uploadFile(
    @Scope() scope: AccessScope,
    @UploadedFile() file: { originalname: string; buffer: Buffer; mimetype: string } | undefined, @Body() fields: ImportFileFieldsDto) {
    if (!file) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['file: a CSV file is required (multipart field "file")'] });
    let rows: Array<Record<string, unknown>>;
    try {
      rows = parseImportCsv(file.buffer.toString('utf8'));
    } catch (error) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`file: not a readable CSV (${(error as Error).message})`] });
    }
    return this.imports.upload(scope, { source: fields.source, fileName: file.originalname, contentType: file.mimetype || 'text/csv', bytes: file.buffer, rows });
  }

  @Get('provinces/:provinceCode/years/:year/imports')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'Latest imported values of a province for a year, with their upload' })
  list(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams) {
    return this.imports.list(scope, params.provinceCode, Number(params.year));
  }
}
