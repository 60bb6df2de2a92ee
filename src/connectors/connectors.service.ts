import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { EgressPolicy, EgressRefusedError } from '../platform/http/egress-policy';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryFailedError, Repository } from 'typeorm';
import { UnitsCatalogue } from '../units/units.loader';
import { describeError } from './connector-errors';
import { ConnectorInstance } from './connector-kind';
import { ConnectorKindRegistry } from './connector-kind.registry';
import { kindOptions, readFrameworkOptions } from './connector-options';
import { ConnectorEntity } from './connector.entity';
import { ConnectorCredentialsService } from './credentials/connector-credentials.service';
import { CredentialsCipherError } from './credentials/credentials-cipher';
import { CreateConnectorDto, TestConnectorDto, UpdateConnectorDto } from './dto/connector.dto';
import { RunContext } from './connector-kind';
import { canonicalJson, credentialBindingChanges } from './credentials/credential-binding';
import { maskForView, redactText } from '../platform/privacy/personal-fields';
import { validateCron } from './scheduling/schedule-slots';

/** What the API shows of a connector: everything but the credentials, of which only the names are shown. */
export interface ConnectorView {
  id: string;
  name: string;
  kind: string;
  baseUrl: string;
  provinceCode: string;
  credentialsSet: string[];
  schedule: string | null;
  enabled: boolean;
  options: Record<string, unknown>;
  configVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export function toConnectorView(c: ConnectorEntity): ConnectorView {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    baseUrl: c.baseUrl,
    provinceCode: c.provinceCode,
    credentialsSet: [...(c.credentialNames ?? [])].sort(),
    schedule: c.schedule,
    enabled: c.enabled,
    options: c.options,
    configVersion: c.configVersion,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** The connector as a kind receives it, with its credentials opened (in memory only). */
export function toInstance(c: ConnectorEntity, credentials: Record<string, string>): ConnectorInstance {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    baseUrl: c.baseUrl,
    provinceCode: c.provinceCode,
    credentials,
    options: kindOptions(c.options),
    configVersion: c.configVersion,
  };
}

/** A saved connector (credentials sealed in the database), not one described in a request. */
function isSaved(source: ConnectorEntity | TestConnectorDto): source is ConnectorEntity {
  return source instanceof ConnectorEntity || 'credentialsSealed' in source;
}

/** Options that tune how a source is read (page sizes, lag, start), not what is read from it. */
const TUNING_OPTIONS = new Set(['pageSize', 'procedurePageSize', 'fetchProcedures', 'lagSeconds', 'initialSyncFrom', 'backfillChunkDays', 'batchRows', 'lookbackMonths', 'userAgent']);

/** What makes two connectors of a kind and province read the same thing: the source address and the options that scope it. */
function sourceScope(c: { baseUrl: string; options: Record<string, unknown> }): string {
  let base = c.baseUrl;
  try {
    base = new URL(c.baseUrl).href.replace(/\/+$/, '').toLowerCase();
  } catch {
    /* validated elsewhere */
  }
  const scoped = Object.fromEntries(Object.entries(c.options ?? {}).filter(([k]) => !TUNING_OPTIONS.has(k)));
  return `${base} ${canonicalJson(scoped)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Registering and changing connector instances. Every change is a new config version, kept for audit. */
@Injectable()
export class ConnectorsService {
  constructor(
    @InjectRepository(ConnectorEntity) private readonly connectors: Repository<ConnectorEntity>,
    private readonly dataSource: DataSource,
    private readonly kinds: ConnectorKindRegistry,
    private readonly units: UnitsCatalogue,
    private readonly credentials: ConnectorCredentialsService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.egress = EgressPolicy.fromConfig(config.EGRESS_ALLOW);
  }

  private readonly egress: EgressPolicy;

  async create(dto: CreateConnectorDto): Promise<ConnectorEntity> {
    const candidate = {
      name: dto.name,
      kind: dto.kind,
      baseUrl: dto.baseUrl,
      provinceCode: dto.provinceCode,
      credentials: dto.credentials,
      schedule: dto.schedule ?? null,
      enabled: dto.enabled ?? true,
      options: dto.options ?? {},
    };
    this.check(candidate);
    if (!dto.allowDuplicate) await this.refuseDuplicate(candidate, null);
    // the id is chosen here: the sealed credentials are bound to it
    const id = randomUUID();
    const { credentials, ...fields } = candidate;
    const sealed = this.credentials.seal(id, credentials);
    return this.dataSource.transaction(async (em) => {
      const repo = em.getRepository(ConnectorEntity);
      const saved = await repo
        .save(repo.create({ ...fields, ...sealed, id, legacyPlaintextCredentials: {}, configVersion: 1, scheduleAnchor: new Date() }))
        .catch((error) => this.rethrowUnique(error, dto.name));
      await this.recordVersion(em.query.bind(em), saved);
      return saved;
    });
  }

  list(): Promise<ConnectorEntity[]> {
    return this.connectors.find({ order: { provinceCode: 'ASC', name: 'ASC' } });
  }

  async listEnabledScheduled(): Promise<ConnectorEntity[]> {
    return this.connectors.createQueryBuilder('c').where('c.enabled AND c.schedule IS NOT NULL').getMany();
  }

  async get(id: string): Promise<ConnectorEntity> {
    if (!UUID.test(id)) throw new NotFoundException(`connector ${id} not found`);
    const found = await this.connectors.findOneBy({ id });
    if (!found) throw new NotFoundException(`connector ${id} not found`);
    return found;
  }

  async update(id: string, dto: UpdateConnectorDto): Promise<ConnectorEntity> {
    const current = await this.get(id);
    const target = { kind: dto.kind ?? current.kind, baseUrl: dto.baseUrl ?? current.baseUrl, options: dto.options ?? current.options };
    // a saved credential is bound to the kind and the address(es) it was entered for: it never follows a change
    const moved = credentialBindingChanges({ kind: current.kind, baseUrl: current.baseUrl, options: current.options }, target);
    const saved = current.credentialNames ?? [];
    if (moved.length > 0 && !dto.credentials && saved.length > 0) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: moved.map(
          (field) => `${field}: changing it needs the credentials again in the same request (the saved ${[...saved].sort().join(', ')} stay bound to the ${field === 'kind' ? 'kind' : 'address'} they were entered for)`,
        ),
      });
    }
    const provinceCode = dto.provinceCode ?? current.provinceCode;
    if (provinceCode !== current.provinceCode) await this.refuseProvinceMove(current, provinceCode);
    const next = {
      name: dto.name ?? current.name,
      ...target,
      provinceCode,
      // credentials are replaced as a whole when given; omitted, they stay (opened only to validate the whole)
      credentials: dto.credentials ?? (moved.length > 0 ? {} : await this.openForChange(current.id)),
      schedule: dto.schedule === undefined ? current.schedule : dto.schedule,
      enabled: dto.enabled ?? current.enabled,
    };
    this.check(next);
    if (!dto.allowDuplicate && (dto.kind || dto.baseUrl || dto.options || dto.provinceCode)) await this.refuseDuplicate(next, current.id);
    const scheduleChanged = next.schedule !== current.schedule || (next.enabled && !current.enabled);
    const { credentials, ...fields } = next;
    const sealed = dto.credentials || moved.length > 0 ? this.credentials.seal(current.id, credentials) : {};
    return this.dataSource.transaction(async (em) => {
      const repo = em.getRepository(ConnectorEntity);
      const saved = await repo
        .save({
          ...current,
          ...fields,
          ...sealed,
          legacyPlaintextCredentials: {},
          configVersion: current.configVersion + 1,
          // slots before a schedule change (or while disabled) are not "missed"
          scheduleAnchor: scheduleChanged ? new Date() : current.scheduleAnchor,
        })
        .catch((error) => this.rethrowUnique(error, next.name));
      await this.recordVersion(em.query.bind(em), saved);
      return saved;
    });
  }

  setEnabled(id: string, enabled: boolean): Promise<ConnectorEntity> {
    return this.update(id, { enabled });
  }

  /** What a run hands its kind: the saved connector with its credentials opened in memory. */
  async instanceOf(c: ConnectorEntity): Promise<ConnectorInstance> {
    return toInstance(c, await this.credentials.open(c.id));
  }

  /**
   * The "test call" of a connector (saved, or only described): fetches one page as a run would and returns what
   * it would produce, storing nothing. Kinds without a test call answer 400.
   */
  async preview(source: ConnectorEntity | TestConnectorDto, http: RunContext['http']): Promise<unknown> {
    const candidate = {
      id: 'id' in source && source.id ? source.id : '00000000-0000-0000-0000-000000000000',
      name: source.name ?? '(test call)',
      kind: source.kind,
      baseUrl: source.baseUrl,
      provinceCode: source.provinceCode,
      // a saved connector's credentials are opened in memory; a described one brings its own
      credentials: isSaved(source) ? await this.openForChange(source.id) : (source.credentials ?? {}),
      schedule: source.schedule ?? null,
      options: source.options ?? {},
      configVersion: 'configVersion' in source ? source.configVersion : 0,
    };
    this.check(candidate);
    const kind = this.kinds.get(candidate.kind)!;
    if (!kind.preview) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`kind ${candidate.kind} has no test call`] });
    let found: unknown;
    try {
      found = await kind.preview({ ...candidate, options: kindOptions(candidate.options) }, http);
    } catch (error) {
      const described = describeError(error);
      throw new BadRequestException({ statusCode: 400, error: 'Test call failed', message: [`${described.code}: ${redactText(described.message, 300)}`] });
    }
    // what the source said is shown as structure, counts and field names; values are masked, lists bounded
    return { kind: candidate.kind, ...(maskForView(found) as Record<string, unknown>) };
  }

  /** One connector per kind, province and source, unless a second one is asked for on purpose. */
  private async refuseDuplicate(c: { name: string; kind: string; provinceCode: string; baseUrl: string; options: Record<string, unknown> }, self: string | null): Promise<void> {
    const same = await this.connectors.findBy({ kind: c.kind, provinceCode: c.provinceCode });
    const twin = same.find((o) => o.id !== self && sourceScope(o) === sourceScope(c));
    if (twin) {
      throw new ConflictException(
        `connector ${twin.name} already reads this ${c.kind} source for province ${c.provinceCode}: change that one, or send allowDuplicate: true with a distinct name to add a second one on purpose`,
      );
    }
  }

  /** Raw answers stay with the province they were fetched for: a connector that has run keeps its province. */
  private async refuseProvinceMove(current: ConnectorEntity, provinceCode: string): Promise<void> {
    const [{ ran }] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM connector_run WHERE connector_id = $1) OR EXISTS (SELECT 1 FROM raw_fetch WHERE connector_id = $1) AS ran`,
      [current.id],
    );
    if (ran) {
      throw new ConflictException(
        `provinceCode: connector ${current.name} has already run for province ${current.provinceCode}, and what it fetched stays with that province; register a new connector for ${provinceCode} instead`,
      );
    }
  }

  /** Validates a whole connector; throws 400 with one message per bad field. */
  private check(c: { kind: string; provinceCode: string; credentials: Record<string, string>; schedule: string | null; options: Record<string, unknown>; baseUrl: string }): void {
    const errors: string[] = [];
    const kind = this.kinds.get(c.kind);
    if (!kind) errors.push(`kind must be one of: ${this.kinds.names().join(', ')}`);
    // an address the egress policy refuses is refused when saved too (names are checked again once resolved)
    try {
      this.egress.checkUrl(c.baseUrl);
    } catch (error) {
      if (!(error instanceof EgressRefusedError)) throw error;
      errors.push(`baseUrl: ${error.message}`);
    }
    if (!this.units.isCurrentProvince(c.provinceCode)) errors.push(`provinceCode ${c.provinceCode} is not one of the 34 provincial units in force`);
    for (const [key, value] of Object.entries(c.credentials)) {
      if (typeof value !== 'string') errors.push(`credentials.${key} must be a string`);
    }
    if (c.schedule !== null) {
      const problem = validateCron(c.schedule);
      if (problem) errors.push(`schedule: ${problem}`);
    }
    errors.push(...readFrameworkOptions(c.options).errors);
    if (kind) errors.push(...kind.validate({ options: kindOptions(c.options), credentials: c.credentials, baseUrl: c.baseUrl, provinceCode: c.provinceCode }).errors);
    if (errors.length > 0) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: errors });
  }

  /** The saved credentials, opened to validate a change or for a test call; 409 naming the key if they cannot be. */
  private async openForChange(id: string): Promise<Record<string, string>> {
    try {
      return await this.credentials.open(id);
    } catch (error) {
      if (!(error instanceof CredentialsCipherError)) throw error;
      throw new ConflictException(`the credentials of connector ${id} cannot be opened (${error.message}): restore that key in CREDENTIALS_KEYS, or set the credentials again`);
    }
  }

  /** The audit trail of configurations, without credentials: their names only (neither values nor the sealed form). */
  private async recordVersion(query: (sql: string, params: unknown[]) => Promise<unknown>, c: ConnectorEntity): Promise<void> {
    const { credentialsSealed, credentialsKeyId, credentialNames, legacyPlaintextCredentials, ...rest } = c;
    await query(`INSERT INTO connector_config_version (connector_id, version, config) VALUES ($1, $2, $3)`, [
      c.id,
      c.configVersion,
      JSON.stringify({ ...rest, credentialsSet: [...(credentialNames ?? [])].sort() }),
    ]);
  }

  private rethrowUnique(error: unknown, name: string): never {
    if (error instanceof QueryFailedError && (error as unknown as { code?: string }).code === '23505') {
      throw new ConflictException(`a connector named ${name} already exists`);
    }
    throw error;
  }
}
