import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessScope } from '../platform/auth/access-policy';
import { RequirePermission, Scope } from '../platform/auth/auth.decorators';
import { ProvinceYearParams } from '../platform/http/province-year.params';
import { ManualEvidenceIdParams } from '../scoring/manual-evidence/manual-evidence.dto';
import { AppraisalActionDto, AppraisalReasonsDto, CatalogueParamQuery, ReviewManualEvidenceDto } from './appraisal.dto';
import { AppraisalCaseResponse, ManualReviewResponse } from './appraisal.responses';
import { AppraisalService } from './appraisal.service';

@ApiTags('appraisal')
@Controller()
export class AppraisalController {
  constructor(private readonly appraisal: AppraisalService) {}

  @Get('provinces/:provinceCode/years/:year/appraisal')
  @RequirePermission('scores.read')
  @ApiOperation({ summary: 'The appraisal of a province-year for a catalogue version: state, history, and whether the approval is still bound to the evidence (stale, with the changes)' })
  @ApiOkResponse({ type: AppraisalCaseResponse })
  view(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Query() query: CatalogueParamQuery) {
    return this.appraisal.view(scope, params.provinceCode, Number(params.year), query.catalogue);
  }

  @Post('provinces/:provinceCode/years/:year/appraisal/submit')
  @HttpCode(200)
  @RequirePermission('appraisal.submit')
  @ApiOperation({ summary: 'The province submits its self-assessment for appraisal (from self-assessment or returned)' })
  @ApiOkResponse({ type: AppraisalCaseResponse })
  submit(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Body() body: AppraisalActionDto) {
    return this.appraisal.act(scope, params.provinceCode, Number(params.year), 'submit', body);
  }

  @Post('provinces/:provinceCode/years/:year/appraisal/start')
  @HttpCode(200)
  @RequirePermission('appraisal.decide')
  @ApiOperation({ summary: 'An appraiser opens the appraisal of a submitted self-assessment' })
  @ApiOkResponse({ type: AppraisalCaseResponse })
  start(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Body() body: AppraisalActionDto) {
    return this.appraisal.act(scope, params.provinceCode, Number(params.year), 'start', body);
  }

  @Post('provinces/:provinceCode/years/:year/appraisal/approve')
  @HttpCode(200)
  @RequirePermission('appraisal.decide')
  @ApiOperation({ summary: 'An appraiser approves: the approval is bound to the digest of the evidence set as it is now' })
  @ApiOkResponse({ type: AppraisalCaseResponse })
  approve(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Body() body: AppraisalActionDto) {
    return this.appraisal.act(scope, params.provinceCode, Number(params.year), 'approve', body);
  }

  @Post('provinces/:provinceCode/years/:year/appraisal/return')
  @HttpCode(200)
  @RequirePermission('appraisal.decide')
  @ApiOperation({ summary: 'An appraiser returns the self-assessment to the province with reasons' })
  @ApiOkResponse({ type: AppraisalCaseResponse })
  returnToProvince(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Body() body: AppraisalReasonsDto) {
    return this.appraisal.act(scope, params.provinceCode, Number(params.year), 'return', body);
  }

  @Post('provinces/:provinceCode/years/:year/appraisal/reopen')
  @HttpCode(200)
  @RequirePermission('appraisal.decide')
  @ApiOperation({ summary: 'An appraiser reopens an approved appraisal (e.g. a stale approval), with reasons' })
  @ApiOkResponse({ type: AppraisalCaseResponse })
  reopen(@Scope() scope: AccessScope, @Param() params: ProvinceYearParams, @Body() body: AppraisalReasonsDto) {
    return this.appraisal.act(scope, params.provinceCode, Number(params.year), 'reopen', body);
  }

  @Post('manual-evidence/:id/review')
  @HttpCode(200)
  @RequirePermission('appraisal.decide')
  @ApiOperation({ summary: "Review the current version of an attached document during appraisal: accepted with points (up to the sub-criterion's maximum) or rejected with a reason" })
  @ApiOkResponse({ type: ManualReviewResponse })
  review(@Scope() scope: AccessScope, @Param() params: ManualEvidenceIdParams, @Body() body: ReviewManualEvidenceDto) {
    return this.appraisal.review(scope, params.id, body);
  }
}
