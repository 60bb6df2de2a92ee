import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, USERNAME_PATTERN, USERNAME_RULE } from '../auth/account-rules';
import { hkdfSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseEgressAllow } from '../http/egress-policy';

/**
 * All configuration comes from environment variables and is validated here, once, at start. A bad or missing
 * value stops start-up with a message that names the variable.
 */
const bool = (name: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), { message: `${name} must be true or false` })
    .transform((v) => ['true', '1', 'yes'].includes(v));

const int = (name: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `${name} must be a whole number` })
    .transform(Number)
    .refine((n) => n >= min && n <= max, { message: `${name} must be between ${min} and ${max}` });

const url = (name: string, protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { message: `${name} must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
    );

/**
 * `CREDENTIALS_KEYS`: the key ring that seals connector credentials, as `keyId:base64key` entries separated by
 * commas (each key 32 random bytes, e.g. `openssl rand -base64 32`). Several keys may be listed during a rotation.
 */
export interface CredentialsKeyRing {
  keys: ReadonlyMap<string, Buffer>;
  activeKeyId: string;
}

const keyRingOf = (name: string) => z
  .string()
  .trim()
  .transform((value, ctx) => {
    const keys = new Map<string, Buffer>();
    for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
      const colon = entry.indexOf(':');
      const id = colon > 0 ? entry.slice(0, colon) : '';
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} entries must look like keyId:base64key (key ids: letters, digits, _ . -)` });
        return z.NEVER;
      }
      const key = Buffer.from(entry.slice(colon + 1), 'base64');
      if (key.length !== 32) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} key "${id}" must be 32 bytes, base64-encoded (got ${key.length} bytes)` });
        return z.NEVER;
      }
      if (keys.has(id)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} lists key "${id}" twice` });
        return z.NEVER;
      }
      keys.set(id, key);
    }
    if (keys.size === 0) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${name} must list at least one key` });
      return z.NEVER;
    }
    return keys;
  });

export const APP_ROLES = ['api', 'worker', 'scheduler', 'all'] as const;
export type AppRole = (typeof APP_ROLES)[number];

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  APP_ROLE: z
    .string()
    .default('all')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((roles) => roles.length > 0 && roles.every((r) => (APP_ROLES as readonly string[]).includes(r)), {
      message: `APP_ROLE must be one or more of ${APP_ROLES.join(', ')} (comma-separated)`,
    }),
  PORT: int('PORT', 0, 65535).default('3000'),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: url('DATABASE_URL', ['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/par_evidence_hub'),
  DATABASE_POOL_SIZE: int('DATABASE_POOL_SIZE', 1, 200).default('10'),
  MIGRATIONS_RUN: bool('MIGRATIONS_RUN').default('true'),
  REDIS_URL: url('REDIS_URL', ['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/, { message: 'QUEUE_PREFIX may hold letters, digits, _ and -' }).default('par'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  UNITS_DIR: z.string().default('config/units'),
  CATALOGUE_DIR: z.string().default('config/scoring'),
  WORKER_CONCURRENCY: int('WORKER_CONCURRENCY', 1, 64).default('2'),
  /** how long a worker holds a job's lock; a killed worker's job is taken over after about this long */
  JOB_LOCK_MS: int('JOB_LOCK_MS', 1000, 600000).default('30000'),
  JOB_RETENTION_COUNT: int('JOB_RETENTION_COUNT', 0, 1000000).default('1000'),
  JOB_RETENTION_SECONDS: int('JOB_RETENTION_SECONDS', 0, 31536000).default('604800'),
  SCHEDULER_TICK_MS: int('SCHEDULER_TICK_MS', 100, 3600000).default('15000'),
  /** what to do with schedule slots missed while everything was down: run them, or record them as missed */
  SCHEDULE_CATCH_UP: z.enum(['run', 'report']).default('run'),
  SCHEDULE_CATCH_UP_MAX_SLOTS: int('SCHEDULE_CATCH_UP_MAX_SLOTS', 1, 10000).default('100'),
  EVIDENCE_DEBOUNCE_MS: int('EVIDENCE_DEBOUNCE_MS', 0, 3600000).default('2000'),
  SCORING_DEBOUNCE_MS: int('SCORING_DEBOUNCE_MS', 0, 3600000).default('2000'),
  /** while a run is still fetching, evidence is refreshed at most this often (and always when it ends) */
  EVIDENCE_DURING_RUN_MS: int('EVIDENCE_DURING_RUN_MS', 0, 86400000).default('30000'),
  /** an outbox row older than this is re-queued by the scheduler (covers lost Redis jobs) */
  OUTBOX_SWEEP_AFTER_MS: int('OUTBOX_SWEEP_AFTER_MS', 1000, 86400000).default('60000'),
  HTTP_TIMEOUT_MS: int('HTTP_TIMEOUT_MS', 100, 600000).default('30000'),
  HTTP_MAX_ATTEMPTS: int('HTTP_MAX_ATTEMPTS', 1, 20).default('5'),
  HTTP_BACKOFF_BASE_MS: int('HTTP_BACKOFF_BASE_MS', 1, 600000).default('500'),
  HTTP_BACKOFF_MAX_MS: int('HTTP_BACKOFF_MAX_MS', 1, 3600000).default('30000'),
  /**
   * where outbound calls (connector runs, test calls, token requests, redirects) may go besides public
   * addresses: a comma list of host names, `host:port`, addresses or networks (`10.1.0.0/16`). Empty: public only.
   */
  EGRESS_ALLOW: z
    .string()
    .trim()
    .default('')
    .superRefine((v, ctx) => {
      for (const message of parseEgressAllow(v).errors) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
    }),
  SHUTDOWN_GRACE_MS: int('SHUTDOWN_GRACE_MS', 0, 600000).default('10000'),
  /** worker and scheduler prove they are alive by rewriting this file (their container health check reads it) */
  HEARTBEAT_FILE: z.string().trim().min(1).default(join(tmpdir(), 'par-evidence-hub.heartbeat')),
  HEARTBEAT_INTERVAL_MS: int('HEARTBEAT_INTERVAL_MS', 100, 600000).default('10000'),
  /** connector credentials are sealed with the active key; the others only open what they sealed before a rotation */
  CREDENTIALS_KEYS: keyRingOf('CREDENTIALS_KEYS').optional(),
  CREDENTIALS_ACTIVE_KEY_ID: z.string().trim().optional(),
  /** the transparency log's name, the first line of every checkpoint (no spaces) */
  LEDGER_ORIGIN: z.string().trim().regex(/^[A-Za-z0-9._\/:-]{1,200}$/, { message: 'LEDGER_ORIGIN may hold letters, digits and . _ / : - (no spaces or +)' }).default('par-evidence-hub/ledger'),
  /** Ed25519 checkpoint keys as keyId:base64(32-byte seed); absent: derived from each CREDENTIALS_KEYS key */
  LEDGER_SIGNING_KEYS: keyRingOf('LEDGER_SIGNING_KEYS').optional(),
  LEDGER_ACTIVE_KEY_ID: z.string().trim().optional(),
  /** a checkpoint is signed after each scoring batch and at least this often */
  LEDGER_CHECKPOINT_INTERVAL_MS: int('LEDGER_CHECKPOINT_INTERVAL_MS', 1000, 86400000).default('3600000'),
  /** the scheduled tamper check (re-derives every leaf from the stored rows) runs this often */
  LEDGER_TAMPER_CHECK_INTERVAL_MS: int('LEDGER_TAMPER_CHECK_INTERVAL_MS', 1000, 604800000).default('3600000'),
  /** bearer tokens issued at login live this long */
  AUTH_TOKEN_TTL_SECONDS: int('AUTH_TOKEN_TTL_SECONDS', 60, 2592000).default('28800'),
  /** scrypt cost for password hashes, as log2(N): 15 takes about 100 ms per sign-in on this project's 2-core CI machine */
  PASSWORD_HASH_COST: int('PASSWORD_HASH_COST', 10, 20).default('15'),
  /** failed logins allowed per client address and per user name within the window, before 429 */
  LOGIN_MAX_ATTEMPTS: int('LOGIN_MAX_ATTEMPTS', 1, 10000).default('10'),
  LOGIN_WINDOW_SECONDS: int('LOGIN_WINDOW_SECONDS', 1, 86400).default('900'),
  /** largest JSON or form body accepted, in kilobytes (file uploads have their own limit) */
  HTTP_BODY_LIMIT_KB: int('HTTP_BODY_LIMIT_KB', 1, 102400).default('256'),
  /**
   * behind a reverse proxy: which X-Forwarded-For hops to believe (sign-in limits count per client address).
   * false (default), a number of hops, or a comma list of trusted addresses/subnets (e.g. 10.0.0.0/8)
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .refine((v) => /^(true|false|\d{1,2}|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal)$/.test(v), {
      message: 'TRUST_PROXY must be false, true, a number of hops, or a comma list of addresses/subnets',
    })
    .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
  /** OpenLineage: where run events are POSTed (e.g. Marquez http://marquez:5000/api/v1/lineage); unset: stored only */
  OPENLINEAGE_URL: url('OPENLINEAGE_URL', ['http:', 'https:']).optional(),
  /** sent as `Authorization: Bearer …` to OPENLINEAGE_URL, if set */
  OPENLINEAGE_API_KEY: z.string().trim().min(1).optional(),
  /** the job namespace of the events */
  OPENLINEAGE_NAMESPACE: z.string().trim().regex(/^[\w.:/-]{1,200}$/, { message: 'OPENLINEAGE_NAMESPACE may hold letters, digits and _ . : / -' }).default('par-evidence-hub'),
  OPENLINEAGE_TIMEOUT_MS: int('OPENLINEAGE_TIMEOUT_MS', 100, 120000).default('5000'),
  /** how often the outbox of unsent events is sent (worker role) */
  OPENLINEAGE_SEND_INTERVAL_MS: int('OPENLINEAGE_SEND_INTERVAL_MS', 100, 3600000).default('10000'),
  /** creates the first administrator at start when no user exists yet (both or neither) */
  BOOTSTRAP_ADMIN_USERNAME: z.string().trim().regex(USERNAME_PATTERN, { message: `BOOTSTRAP_ADMIN_USERNAME must be ${USERNAME_RULE}` }).optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z
    .string()
    .min(MIN_PASSWORD_LENGTH, { message: `BOOTSTRAP_ADMIN_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters` })
    .max(MAX_PASSWORD_LENGTH)
    .optional(),
});

export type AppConfig = Omit<z.infer<typeof schema>, 'APP_ROLE' | 'CREDENTIALS_KEYS' | 'CREDENTIALS_ACTIVE_KEY_ID' | 'LEDGER_SIGNING_KEYS' | 'LEDGER_ACTIVE_KEY_ID'> & {
  APP_ROLE: AppRole[];
  /** absent only where nothing is sealed or opened (the migration command) */
  credentialsKeyRing: CredentialsKeyRing | undefined;
  /** Ed25519 seeds signing ledger checkpoints; the inactive ones still verify older checkpoints */
  ledgerKeyRing: CredentialsKeyRing | undefined;
};

/** A checkpoint key derived from a credentials key (HKDF-SHA256), when no LEDGER_SIGNING_KEYS are configured. */
export function deriveLedgerSeed(credentialsKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', credentialsKey, Buffer.alloc(0), 'par-evidence-hub ledger checkpoint ed25519', 32));
}

export interface LoadConfigOptions {
  /** the service needs the credentials key ring; tools that never touch credentials do not */
  requireSecrets?: boolean;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Validates the environment; throws ConfigValidationError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadConfigOptions = {}): AppConfig {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigValidationError(
      result.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? '?');
        return issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`;
      }),
    );
  }
  const problems: string[] = [];
  const { CREDENTIALS_KEYS: keys, CREDENTIALS_ACTIVE_KEY_ID: activeId, LEDGER_SIGNING_KEYS: ledgerKeys, LEDGER_ACTIVE_KEY_ID: ledgerActiveId, ...rest } = result.data;
  let credentialsKeyRing: CredentialsKeyRing | undefined;
  if (keys) {
    const activeKeyId = activeId ?? [...keys.keys()][0];
    if (!keys.has(activeKeyId)) problems.push(`CREDENTIALS_ACTIVE_KEY_ID "${activeKeyId}" is not one of the keys in CREDENTIALS_KEYS`);
    credentialsKeyRing = { keys, activeKeyId };
  } else if (options.requireSecrets !== false) {
    problems.push('CREDENTIALS_KEYS is required: keyId:base64key, e.g. k1:$(openssl rand -base64 32)');
  }
  let ledgerKeyRing: CredentialsKeyRing | undefined;
  if (ledgerKeys) {
    const activeKeyId = ledgerActiveId ?? [...ledgerKeys.keys()][0];
    if (!ledgerKeys.has(activeKeyId)) problems.push(`LEDGER_ACTIVE_KEY_ID "${activeKeyId}" is not one of the keys in LEDGER_SIGNING_KEYS`);
    ledgerKeyRing = { keys: ledgerKeys, activeKeyId };
  } else if (ledgerActiveId) {
    problems.push('LEDGER_ACTIVE_KEY_ID needs LEDGER_SIGNING_KEYS');
  } else if (credentialsKeyRing) {
    const derived = new Map([...credentialsKeyRing.keys].map(([id, key]) => [id, deriveLedgerSeed(key)]));
    ledgerKeyRing = { keys: derived, activeKeyId: credentialsKeyRing.activeKeyId };
  }
  if (!!rest.BOOTSTRAP_ADMIN_USERNAME !== !!rest.BOOTSTRAP_ADMIN_PASSWORD) {
    problems.push('BOOTSTRAP_ADMIN_USERNAME and BOOTSTRAP_ADMIN_PASSWORD must be given together');
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return { ...rest, credentialsKeyRing, ledgerKeyRing } as AppConfig;
}

export function hasRole(config: AppConfig, role: Exclude<AppRole, 'all'>): boolean {
  return config.APP_ROLE.includes('all') || config.APP_ROLE.includes(role);
}
