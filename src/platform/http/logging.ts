import { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { AppConfig } from '../config/app-config';
import { personalLogPaths } from '../privacy/personal-fields';

/** Paths never logged in full: secrets and personal data must not reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.token',
  '*.key',
  'password',
  'req.body.credentials',
  'credentials',
  '*.credentials',
  '*.clientSecret',
  '*.client_secret',
  '*.access_token',
  '*.password',
  // personal fields of every source, from the one list (src/platform/privacy/personal-fields.ts)
  ...personalLogPaths(),
];

/** Structured JSON logs (pino), one line per event. */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: [{
      level: config.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
      // a caller's X-Request-Id is kept when it is a plain id; otherwise a fresh UUID (unique across replicas)
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && /^[A-Za-z0-9._:-]{8,100}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      base: { service: 'par-evidence-hub', role: config.APP_ROLE.join(',') },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: withoutSecrets(req.url) }),
      },
    },
    // synchronous writes: the last lines before a shutdown or a crash are not lost in a buffer
    pino.destination({ dest: 1, sync: true })],
  };
}

/** A URL as it may be logged: values of secret-looking query parameters replaced. */
export function withoutSecrets(url: string): string {
  return url.replace(/([?&](?:token|access_token|api_?key|key|secret|password)=)[^&#]*/gi, '$1[REDACTED]');
}
