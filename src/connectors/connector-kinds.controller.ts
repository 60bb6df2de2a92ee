import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../platform/auth/auth.decorators';
import { ConnectorKindForm, connectorKindForms } from './connector-kind-forms';
import { ConnectorKindRegistry } from './connector-kind.registry';

class OptionFieldView {
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['integer', 'boolean', 'date', 'string', 'choices', 'json'] }) type!: string;
  @ApiPropertyOptional() min?: number;
  @ApiPropertyOptional() max?: number;
  @ApiPropertyOptional({ type: [String] }) values?: string[];
  @ApiPropertyOptional() default?: unknown;
  @ApiPropertyOptional() pattern?: string;
  @ApiProperty() description!: string;
}

class CredentialFieldView {
  @ApiProperty() name!: string;
  @ApiProperty() required!: boolean;
}

class ConnectorKindFormView {
  @ApiProperty({ example: 'one-stop-shop' }) kind!: string;
  @ApiProperty({ type: [CredentialFieldView] }) credentials!: CredentialFieldView[];
  @ApiProperty({ type: [OptionFieldView] }) options!: OptionFieldView[];
}

@ApiTags('connectors')
@Controller('connector-kinds')
export class ConnectorKindsController {
  constructor(private readonly kinds: ConnectorKindRegistry) {}

  @Get()
  @RequirePermission('connectors.read')
  @ApiOperation({ summary: 'The connector kinds of this build: credential names and options (type, bounds, default) for registration forms' })
  @ApiOkResponse({ type: [ConnectorKindFormView] })
  list(): ConnectorKindForm[] {
    return connectorKindForms(this.kinds.names());
  }
}
