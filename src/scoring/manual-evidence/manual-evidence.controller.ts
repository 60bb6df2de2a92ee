import { BadRequestException, Body, Controller, Get, Param, Post, Query, UnsupportedMediaTypeException, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope } from '../../platform/auth/access-policy';
import { RequirePermission, Scope } from '../../platform/auth/auth.decorators';
import { ProvinceYearParams } from '../../platform/http/province-year.params';
import { AttachManualEvidenceDto, ManualEvidenceIdParams, ManualEvidenceListQuery } from './manual-evidence.dto';
import { MAX_EVIDENCE_BYTES, allowedContentTypesText, isAllowedContentType, normalizeContentType } from './manual-evidence.rules';
import { ManualEvidenceService } from './manual-evidence.service';

@ApiTags('manual-evidence')
@Controller()
export class ManualEvidenceController {
  constructor(private readonly evidence: ManualEvidenceService) {}

  @Post('provinces/:provinceCode/years/:year/manual-evidence')
  @RequirePermission('imports.write')
  @UseInterceptors(
    FileInterceptor('file', {
      limits: { fileSize: MAX_EVIDENCE_BYTES, files: 1, fields: 10, fieldSize: 4096 },
      // file names are sent in UTF-8 by browsers (Vietnamese names)
      defParamCharset: 'utf8',
      // refused before the bytes are received; the bytes themselves are checked by the service
      fileFilter: (_req, file, callback) =>
        isAllowedContentType(file.mimetype)
          ? callback(null, true)
          : callback(
              new UnsupportedMediaTypeException({
                statusCode: 415,
                error: 'Unsupported Media Type',
                message: [`file: content type "${normalizeContentType(file.mimetype) || 'none'}" is not accepted; accepted: ${allowedContentTypesText()}`],
              }),
              false,
            ),
    }),
  )
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['catalogue', 'subCriterion', 'title', 'file'],
      properties: {
        catalogue: { type: 'string', example: 'par-index-2026@2026.0-draft' },
        subCriterion: { type: 'string', example: '1.1.1' },
        title: { type: 'string' },
        file: { type: 'string', format: 'binary', description: `up to 20 MB; ${allowedContentTypesText()}` },
      },
    },
  })
  @ApiOperation({ summary: 'Attach the document a manual sub-criterion asks for (stored in the raw archive; each attachment is a new version)' })
  attach(
    @Scope() scope: AccessScope,
    @Param() params: ProvinceYearParams,
    @UploadedFile() file: { originalname: string; buffer: Buffer; mimetype: string } | undefined,
    @Body() fields: AttachManualEvidenceDto,
  ) {
    if (!file) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['file: a document is required (multipart field "file")'] });
    return this.evidence.attach(scope, params.provinceCode, Number(params.year), {
      catalogue: fields.catalogue,
      subCriterion: fields.subCriterion,
      title: fields.title,
      fileName: file.originalname ? file.originalname.slice(0, 255) : null,
      contentType: file.mimetype,
      bytes: file.buffer,
    });
  }

  @Get('provinces/:provinceCode/years/:year/manual-evidence')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'The latest attached document per manual sub-criterion of a province and year, with the number of versions' })
  list(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Query() query: ManualEvidenceListQuery) {
    return this.evidence.list(scope, params.provinceCode, Number(params.year), query.catalogue);
  }

  @Get('manual-evidence/:id')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'One attached document (without its bytes: download them at /raw-payloads/{rawDigest})' })
  get(@Scope() scope: AccessScope, @Param() params: ManualEvidenceIdParams) {
    return this.evidence.get(scope, params.id);
  }
}
