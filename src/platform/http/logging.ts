import { Params } from 'nestjs-pino';
import pino from 'pino';
import { AppConfig } from '../config/app-config';

/** Paths never logged in full: secrets and personal data must not reach the logs. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body.credentials',
  'credentials',
  '*.credentials',
  '*.clientSecret',
  '*.client_secret',
  '*.access_token',
  '*.password',
  '*.ChuHoSo',
  '*.SoGiayToChuHoSo',
  '*.SoDienThoai',
  '*.Email',
];

/** Structured JSON logs (pino), one line per event. */
export function loggerParams(config: AppConfig): Params {
  return {
    pinoHttp: [{
      level: config.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
      base: { service: 'par-evidence-hub', role: config.APP_ROLE.join(',') },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
    },
    // synchronous writes: the last lines before a shutdown or a crash are not lost in a buffer
    pino.destination({ dest: 1, sync: true })],
  };
}
