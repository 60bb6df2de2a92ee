import { RequirePermission } from '../platform/auth/auth.decorators';
import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { EgressPolicy } from '../platform/http/egress-policy';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConnectorView, ConnectorsService, toConnectorView } from './connectors.service';
import { BackfillDto, CreateConnectorDto, ListRunsQuery, RunStepDto, RunStepsQuery, TestConnectorDto, UpdateConnectorDto } from './dto/connector.dto';
import { ConnectorEntity } from './connector.entity';
import { parseWindowBound } from './runs/backfill-window';
import { nextSlot } from './scheduling/schedule-slots';
import { ConnectorOverview, RunStepView, RunView, RunsService, lastRunSummary } from './runs/runs.service';

@ApiTags('connectors')
@Controller('connectors')
export class ConnectorsController {
  constructor(
    private readonly connectors: ConnectorsService,
    private readonly runs: RunsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.egress = EgressPolicy.fromConfig(this.config.EGRESS_ALLOW);
  }

  private readonly egress: EgressPolicy;

  @Post()
  @RequirePermission('connectors.write')
  @ApiOperation({ summary: 'Register a connector instance (credentials are write-only)' })
  @ApiCreatedResponse({ description: 'the connector, without its credentials' })
  async create(@Body() dto: CreateConnectorDto): Promise<ConnectorView> {
    return toConnectorView(await this.connectors.create(dto));
  }

  @Post('test')
  @RequirePermission('connectors.write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Test call of a connector described in the body (not saved): one page, the figures it would produce, nothing stored' })
  testUnsaved(@Body() dto: TestConnectorDto) {
    return this.connectors.preview(dto, this.httpOptions());
  }

  @Post(':id/test')
  @RequirePermission('connectors.write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Test call of a saved connector: one page, the figures it would produce, nothing stored' })
  async test(@Param('id') id: string) {
    return this.connectors.preview(await this.connectors.get(id), this.httpOptions());
  }

  private httpOptions() {
    return { timeoutMs: this.config.HTTP_TIMEOUT_MS, maxAttempts: 1, backoffBaseMs: this.config.HTTP_BACKOFF_BASE_MS, backoffMaxMs: this.config.HTTP_BACKOFF_MAX_MS, egress: this.egress };
  }

  @Get()
  @RequirePermission('connectors.read')
  @ApiOperation({ summary: 'Connectors, each with its last run (status, outcome, warnings) and its next scheduled run (Vietnam-time cron)' })
  async list(): Promise<ConnectorOverview[]> {
    return this.withRuns(await this.connectors.list());
  }

  @Get(':id')
  @RequirePermission('connectors.read')
  async get(@Param('id') id: string): Promise<ConnectorOverview> {
    return (await this.withRuns([await this.connectors.get(id)]))[0];
  }

  private async withRuns(connectors: ConnectorEntity[], now = new Date()): Promise<ConnectorOverview[]> {
    const last = await this.runs.lastRuns(connectors.map((c) => c.id));
    return connectors.map((c) => ({
      ...toConnectorView(c),
      lastRun: lastRunSummary(last.get(c.id)),
      nextRunAt: c.enabled && c.schedule ? nextSlot(c.schedule, now) : null,
    }));
  }

  @Patch(':id')
  @RequirePermission('connectors.write')
  @ApiOperation({ summary: 'Change a connector; each change is a new config version. Omitted credentials stay.' })
  async update(@Param('id') id: string, @Body() dto: UpdateConnectorDto): Promise<ConnectorView> {
    return toConnectorView(await this.connectors.update(id, dto));
  }

  @Post(':id/disable')
  @RequirePermission('connectors.write')
  @HttpCode(200)
  async disable(@Param('id') id: string): Promise<ConnectorView> {
    return toConnectorView(await this.connectors.setEnabled(id, false));
  }

  @Post(':id/enable')
  @RequirePermission('connectors.write')
  @HttpCode(200)
  async enable(@Param('id') id: string): Promise<ConnectorView> {
    return toConnectorView(await this.connectors.setEnabled(id, true));
  }

  @Post(':id/runs')
  @RequirePermission('connectors.write')
  @ApiOperation({ summary: 'Run now: from where the last successful run reached up to now − lag' })
  @ApiOkResponse({ description: 'the run (an identical request while it is active returns the same run)' })
  async runNow(@Param('id') id: string): Promise<RunView> {
    return this.runs.runNow(await this.connectors.get(id));
  }

  @Post(':id/backfill')
  @RequirePermission('connectors.write')
  @ApiOperation({ summary: 'Backfill a window of source time, split into runs of backfillChunkDays; dates without a time are Vietnam dates' })
  async backfill(@Param('id') id: string, @Body() dto: BackfillDto): Promise<RunView[]> {
    const connector = await this.connectors.get(id);
    const [from, to] = [parseWindowBound(dto.from), parseWindowBound(dto.to)];
    const invalid = [from ? null : 'from must be a valid date', to ? null : 'to must be a valid date'].filter((m): m is string => m !== null);
    if (invalid.length > 0) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: invalid });
    return this.runs.backfill(connector, from!, to!);
  }

  @Get(':id/runs')
  @RequirePermission('connectors.read')
  async runsOf(@Param('id') id: string, @Query() query: ListRunsQuery): Promise<RunView[]> {
    await this.connectors.get(id);
    return this.runs.list({ connectorId: id, status: query.status, limit: query.limit ? Number(query.limit) : undefined });
  }
}

@ApiTags('runs')
@Controller('runs')
export class RunsController {
  constructor(private readonly runs: RunsService) {}

  @Get()
  @RequirePermission('connectors.read')
  @ApiOperation({ summary: 'Run history: status, counts fetched / normalised / quarantined, error, duration' })
  list(@Query() query: ListRunsQuery): Promise<RunView[]> {
    return this.runs.list({ connectorId: query.connectorId, status: query.status, limit: query.limit ? Number(query.limit) : undefined });
  }

  @Get(':id')
  @RequirePermission('connectors.read')
  get(@Param('id') id: string): Promise<RunView> {
    return this.runs.get(id);
  }

  @Get(':id/steps')
  @RequirePermission('connectors.read')
  @ApiOperation({ summary: "The run's step log: starts, checkpoints (pages, records), files loaded or rejected, retries, warnings, the end" })
  @ApiOkResponse({ type: RunStepDto, isArray: true })
  @ApiNotFoundResponse({ description: 'no such run' })
  steps(@Param('id') id: string, @Query() query: RunStepsQuery): Promise<RunStepView[]> {
    return this.runs.steps(id, { afterId: query.afterId ? Number(query.afterId) : undefined, limit: query.limit ? Number(query.limit) : undefined });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @RequirePermission('connectors.write')
  @ApiOperation({ summary: 'Cancel a queued run (at once) or a running one (at its next checkpoint; what it committed stays)' })
  @ApiOkResponse({ description: 'the run: cancelled, or running with cancelRequestedAt set' })
  @ApiNotFoundResponse({ description: 'no such run' })
  @ApiConflictResponse({ description: 'the run has already finished' })
  cancel(@Param('id') id: string): Promise<RunView> {
    return this.runs.cancel(id);
  }
}
