import { contractDossier, contractProcedure, contractStamp, violations } from '../contracts/one-stop-shop.contract';
import { createDataset, formatCompact, parseCompact, RawDossier, SimDataset } from './dossier-generator';

const P = '44';

function small(overrides: Partial<Parameters<typeof createDataset>[0]> = {}): SimDataset {
  return createDataset({ seed: 42, provinces: [P, '01'], dossiersPerProvince: 3000, year: 2025, ...overrides });
}

/** NgayCapNhat as a compact stamp, whatever format the record uses. */
function stamp(raw: RawDossier): string {
  const parsed = contractStamp(raw.NgayCapNhat);
  if (parsed === null) throw new Error(`bad NgayCapNhat ${String(raw.NgayCapNhat)}`);
  return parsed;
}

function allRecords(ds: SimDataset, province = P): RawDossier[] {
  return ds.query(province, -Infinity, Infinity, 0, Number.MAX_SAFE_INTEGER).records;
}

describe('dossier dataset generator', () => {
  it('is deterministic: the same seed gives the same bytes, another seed other bytes', () => {
    const a = JSON.stringify(allRecords(small()));
    const b = JSON.stringify(allRecords(small()));
    const c = JSON.stringify(allRecords(small({ seed: 43 })));
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(JSON.stringify(small().listProcedures(P))).toEqual(JSON.stringify(small().listProcedures(P)));
  });

  it('builds a dossier on demand as a pure function of (seed, province, index, version)', () => {
    const ds = small();
    const again = small();
    // touch the other province first: must not change anything
    again.query('01', again.yearStart, again.yearEnd, 0, 10);
    for (const i of [0, 17, 1234, 2999]) expect(JSON.stringify(again.dossier(P, i))).toEqual(JSON.stringify(ds.dossier(P, i)));
    expect(JSON.stringify(ds.dossier('01', 5))).not.toEqual(JSON.stringify(ds.dossier(P, 5)));
  });

  it('orders the timeline by NgayCapNhat then MaHoSo, with many equal seconds', () => {
    const ds = small();
    const records = allRecords(ds);
    expect(records).toHaveLength(ds.timelineLength(P));
    let equalNeighbours = 0;
    let largestGroup = 1;
    let group = 1;
    for (let i = 1; i < records.length; i++) {
      const [pt, ct] = [stamp(records[i - 1]), stamp(records[i])];
      expect(pt <= ct).toBe(true);
      if (pt === ct) {
        equalNeighbours++;
        group++;
        largestGroup = Math.max(largestGroup, group);
        const [pi, ci] = [records[i - 1].MaHoSo, records[i].MaHoSo];
        if (typeof pi === 'string' && pi !== '' && typeof ci === 'string' && ci !== '') expect(pi < ci).toBe(true);
      } else group = 1;
    }
    expect(equalNeighbours).toBeGreaterThan(100);
    expect(largestGroup).toBeGreaterThanOrEqual(5);
    // everything inside the Vietnam-time year
    expect(stamp(records[0]) >= '20250101000000').toBe(true);
    expect(stamp(records[records.length - 1]) < '20260101000000').toBe(true);
  });

  it('filters a window [from, to) and pages it without gaps or overlaps', () => {
    const ds = small();
    const from = parseCompact('20250301000000')!;
    const to = parseCompact('20250401000000')!;
    const all = allRecords(ds).filter((r) => stamp(r) >= '20250301000000' && stamp(r) < '20250401000000');
    const first = ds.query(P, from, to, 0, 100);
    expect(first.total).toBe(all.length);
    const paged: RawDossier[] = [];
    for (let offset = 0; offset < first.total + 100; offset += 100) paged.push(...ds.query(P, from, to, offset, 100).records);
    expect(JSON.stringify(paged)).toEqual(JSON.stringify(all));
    // the window start is inclusive and the end exclusive, to the second
    const boundary = ds.timelineEntry(P, 500).updatedAt;
    const atBoundary = ds.query(P, boundary, boundary + 1, 0, 1000);
    expect(atBoundary.total).toBeGreaterThanOrEqual(1);
    for (const r of atBoundary.records) expect(stamp(r)).toBe(formatCompact(boundary));
    expect(ds.query(P, boundary, boundary, 0, 1000).total).toBe(0);
  });

  it('models re-sent dossiers: the same MaHoSo twice, the later version is the truth', () => {
    const ds = small();
    const byId = new Map<string, RawDossier[]>();
    for (const r of allRecords(ds)) {
      if (typeof r.MaHoSo !== 'string' || r.MaHoSo === '') continue;
      byId.set(r.MaHoSo, [...(byId.get(r.MaHoSo) ?? []), r]);
    }
    const twice = [...byId.values()].filter((v) => v.length === 2);
    expect(twice.length).toBe(ds.resentCount(P));
    expect(twice.length).toBeGreaterThan(100);
    const truth = new Map(ds.listDossiers(P).map((r) => [r.MaHoSo as string, r]));
    for (const [older, newer] of twice.slice(0, 50)) {
      expect(stamp(older) < stamp(newer)).toBe(true);
      expect(truth.get(newer.MaHoSo as string)).toEqual(newer);
      if (violations(contractDossier, older).length + violations(contractDossier, newer).length > 0) continue; // a malformed dossier is malformed in both versions
      expect([2, 4, 5]).toContain(Number(older.TrangThaiHoSo));
      expect(contractStamp(older.NgayKetThucXuLy)).toBeNull();
      expect(contractStamp(newer.NgayKetThucXuLy)).not.toBeNull();
      expect(contractStamp(newer.NgayTiepNhan)).toEqual(contractStamp(older.NgayTiepNhan));
    }
  });

  it('gives ground truth: one newest record per valid dossier, each conforming to the contract', () => {
    const ds = small({ malformedRate: 0.05 });
    const truth = ds.listDossiers(P);
    expect(truth).toHaveLength(ds.count(P));
    expect(ds.count(P) + ds.malformedCount(P)).toBe(3000);
    expect(new Set(truth.map((r) => r.MaHoSo)).size).toBe(truth.length);
    for (const r of truth) expect({ id: r.MaHoSo, problems: violations(contractDossier, r) }).toEqual({ id: r.MaHoSo, problems: [] });
  });

  it('produces malformed records only when asked, each failing the way it says', () => {
    expect(small().malformedCount(P)).toBe(0);
    const ds = small({ malformedRate: 0.05 });
    const malformed = ds.listMalformed(P);
    expect(malformed.length).toBe(ds.malformedCount(P));
    expect(new Set(malformed.map((m) => m.kind))).toEqual(new Set(['missing-id', 'impossible-date', 'unknown-channel']));
    const expected = { 'missing-id': 'MaHoSo', 'impossible-date': 'NgayTiepNhan', 'unknown-channel': 'KenhThucHien' } as const;
    for (const m of malformed) {
      const fields = violations(contractDossier, m.record).map((v) => v.split(':')[0]);
      expect(fields).toEqual([expected[m.kind]]);
    }
    // the rate only adds malformation: the other dossiers are byte for byte the same
    const clean = small();
    const bad = new Set(malformed.map((m) => m.record.NgayCapNhat as string));
    const cleanTruth = clean.listDossiers(P).filter((r) => !bad.has(r.NgayCapNhat as string));
    const dirtyTruth = new Set(ds.listDossiers(P).map((r) => JSON.stringify(r)));
    expect(cleanTruth.filter((r) => dirtyTruth.has(JSON.stringify(r))).length).toBe(cleanTruth.length);
  });

  it('exercises the wire quirks and a realistic mix of outcomes', () => {
    const ds = small();
    const records = allRecords(ds);
    const json = records.map((r) => JSON.stringify(r));
    expect(json.some((j) => /"KenhThucHien":"\d"/.test(j))).toBe(true);
    expect(json.some((j) => /"Gia":"\d+"/.test(j))).toBe(true);
    expect(json.some((j) => /"NgayCapNhat":"\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}"/.test(j))).toBe(true);
    expect(json.some((j) => j.includes('"NgayKetThucXuLy":""'))).toBe(true);
    expect(json.some((j) => j.includes('"NgayKetThucXuLy":null'))).toBe(true);
    expect(records.some((r) => !('NgayTra' in r))).toBe(true);
    expect(json.some((j) => j.includes('"DanhSachLePhi":""'))).toBe(true);
    for (const k of [1, 2, 3]) expect(records.some((r) => Number(r.KenhThucHien) === k)).toBe(true);

    const counts = { early: 0, onTime: 0, late: 0, unfinished: 0 };
    for (const raw of ds.listDossiers(P)) {
      const processed = contractStamp(raw.NgayKetThucXuLy);
      const due = contractStamp(raw.NgayHenTra);
      if (processed === null) counts.unfinished++;
      else if (due === null) continue;
      else if (processed < due) counts.early++;
      else if (processed === due) counts.onTime++;
      else counts.late++;
    }
    expect(counts.early).toBeGreaterThan(1000);
    expect(counts.onTime).toBeGreaterThan(5); // exactly on the due second: the "no later than" edge
    expect(counts.late).toBeGreaterThan(200);
    expect(counts.unfinished).toBeGreaterThan(200);
  });

  it('serves a procedures catalogue that conforms to the contract', () => {
    const ds = small({ proceduresPerProvince: 120 });
    const list = ds.listProcedures(P);
    expect(list).toHaveLength(120);
    expect(new Set(list.map((p) => p.MaTTHC)).size).toBe(120);
    for (const p of list) expect(violations(contractProcedure, p)).toEqual([]);
    expect(list.some((p) => p.MucDo === '4' || p.MucDo === '3' || p.MucDo === '2')).toBe(true);
    expect(ds.procedurePage(P, 2, 100).records).toHaveLength(20);
  });

  it('inserts new dossiers at a given second, after that second\'s others, and counts them in the truth', () => {
    const ds = small();
    const before = ds.count(P);
    const at = ds.timelineEntry(P, 1000).updatedAt;
    const sameSecond = ds.query(P, at, at + 1, 0, 1000).records.length;
    const ids = ds.insertDossiers(P, at, 4);
    expect(ids).toHaveLength(4);
    expect(ds.count(P)).toBe(before + 4);
    expect(ds.insertedCount(P)).toBe(4);
    const group = ds.query(P, at, at + 1, 0, 1000).records;
    expect(group).toHaveLength(sameSecond + 4);
    expect(group.slice(-4).map((r) => r.MaHoSo)).toEqual(ids);
    const truthIds = new Set(ds.listDossiers(P).map((r) => r.MaHoSo));
    for (const id of ids) expect(truthIds.has(id)).toBe(true);
    // a second batch at the same second goes after the first one
    const more = ds.insertDossiers(P, at, 2);
    expect(ds.query(P, at, at + 1, 0, 1000).records.slice(-6).map((r) => r.MaHoSo)).toEqual([...ids, ...more]);
  });

  it('scales to a million dossiers in one province and serves a 1000-record page (sanity, no timing assertion)', () => {
    const ds = createDataset({ seed: 'big', provinces: ['79'], dossiersPerProvince: 1_000_000, year: 2025, malformedRate: 0.002 });
    expect(ds.timelineLength('79')).toBeGreaterThan(1_000_000);
    const from = parseCompact('20250615000000')!;
    const page = ds.query('79', from, ds.yearEnd, 5000, 1000);
    expect(page.records).toHaveLength(1000);
    const body = JSON.stringify(page.records);
    expect(body.length).toBeGreaterThan(100_000);
    for (let i = 1; i < page.records.length; i++) expect(stamp(page.records[i - 1]) <= stamp(page.records[i])).toBe(true);
  });
});
