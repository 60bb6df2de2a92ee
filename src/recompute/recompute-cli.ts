import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createApp } from '../bootstrap';
import { ConfigValidationError, loadConfig } from '../platform/config/app-config';
import { RecomputeService } from './recompute.service';

/**
 * `npm run recompute -- --province 79 --year 2025 [--json]`: recomputes a province-year from the archived raw
 * bytes against the stored evidence and published scores (nothing is written). Exit code 0 when identical,
 * 1 when something differs. Uses the service's configuration (DATABASE_URL, CREDENTIALS_KEYS, …).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { province: { type: 'string' }, year: { type: 'string' }, json: { type: 'boolean' } } });
  if (!/^\d{2}$/.test(values.province ?? '') || !/^\d{4}$/.test(values.year ?? '')) {
    process.stderr.write('usage: npm run recompute -- --province <2-digit code> --year <yyyy> [--json]\n');
    return 2;
  }
  const config = loadConfig({ ...process.env, APP_ROLE: 'api', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const app = await createApp(config, { listen: false });
  try {
    const report = await app.get(RecomputeService).recompute(values.province!, Number(values.year));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const { evidence, scores, replay } = report;
      process.stdout.write(
        `province ${report.provinceCode}, ${report.year}: ${report.identical ? 'IDENTICAL' : 'DIFFERENT'} in ${report.durationMs} ms\n` +
          `  replayed ${replay.payloads} archived answers (${replay.normalised} records, ${replay.quarantined} quarantined, ${replay.skipped} without a page)\n` +
          `  evidence: ${evidence.compared} compared, ${evidence.differences.length} differ\n` +
          `  scores:   ${scores.compared} compared, ${scores.differences.length} differ\n` +
          [...evidence.differences.map((d) => `  evidence ${d.periodKey} ${d.metric}${d.subject ? ` [${d.subject}]` : ''}: ${d.difference} ${d.fields.join(', ')}`),
           ...scores.differences.map((d) => `  score ${d.scoreId} ${d.catalogue} ${d.periodKey} ${d.subCriterion}: ${d.difference} ${d.fields.join(', ')}`)].join('\n') + '\n',
      );
    }
    return report.identical ? 0 : 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof ConfigValidationError ? error.message : (error as Error).stack}\n`);
    process.exit(2);
  },
);
