import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthenticatedRequest, RequirePermission } from '../platform/auth/auth.decorators';
import { ApiKeysService } from './api-keys.service';
import { CreateApiKeyDto, CreateUserDto, UpdateUserDto } from './dto/identity.dto';
import { ApiKeyView, UserView } from './identity.types';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@RequirePermission('users.manage')
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'List users (never their password hashes)' })
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Post('users')
  @ApiOperation({ summary: 'Create a user; a province officer is bound to one province' })
  @ApiCreatedResponse({ description: 'the user' })
  create(@Body() body: CreateUserDto): Promise<UserView> {
    return this.users.create(body);
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One user' })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<UserView> {
    return this.users.get(id);
  }

  @Patch('users/:id')
  @ApiOperation({ summary: 'Change role, province, password or disable; ends the user\'s sessions' })
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateUserDto): Promise<UserView> {
    return this.users.update(id, body);
  }

  @Get('api-keys')
  @ApiOperation({ summary: 'List API keys (their prefixes only)' })
  listKeys(): Promise<ApiKeyView[]> {
    return this.apiKeys.list();
  }

  @Post('api-keys')
  @ApiOperation({ summary: 'Create an API key for a machine client; the key is shown in this answer only' })
  createKey(@Body() body: CreateApiKeyDto, @Req() request: AuthenticatedRequest): Promise<ApiKeyView & { key: string }> {
    const by = request.principal?.kind === 'user' ? request.principal.id : null;
    return this.apiKeys.create({ ...body, expiresAt: body.expiresAt ? new Date(body.expiresAt) : null }, by);
  }

  @Post('api-keys/:id/revoke')
  @ApiOperation({ summary: 'Revoke an API key at once' })
  revokeKey(@Param('id', new ParseUUIDPipe()) id: string): Promise<ApiKeyView> {
    return this.apiKeys.revoke(id);
  }
}
