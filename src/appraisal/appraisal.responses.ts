import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { APPRAISAL_ACTIONS, APPRAISAL_STATES } from './appraisal-state';

/** OpenAPI shapes of the appraisal answers (documentation only). */
export class AppraisalEventResponse {
  @ApiProperty() id!: number;
  @ApiProperty({ enum: APPRAISAL_ACTIONS }) action!: string;
  @ApiProperty({ enum: APPRAISAL_STATES }) from!: string;
  @ApiProperty({ enum: APPRAISAL_STATES }) to!: string;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiPropertyOptional({ nullable: true }) note!: string | null;
  @ApiProperty() actor!: string;
  @ApiProperty() actorRole!: string;
  @ApiPropertyOptional({ nullable: true, description: 'digest of the evidence set submitted or approved' }) evidenceSetDigest!: string | null;
  @ApiProperty() at!: Date;
}

export class EvidenceSetChangeResponse {
  @ApiProperty({ enum: ['scores', 'evidence', 'imported', 'manual', 'catalogue'] }) part!: string;
  @ApiProperty({ description: 'sub-criterion, metric or import key' }) key!: string;
  @ApiProperty({ enum: ['added', 'removed', 'changed'] }) change!: string;
  @ApiProperty({ type: [String] }) fields!: string[];
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) before!: unknown;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) after!: unknown;
}

export class ApprovalResponse {
  @ApiProperty() eventId!: number;
  @ApiProperty() approvedAt!: Date;
  @ApiProperty() approvedBy!: string;
  @ApiProperty({ description: 'digest of the evidence set the approval saw' }) evidenceSetDigest!: string;
  @ApiProperty({ description: 'digest of the evidence set now' }) currentEvidenceSetDigest!: string;
  @ApiProperty({ description: 'true when any bound score, evidence, rule version, document or review changed since' }) stale!: boolean;
  @ApiProperty({ type: [EvidenceSetChangeResponse] }) changes!: EvidenceSetChangeResponse[];
}

export class AppraisalCaseResponse {
  @ApiProperty({ example: '79' }) provinceCode!: string;
  @ApiProperty({ example: 2025 }) year!: number;
  @ApiProperty() catalogue!: string;
  @ApiProperty({ enum: APPRAISAL_STATES }) state!: string;
  @ApiProperty() revision!: number;
  @ApiPropertyOptional({ nullable: true }) updatedAt!: Date | null;
  @ApiProperty({ enum: APPRAISAL_ACTIONS, isArray: true }) nextActions!: string[];
  @ApiProperty({ description: 'digest of the evidence set as it is now' }) evidenceSetDigest!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'item counts of the evidence set' }) evidenceSet!: Record<string, number>;
  @ApiPropertyOptional({ type: ApprovalResponse, nullable: true }) approval!: ApprovalResponse | null;
  @ApiPropertyOptional({ nullable: true, description: 'reasons of the return, while returned' }) lastReturn!: { reasons: string[]; at: Date; by: string } | null;
  @ApiProperty({ type: [AppraisalEventResponse] }) history!: AppraisalEventResponse[];
}

export class ManualReviewResponse {
  @ApiProperty() id!: number;
  @ApiProperty() manualEvidenceId!: number;
  @ApiProperty() provinceCode!: string;
  @ApiProperty() year!: number;
  @ApiProperty() catalogue!: string;
  @ApiProperty() subCriterion!: string;
  @ApiProperty() rawDigest!: string;
  @ApiProperty({ enum: ['accepted', 'rejected'] }) decision!: string;
  @ApiPropertyOptional({ nullable: true }) points!: number | null;
  @ApiProperty() maxPoints!: number;
  @ApiPropertyOptional({ nullable: true }) reason!: string | null;
  @ApiProperty() reviewer!: string;
  @ApiProperty() reviewerRole!: string;
  @ApiProperty() reviewedAt!: Date;
}
