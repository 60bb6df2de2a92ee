import { z } from 'zod';

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
  SHUTDOWN_GRACE_MS: int('SHUTDOWN_GRACE_MS', 0, 600000).default('10000'),
});

export type AppConfig = Omit<z.infer<typeof schema>, 'APP_ROLE'> & { APP_ROLE: AppRole[] };

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Validates the environment; throws ConfigValidationError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
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
  return result.data as AppConfig;
}

export function hasRole(config: AppConfig, role: Exclude<AppRole, 'all'>): boolean {
  return config.APP_ROLE.includes('all') || config.APP_ROLE.includes(role);
}
