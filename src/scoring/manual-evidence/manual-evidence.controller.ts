import { BadRequestException, Body, Controller, Get, HttpCode, Param, Post, Query, UnsupportedMediaTypeException, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope } from '../../platform/auth/access-policy';
import { RequirePermission, Scope } from '../../platform/auth/auth.decorators';
import { ProvinceYearParams } from '../../platform/http/province-year.params';
import { AttachManualEvidenceDto, ManualEvidenceIdParams, ManualEvidenceListQuery, ReplaceManualEvidenceDto, WithdrawManualEvidenceDto } from './manual-evidence.dto';
import { MAX_EVIDENCE_BYTES, allowedContentTypesText, isAllowedContentType, normalizeContentType } from './manual-evidence.rules';
import { ManualEvidenceService } from './manual-evidence.service';

/** One document per request, checked by declared type before the bytes are received. */
const UPLOAD_OPTIONS: MulterOptions = {
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
};

const FILE_PART = { type: 'string', format: 'binary', description: `up to 20 MB; ${allowedContentTypesText()}` };

type UploadedDocument = { originalname: string; buffer: Buffer; mimetype: string } | undefined;

const requireFile = (file: UploadedDocument) => {
  if (!file) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['file: a document is required (multipart field "file")'] });
  return { fileName: file.originalname ? file.originalname.slice(0, 255) : null, contentType: file.mimetype, bytes: file.buffer };
};

@ApiTags('manual-evidence')
@Controller()
export class ManualEvidenceController {
  constructor(private readonly evidence: ManualEvidenceService) {}

  @Post('provinces/:provinceCode/years/:year/manual-evidence')
  @RequirePermission('imports.write')
  @UseInterceptors(FileInterceptor('file', UPLOAD_OPTIONS))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['catalogue', 'subCriterion', 'title', 'file'],
      properties: {
        catalogue: { type: 'string', example: 'par-index-2026@2026.0-draft' },
        subCriterion: { type: 'string', example: '1.1.1' },
        title: { type: 'string' },
        file: FILE_PART,
      },
    },
  })
  @ApiOperation({ summary: 'Attach the document a manual sub-criterion asks for (stored in the raw archive; each attachment is a new version)' })
  attach(
    @Scope() scope: AccessScope,
    @Param() params: ProvinceYearParams,
    @UploadedFile() file: UploadedDocument,
    @Body() fields: AttachManualEvidenceDto,
  ) {
    const document = requireFile(file);
    return this.evidence.attach(scope, params.provinceCode, Number(params.year), { catalogue: fields.catalogue, subCriterion: fields.subCriterion, title: fields.title, ...document });
  }

  @Post('manual-evidence/:id/replace')
  @RequirePermission('imports.write')
  @UseInterceptors(FileInterceptor('file', UPLOAD_OPTIONS))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        title: { type: 'string', description: 'default: the title of the replaced version' },
        file: FILE_PART,
      },
    },
  })
  @ApiOperation({ summary: 'Replace a document: a new version of the same sub-criterion (only while the self-assessment may change; any review starts over)' })
  replace(@Scope() scope: AccessScope, @Param() params: ManualEvidenceIdParams, @UploadedFile() file: UploadedDocument, @Body() fields: ReplaceManualEvidenceDto) {
    const document = requireFile(file);
    return this.evidence.replace(scope, params.id, { title: fields.title, ...document });
  }

  @Post('manual-evidence/:id/withdraw')
  @HttpCode(200)
  @RequirePermission('imports.write')
  @ApiOperation({ summary: 'Withdraw the current version of a document: the sub-criterion has no document again (bytes and history kept)' })
  withdraw(@Scope() scope: AccessScope, @Param() params: ManualEvidenceIdParams, @Body() body: WithdrawManualEvidenceDto) {
    return this.evidence.withdraw(scope, params.id, body.reason);
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
