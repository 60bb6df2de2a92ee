import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class ConsistencyQuery {
  @ApiProperty({ description: 'older tree size (a checkpoint\'s size), ≥ 1', example: 100 })
  @Type(() => Number)
  @IsInt({ message: 'first must be a whole number' })
  @Min(1, { message: 'first must be at least 1' })
  @Max(Number.MAX_SAFE_INTEGER)
  first!: number;

  @ApiProperty({ description: 'newer tree size, ≥ first', example: 250 })
  @Type(() => Number)
  @IsInt({ message: 'second must be a whole number' })
  @Min(1, { message: 'second must be at least 1' })
  @Max(Number.MAX_SAFE_INTEGER)
  second!: number;
}

export class CheckpointDto {
  @ApiProperty() treeSize!: number;
  @ApiProperty({ description: 'base64 RFC 6962 root hash' }) rootHash!: string;
  @ApiProperty({ description: 'C2SP signed note: origin, size, root hash, time line, blank line, "— <name> <base64(key id ‖ Ed25519 signature)>"' }) note!: string;
  @ApiProperty() keyId!: string;
  @ApiProperty() createdAt!: Date;
}

export class LatestCheckpointDto extends CheckpointDto {
  @ApiProperty({ type: [String], description: 'verifier keys <name>+<hex key id>+<base64(0x01 ‖ Ed25519 public key)>, retired keys included' })
  publicKeys!: string[];
}

export class InclusionProofDto {
  @ApiProperty() kind!: string;
  @ApiProperty() key!: string;
  @ApiProperty({ description: '0-based leaf index' }) index!: number;
  @ApiProperty({ description: 'the leaf: RFC 8785 canonical JSON of {kind, v, fact}' }) leaf!: string;
  @ApiProperty({ description: 'base64 SHA-256(0x00 ‖ leaf)' }) leafHash!: string;
  @ApiProperty() treeSize!: number;
  @ApiProperty({ type: [String], description: 'base64 audit path, leaf to root (RFC 6962)' }) proof!: string[];
  @ApiProperty({ type: CheckpointDto }) checkpoint!: CheckpointDto;
}

export class ConsistencyProofDto {
  @ApiProperty() first!: number;
  @ApiProperty() second!: number;
  @ApiProperty({ type: [String], description: 'base64 RFC 6962 consistency proof' }) proof!: string[];
  @ApiPropertyOptional({ type: CheckpointDto, nullable: true }) firstCheckpoint!: CheckpointDto | null;
  @ApiPropertyOptional({ type: CheckpointDto, nullable: true }) secondCheckpoint!: CheckpointDto | null;
}

export class TamperFindingDto {
  @ApiProperty({ description: 'leaf kind (table) of the row, or "ledger"' }) kind!: string;
  @ApiProperty({ description: 'the row: its id or digest' }) key!: string;
  @ApiProperty({ enum: ['changed', 'removed', 'added', 'leaf_corrupt', 'tree_corrupt'] }) problem!: string;
  @ApiProperty() detail!: string;
}

export class TamperCheckDto {
  @ApiProperty() checkedAt!: Date;
  @ApiProperty() rowsChecked!: number;
  @ApiProperty() leavesChecked!: number;
  @ApiProperty() treeSize!: number;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ type: [TamperFindingDto] }) findings!: TamperFindingDto[];
}

export class LedgerPackDto {
  @ApiProperty() format!: string;
  @ApiProperty() origin!: string;
  @ApiProperty() provinceCode!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ description: '{note, size, rootHash}' }) checkpoint!: Record<string, unknown>;
  @ApiProperty({ type: [String] }) publicKeys!: string[];
  @ApiProperty({ description: 'every leaf with its inclusion proof', type: [InclusionProofDto] }) leaves!: unknown[];
  @ApiProperty({ description: '{fileName, sha256, usage, source}: the dependency-free verifier script' }) verifier!: Record<string, unknown>;
}
