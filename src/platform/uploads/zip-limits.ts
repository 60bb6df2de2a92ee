import yauzl from 'yauzl';

/**
 * Limits of archive formats (ZIP, and the office documents built on it: DOCX, XLSX, ODT), checked before anything
 * parses them: number of entries, total uncompressed size and compression ratio, read from the central directory,
 * then every entry is inflated as a stream (nothing kept) to check that its headers told the truth. A zip bomb is
 * refused without ever being unpacked into memory.
 */
export interface ZipLimits {
  maxEntries: number;
  maxTotalUncompressedBytes: number;
  /** uncompressed / compressed, for the whole archive and for each entry larger than `ratioFloorBytes` */
  maxRatio: number;
  ratioFloorBytes: number;
}

/** Documents a province attaches (manual evidence). */
export const DOCUMENT_ZIP_LIMITS: ZipLimits = { maxEntries: 2_000, maxTotalUncompressedBytes: 200 * 1024 * 1024, maxRatio: 100, ratioFloorBytes: 1024 * 1024 };
/** Postal report workbooks: big sheets of repetitive XML. */
export const REPORT_ZIP_LIMITS: ZipLimits = { maxEntries: 1_000, maxTotalUncompressedBytes: 1024 * 1024 * 1024, maxRatio: 200, ratioFloorBytes: 4 * 1024 * 1024 };

export type ArchiveProblem = 'too_many_entries' | 'too_large' | 'ratio' | 'lying_header' | 'malformed';

/** An archive refused by its limits (413) or unreadable as an archive (422). The message says which and by how much. */
export class ArchiveLimitError extends Error {
  override name = 'ArchiveLimitError';
  constructor(
    readonly problem: ArchiveProblem,
    message: string,
  ) {
    super(message);
  }

  get status(): 413 | 422 {
    return this.problem === 'too_many_entries' || this.problem === 'too_large' ? 413 : 422;
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b]);

/** Whether the bytes are a ZIP container (local header, or the end record of an empty archive). */
export function looksLikeZip(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.subarray(0, 2).equals(ZIP_MAGIC) && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

function open(bytes: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (error, zip) =>
      error || !zip ? reject(new ArchiveLimitError('malformed', `the file is not a readable ZIP archive: truncated or damaged (${error?.message ?? 'no archive'})`)) : resolve(zip),
    ),
  );
}

/** Inflates one entry into nowhere, counting; stops at the entry's declared size or the remaining budget. */
function drain(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: number): Promise<number> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(new ArchiveLimitError('malformed', `entry ${entry.fileName} cannot be read (${error?.message ?? 'no stream'})`));
      let seen = 0;
      stream.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > entry.uncompressedSize || seen > budget) {
          stream.destroy();
          reject(new ArchiveLimitError('lying_header', `entry ${entry.fileName} inflates beyond the ${entry.uncompressedSize} bytes its header declares; refused`));
        }
      });
      stream.on('error', (e: Error) =>
        reject(e instanceof ArchiveLimitError ? e : new ArchiveLimitError(/size|bytes in the stream|expected/i.test(e.message) ? 'lying_header' : 'malformed', `entry ${entry.fileName}: ${e.message}`)),
      );
      stream.on('end', () => resolve(seen));
    });
  });
}

/**
 * Checks an archive against `limits`; resolves with its entry count and uncompressed size, or rejects with an
 * ArchiveLimitError. `label` names the file in messages (e.g. "the document", "report file x.xlsx").
 */
export async function inspectZip(bytes: Buffer, limits: ZipLimits, label = 'the archive'): Promise<{ entries: number; uncompressedBytes: number }> {
  const zip = await open(bytes);
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new ArchiveLimitError('too_many_entries', `${label} holds ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted`);
    }
    const entries: yauzl.Entry[] = await new Promise((resolve, reject) => {
      const all: yauzl.Entry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        all.push(entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve(all));
      zip.on('error', (e: Error) => reject(new ArchiveLimitError('malformed', `${label} is not a readable ZIP archive: truncated or damaged (${e.message})`)));
      zip.readEntry();
    });
    let total = 0;
    let compressed = 0;
    for (const entry of entries) {
      total += entry.uncompressedSize;
      compressed += entry.compressedSize;
      if (total > limits.maxTotalUncompressedBytes) {
        throw new ArchiveLimitError('too_large', `${label} unpacks to more than ${mb(limits.maxTotalUncompressedBytes)}; refused before unpacking`);
      }
      if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)) {
        throw new ArchiveLimitError('ratio', `${label}: entry ${entry.fileName} is compressed more than ${limits.maxRatio}:1 (${mb(entry.uncompressedSize)} from ${entry.compressedSize} bytes); refused as a possible zip bomb`);
      }
    }
    if (total > limits.ratioFloorBytes && total > limits.maxRatio * Math.max(1, compressed)) {
      throw new ArchiveLimitError('ratio', `${label} is compressed more than ${limits.maxRatio}:1 overall; refused as a possible zip bomb`);
    }
    // the central directory may lie: inflate each entry as a stream, never past what it declared
    let budget = limits.maxTotalUncompressedBytes;
    for (const entry of entries) {
      if (entry.fileName.endsWith('/')) continue;
      budget -= await drain(zip, entry, budget);
    }
    return { entries: entries.length, uncompressedBytes: total };
  } finally {
    zip.close();
  }
}
