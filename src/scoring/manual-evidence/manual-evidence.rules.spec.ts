import { ScoringCatalogue } from '../catalogue';
import {
  ALLOWED_CONTENT_TYPES,
  checkDocument,
  compareCodes,
  isAllowedContentType,
  normalizeContentType,
  resolveManualTarget,
} from './manual-evidence.rules';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0]);
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const catalogue = (over: Partial<ScoringCatalogue> = {}): ScoringCatalogue => ({
  id: 'par',
  framework: 'PAR_INDEX',
  version: '1',
  status: 'draft',
  title: 'PAR',
  years: { from: 2025, to: 2026 },
  subCriteria: [
    { code: '1.1.1', title: 'plan issued', maxPoints: 1, kind: 'manual', manual: true, document: 'the issued plan' },
    { code: '6.1', title: 'on time', maxPoints: 2, kind: 'rule', rule: { type: 'linear', metric: 'dossier.on_time_rate' } as never },
    { code: '9.1', title: 'SIPAS', maxPoints: 2, kind: 'imported', importKey: 'sipas', rule: { type: 'linear', metric: 'imported.sipas' } as never },
  ],
  ...over,
});

describe('manual evidence: content types', () => {
  it('normalizes declared types (case, parameters, aliases)', () => {
    expect(normalizeContentType('Text/Plain; charset=UTF-8')).toBe('text/plain');
    expect(normalizeContentType('image/jpg')).toBe('image/jpeg');
    expect(normalizeContentType(undefined)).toBe('');
  });

  it('allows PDF, PNG, JPEG, DOCX, XLSX, ODT, ZIP (archives inspected before storing) and plain text only', () => {
    const ODT = 'application/vnd.oasis.opendocument.text';
    expect(Object.keys(ALLOWED_CONTENT_TYPES).sort()).toEqual(['application/pdf', DOCX, XLSX, ODT, 'application/zip', 'image/jpeg', 'image/png', 'text/plain'].sort());
    for (const t of ['application/pdf', 'image/png', 'image/jpeg', DOCX, XLSX, 'text/plain', 'APPLICATION/PDF']) expect(isAllowedContentType(t)).toBe(true);
    for (const t of ['text/html', 'image/svg+xml', 'application/octet-stream', 'application/x-msdownload', 'application/msword', '', null]) {
      expect(isAllowedContentType(t)).toBe(false);
    }
  });

  it('accepts allowed documents whose bytes match the declared type', () => {
    expect(checkDocument('application/pdf', PDF)).toEqual({ ok: true, contentType: 'application/pdf' });
    expect(checkDocument('image/png', PNG)).toEqual({ ok: true, contentType: 'image/png' });
    expect(checkDocument('image/jpg', JPEG)).toEqual({ ok: true, contentType: 'image/jpeg' });
    expect(checkDocument(DOCX, ZIP)).toEqual({ ok: true, contentType: DOCX });
    expect(checkDocument(XLSX, ZIP)).toEqual({ ok: true, contentType: XLSX });
    expect(checkDocument('text/plain; charset=utf-8', Buffer.from('Kế hoạch CCHC năm 2025'))).toEqual({ ok: true, contentType: 'text/plain' });
  });

  it('refuses other types, empty files and bytes that are not what they claim', () => {
    expect(checkDocument('text/html', Buffer.from('<script>alert(1)</script>'))).toMatchObject({ ok: false, reason: 'unsupported', message: expect.stringMatching(/^file: content type "text\/html" is not accepted; accepted: application\/pdf/) });
    expect(checkDocument(undefined, PDF)).toMatchObject({ ok: false, reason: 'unsupported', message: expect.stringContaining('"none"') });
    expect(checkDocument('application/pdf', Buffer.alloc(0))).toMatchObject({ ok: false, reason: 'empty' });
    expect(checkDocument('application/pdf', Buffer.from('<html></html>'))).toMatchObject({ ok: false, reason: 'mismatch', message: 'file: the content is not a PDF (declared application/pdf)' });
    expect(checkDocument('image/png', JPEG)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(checkDocument(DOCX, PDF)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(checkDocument('text/plain', Buffer.from([0x41, 0x00, 0x42]))).toMatchObject({ ok: false, reason: 'mismatch' });
  });
});

describe('manual evidence: the sub-criterion a document is attached to', () => {
  const catalogues = [catalogue(), catalogue({ id: 'old', version: '0', years: { from: 2020, to: 2021 } })];

  it('resolves a manual sub-criterion of a catalogue version covering the year', () => {
    const target = resolveManualTarget(catalogues, 'par@1', '1.1.1', 2025);
    expect(target).toMatchObject({ ok: true, catalogue: { id: 'par' }, subCriterion: { code: '1.1.1', document: 'the issued plan' } });
  });

  it('refuses automatic and imported sub-criteria', () => {
    expect(resolveManualTarget(catalogues, 'par@1', '6.1', 2025)).toEqual({ ok: false, errors: [expect.stringMatching(/^subCriterion: 6\.1 of par@1 is scored from evidence \(kind rule\)/)] });
    expect(resolveManualTarget(catalogues, 'par@1', '9.1', 2025)).toEqual({ ok: false, errors: [expect.stringMatching(/^subCriterion: 9\.1 of par@1 is scored from an imported value \(kind imported\)/)] });
  });

  it('refuses unknown catalogue versions, years outside the catalogue and unknown sub-criteria, naming the field', () => {
    expect(resolveManualTarget(catalogues, 'par@2', '1.1.1', 2025)).toEqual({ ok: false, errors: ['catalogue: no catalogue version "par@2"; for 2025: par@1'] });
    expect(resolveManualTarget(catalogues, 'old@0', '1.1.1', 2025)).toEqual({ ok: false, errors: ['catalogue: old@0 covers 2020–2021, not 2025'] });
    expect(resolveManualTarget(catalogues, 'par@1', '1.1.1', 2027)).toEqual({ ok: false, errors: ['catalogue: par@1 covers 2025–2026, not 2027'] });
    expect(resolveManualTarget(catalogues, 'par@1', '1.1.9', 2025)).toEqual({ ok: false, errors: ['subCriterion: par@1 has no sub-criterion "1.1.9"'] });
  });

  it('orders sub-criterion codes numerically', () => {
    expect(['1.1.10', '1.1.2', '1.2', '1.1', '10.1', '2.1'].sort(compareCodes)).toEqual(['1.1', '1.1.2', '1.1.10', '1.2', '2.1', '10.1']);
  });
});
