import { execFile } from 'node:child_process';

/**
 * Postal report memory benchmark (part of `npm run bench`): parses generated BCCI reports of each size (default
 * 50,000 and 300,000 rows), as CSV and as XLSX, each in a fresh process started with the service's Node flags,
 * and reports rows/s and the process's peak resident memory (the kernel's maximum RSS of that process, which
 * includes ~100 MB of runtime and ts-node). Target: peak under 300 MB for every size.
 */

/**
 * The service's V8 flags (docker/Dockerfile, `npm start`): a larger young generation lets a row's garbage die
 * young, a bounded old generation is collected before it balloons.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=32', '--max-old-space-size=512'];
export const POSTAL_PEAK_TARGET_MB = 300;

export interface PostalBenchResult {
  format: 'csv' | 'xlsx';
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** sampled during the parse */
  peakRssMB: number;
  /** the kernel's maximum resident set size of the process (file generation for CSV included) */
  maxRssMB: number;
  baselineRssMB: number;
  targetMet: boolean;
}

function parseInChild(root: string, rows: number, format: 'csv' | 'xlsx'): Promise<PostalBenchResult> {
  const code =
    `require('./src/connectors/vnpost-bcci/bcci-parse.bench').bcciParseBenchmark(${rows}, ['${format}'])` +
    `.then((r) => process.stdout.write('RESULT ' + JSON.stringify({ ...r[0], maxRssMB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10 }) + '\\n'))` +
    `.catch((e) => { console.error(e); process.exit(1); })`;
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [...SERVICE_NODE_FLAGS, '-r', 'ts-node/register/transpile-only', '-e', code], { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (err, out, stderr) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (err || !line) return reject(new Error(`postal benchmark (${rows} ${format}) failed: ${stderr || err?.message}`));
      const r = JSON.parse(line.slice(7));
      resolvePromise({ ...r, targetMet: Math.max(r.peakRssMB, r.maxRssMB) < POSTAL_PEAK_TARGET_MB });
    });
  });
}

/** One result per size and format, each measured in its own process. */
export async function postalMemoryBench(root: string, sizes: number[]): Promise<PostalBenchResult[]> {
  const results: PostalBenchResult[] = [];
  for (const rows of sizes) for (const format of ['csv', 'xlsx'] as const) results.push(await parseInChild(root, rows, format));
  return results;
}

export function postalBenchLines(results: PostalBenchResult[]): string[] {
  const n = (x: number) => x.toLocaleString('en');
  return results.map(
    (x) =>
      `postal report      ${x.format.toUpperCase().padEnd(4)} ${n(x.rows).padStart(7)} rows in ${x.seconds} s = ${n(x.rowsPerSecond)} rows/s; peak RSS ${Math.max(x.peakRssMB, x.maxRssMB)} MB ` +
      `(runtime before the file ${x.baselineRssMB} MB; target < ${POSTAL_PEAK_TARGET_MB} MB: ${x.targetMet ? 'met' : 'NOT met'})`,
  );
}
