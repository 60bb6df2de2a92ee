import { insertAuditEvent } from '../../audit/audit-store';
import { systemActor } from '../../audit/audit.types';
import { Pool } from 'pg';
import { loadConfig } from '../../platform/config/app-config';
import { RotationReport, rotateCredentials, rotatedCount } from './credentials-rotation';

/**
 * `npm run credentials:rotate`: re-seals every connector's credentials with CREDENTIALS_ACTIVE_KEY_ID.
 *
 * Rotation, step by step: add the new key to CREDENTIALS_KEYS (keeping the old one) and make it active, restart
 * the service (new writes use it), run this command, and only then remove the old key. Prints a summary (counts per
 * old key id, no secret); exits 1 naming each connector whose credentials cannot be opened and the key they need.
 */
export async function runRotationCommand(env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const config = loadConfig(env);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 2, application_name: 'par-evidence-hub-credentials-rotate' });
  try {
    const report = await rotateCredentials(pool, config.credentialsKeyRing!);
    await insertAuditEvent(pool, {
      ...systemActor('credentials-rotate'),
      action: 'credentials.rotate',
      target: report.activeKeyId,
      outcome: report.failures.length > 0 ? 'failed' : 'succeeded',
      detail: rotationSummary(report),
    });
    out.write(JSON.stringify(rotationSummary(report)) + '\n');
    for (const f of report.failures) {
      err.write(`connector ${f.connectorId}: credentials sealed with key "${f.keyId ?? '?'}" cannot be opened: ${f.reason}\n`);
    }
    return report.failures.length > 0 ? 1 : 0;
  } finally {
    await pool.end();
  }
}

/** The printed summary: counts and key ids only. */
export function rotationSummary(report: RotationReport) {
  return {
    msg: report.failures.length > 0 ? 'credentials rotation incomplete' : 'credentials rotated',
    activeKeyId: report.activeKeyId,
    rotated: rotatedCount(report),
    rotatedFromKey: report.rotated,
    sealedPlaintext: report.sealedPlaintext,
    alreadyActive: report.alreadyActive,
    failed: report.failures.map((f) => ({ connectorId: f.connectorId, keyId: f.keyId })),
  };
}

if (require.main === module) {
  runRotationCommand()
    .then((code) => process.exit(code))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
