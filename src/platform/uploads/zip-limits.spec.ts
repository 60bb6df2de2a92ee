import { ArchiveLimitError, DOCUMENT_ZIP_LIMITS, inspectZip, looksLikeZip } from './zip-limits';
import { buildZip, zipBomb } from './zip-fixtures.spec-helper';

const small = { maxEntries: 10, maxTotalUncompressedBytes: 10 * 1024 * 1024, maxRatio: 50, ratioFloorBytes: 64 * 1024 };

async function problemOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ArchiveLimitError) return `${error.problem} ${error.status}`;
    throw error;
  }
  return 'accepted';
}

describe('zip limits', () => {
  it('accepts an ordinary document and reports its size', async () => {
    const doc = buildZip([{ name: 'a.xml', data: Buffer.from('<a>hello</a>') }, { name: 'b.xml', data: Buffer.from('x'.repeat(5000)) }]);
    expect(looksLikeZip(doc)).toBe(true);
    await expect(inspectZip(doc, small)).resolves.toEqual({ entries: 2, uncompressedBytes: 5012 });
  });

  it('refuses too many entries (413)', async () => {
    const many = buildZip(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x') })));
    expect(await problemOf(inspectZip(many, small))).toBe('too_many_entries 413');
  });

  it('refuses a total uncompressed size above the limit before unpacking (413)', async () => {
    const big = buildZip([{ name: 'a.bin', data: Buffer.alloc(6 * 1024 * 1024, 7) }, { name: 'b.bin', data: Buffer.alloc(6 * 1024 * 1024, 9) }]);
    expect(await problemOf(inspectZip(big, { ...small, maxRatio: 100000 }))).toBe('too_large 413');
  });

  it('refuses a zip bomb by its compression ratio (422)', async () => {
    expect(await problemOf(inspectZip(zipBomb(8 * 1024 * 1024), small))).toBe('ratio 422');
    expect(await problemOf(inspectZip(zipBomb(50 * 1024 * 1024), DOCUMENT_ZIP_LIMITS))).toBe('ratio 422');
  });

  it('refuses an entry whose header understates what it inflates to (422)', async () => {
    const liar = buildZip([{ name: 'word/document.xml', data: Buffer.alloc(2 * 1024 * 1024), declaredSize: 1000 }]);
    expect(await problemOf(inspectZip(liar, small))).toBe('lying_header 422');
  });

  it('refuses bytes that are not a ZIP archive (422)', async () => {
    expect(await problemOf(inspectZip(Buffer.from('PK\u0003\u0004 but truncated'), small))).toBe('malformed 422');
  });
});
