/**
 * The baseline: the same normalised dossier rows as the pipeline produces, COPYed straight into a scratch table
 * shaped like `dossier` (same columns, defaults and primary key). The COPY text is rendered into memory chunks
 * before the clock starts, so the timing is PostgreSQL's ingest of the rows (plus the socket), nothing else.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { parseDossier } from '../../src/connectors/one-stop-shop/dossier.parser';
import { DOSSIER_COLUMNS } from '../../src/connectors/one-stop-shop/dossier.writer';
import { createDataset } from '../../test/simulators/one-stop-shop/dossier-generator';

export const COPY_TABLE = 'bench_copy_dossier';
const COLUMNS = ['province_code', ...DOSSIER_COLUMNS.map(([n]) => n), 'connector_id', 'run_id', 'raw_digest', 'raw_position'];

/** Provenance stand-ins: the pipeline writes real ids; the baseline writes values of the same shape. */
const FAKE_CONNECTOR = '00000000-0000-4000-8000-000000000001';
const FAKE_RUN = '00000000-0000-4000-8000-000000000002';
const FAKE_DIGEST = 'b'.repeat(64);

function field(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : text;
}

export interface RenderedRows {
  chunks: Buffer[];
  rows: number;
  bytes: number;
  renderSeconds: number;
}

/**
 * Streams the simulator's truth (the newest version of every valid dossier, same seed and options as the
 * simulator child) through parseDossier and renders COPY text rows into ~1 MB chunks.
 */
export function renderRows(options: { seed: number | string; provinces: string[]; perProvince: number; year: number; malformedRate: number }): RenderedRows {
  const started = process.hrtime.bigint();
  const dataset = createDataset({
    seed: options.seed,
    provinces: options.provinces,
    dossiersPerProvince: options.perProvince,
    year: options.year,
    malformedRate: options.malformedRate,
  });
  const chunks: Buffer[] = [];
  let text = '';
  let rows = 0;
  let bytes = 0;
  const flush = () => {
    if (text === '') return;
    const buf = Buffer.from(text, 'utf8');
    chunks.push(buf);
    bytes += buf.length;
    text = '';
  };
  for (const province of options.provinces) {
    dataset.forEachDossier(province, (raw, info) => {
      const parsed = parseDossier(raw, province);
      if (!parsed.ok) return;
      const d = parsed.dossier;
      let line = province;
      for (const [, , read] of DOSSIER_COLUMNS) line += '\t' + field(read(d));
      line += `\t${FAKE_CONNECTOR}\t${FAKE_RUN}\t${FAKE_DIGEST}\t${info.index % 1000}\n`;
      text += line;
      rows++;
      if (text.length > 1_000_000) flush();
    });
  }
  flush();
  return { chunks, rows, bytes, renderSeconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export interface CopyResult {
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  tableRows: number;
}

/** Creates the scratch table (dossier's columns, defaults and primary key) and times the COPY of the chunks. */
export async function copyRows(databaseUrl: string, rendered: RenderedRows): Promise<CopyResult> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-copy' });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${COPY_TABLE}`);
    await client.query(`CREATE TABLE ${COPY_TABLE} (LIKE dossier INCLUDING DEFAULTS)`);
    await client.query(`ALTER TABLE ${COPY_TABLE} ADD PRIMARY KEY (province_code, dossier_id)`);
    await client.query('CHECKPOINT'); // start from a quiet WAL, as the pipeline did
    const started = process.hrtime.bigint();
    const stream = client.query(copyFrom(`COPY ${COPY_TABLE} (${COLUMNS.join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(rendered.chunks), stream);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${COPY_TABLE}`);
    return { rows: rendered.rows, bytes: rendered.bytes, seconds, rowsPerSecond: rendered.rows / seconds, tableRows: rows[0].n };
  } finally {
    await client.end();
  }
}
