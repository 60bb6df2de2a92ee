import { ScoringCatalogue, SubCriterion, coversYear } from '../catalogue';
import { catalogueKey } from '../scoring-catalogues.provider';

/** The largest document a province may attach. */
export const MAX_EVIDENCE_BYTES = 20 * 1024 * 1024;

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * The kinds of document a province may attach, each with the leading bytes its content must start with (so a
 * file declared as a PDF is a PDF); plain text must hold no NUL byte.
 */
export const ALLOWED_CONTENT_TYPES: Readonly<Record<string, { label: string; signatures: Buffer[] }>> = {
  'application/pdf': { label: 'PDF', signatures: [Buffer.from('%PDF-', 'latin1')] },
  'image/png': { label: 'PNG image', signatures: [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])] },
  'image/jpeg': { label: 'JPEG image', signatures: [Buffer.from([0xff, 0xd8, 0xff])] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { label: 'Word document (.docx)', signatures: [ZIP] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { label: 'Excel workbook (.xlsx)', signatures: [ZIP] },
  'application/vnd.oasis.opendocument.text': { label: 'OpenDocument text (.odt)', signatures: [ZIP] },
  'application/zip': { label: 'ZIP archive', signatures: [ZIP] },
  'text/plain': { label: 'plain text', signatures: [] },
};

const ALIASES: Readonly<Record<string, string>> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg' };

/** `Text/Plain; charset=utf-8` → `text/plain`; aliases (image/jpg) to their registered name. */
export function normalizeContentType(raw: string | null | undefined): string {
  const type = (raw ?? '').split(';')[0].trim().toLowerCase();
  return ALIASES[type] ?? type;
}

/** Whether a declared content type is on the allow-list (checked before the bytes are received). */
export function isAllowedContentType(raw: string | null | undefined): boolean {
  return Object.prototype.hasOwnProperty.call(ALLOWED_CONTENT_TYPES, normalizeContentType(raw));
}

export const allowedContentTypesText = (): string => Object.keys(ALLOWED_CONTENT_TYPES).join(', ');

export type ContentCheck = { ok: true; contentType: string } | { ok: false; reason: 'unsupported' | 'mismatch' | 'empty'; message: string };

/** The declared type is allowed and the bytes look like it. */
export function checkDocument(declared: string | null | undefined, bytes: Buffer): ContentCheck {
  const contentType = normalizeContentType(declared);
  const allowed = Object.prototype.hasOwnProperty.call(ALLOWED_CONTENT_TYPES, contentType) ? ALLOWED_CONTENT_TYPES[contentType] : undefined;
  if (!allowed) {
    return { ok: false, reason: 'unsupported', message: `file: content type "${contentType || 'none'}" is not accepted; accepted: ${allowedContentTypesText()}` };
  }
  if (bytes.length === 0) return { ok: false, reason: 'empty', message: 'file: the file is empty' };
  if (allowed.signatures.length > 0 && !allowed.signatures.some((s) => bytes.length >= s.length && bytes.subarray(0, s.length).equals(s))) {
    return { ok: false, reason: 'mismatch', message: `file: the content is not a ${allowed.label} (declared ${contentType})` };
  }
  if (contentType === 'text/plain' && bytes.includes(0)) {
    return { ok: false, reason: 'mismatch', message: 'file: the content is not plain text (declared text/plain)' };
  }
  return { ok: true, contentType };
}

export type ManualTarget = { ok: true; catalogue: ScoringCatalogue; subCriterion: SubCriterion } | { ok: false; errors: string[] };

/**
 * The catalogue version (`id@version`) and manual sub-criterion a document is attached to: the catalogue must
 * be loaded and cover the year, and the sub-criterion must be one of its `manual` items.
 */
export function resolveManualTarget(catalogues: readonly ScoringCatalogue[], catalogue: string, subCriterion: string, year: number): ManualTarget {
  const found = catalogues.find((c) => catalogueKey(c) === catalogue);
  if (!found) {
    const known = catalogues.filter((c) => coversYear(c, year)).map(catalogueKey);
    return { ok: false, errors: [`catalogue: no catalogue version "${catalogue}"${known.length > 0 ? `; for ${year}: ${known.join(', ')}` : ''}`] };
  }
  if (!coversYear(found, year)) {
    return { ok: false, errors: [`catalogue: ${catalogue} covers ${found.years.from}–${found.years.to}, not ${year}`] };
  }
  const item = found.subCriteria.find((s) => s.code === subCriterion);
  if (!item) return { ok: false, errors: [`subCriterion: ${catalogue} has no sub-criterion "${subCriterion}"`] };
  if (item.kind !== 'manual') {
    return { ok: false, errors: [`subCriterion: ${subCriterion} of ${catalogue} is scored ${item.kind === 'imported' ? 'from an imported value' : 'from evidence'} (kind ${item.kind}), not from an attached document`] };
  }
  return { ok: true, catalogue: found, subCriterion: item };
}

/** Orders sub-criterion codes as numbers ("1.1.2" before "1.1.10"). */
export function compareCodes(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0 && !Number.isNaN(d)) return d;
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return 0;
}
