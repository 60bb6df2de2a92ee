import { TransparencyLog1766600000000 } from '../platform/database/migrations/1766600000000-transparency-log';
import { TABLE_LEAF_TYPES, encodeLeaf, factOf } from './leaf-types';
import { leafHash } from './verifier/ledger-verifier';

/** The capture triggers as the migration creates them: table, kind, key and fields per table. */
async function migrationTriggers(): Promise<Array<{ table: string; args: string[] }>> {
  const statements: string[] = [];
  await new TransparencyLog1766600000000().up({ query: async (sql: string) => void statements.push(sql) } as never);
  return statements
    .map((sql) => /CREATE TRIGGER (\w+)_ledger AFTER INSERT ON (\w+)[\s\S]*ledger_capture\('([^']+)', '([^']+)', '((?:[^']|'')+)'\)/.exec(sql))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ table: m[2], args: [m[3], m[4], m[5].replace(/''/g, "'")] }));
}

describe('leaf types', () => {
  it('match the capture triggers of the migration (kind, key, captured fields)', async () => {
    const triggers = await migrationTriggers();
    expect(triggers.map((t) => t.table).sort()).toEqual(TABLE_LEAF_TYPES.map((t) => t.table).sort());
    for (const t of TABLE_LEAF_TYPES) {
      expect(triggers.find((x) => x.table === t.table)?.args).toEqual([t.kind, `t.${t.keyColumn}::text`, t.captureSql]);
    }
  });

  it('encode a fact as RFC 8785 canonical JSON of its documented fields only', () => {
    const { leaf, hash } = encodeLeaf('score', 1, { points: '1.50', id: '7', unknown_column: 'x', province_code: '79' });
    expect(leaf.startsWith('{"fact":{"catalogue_version":null,')).toBe(true);
    expect(leaf).not.toContain('unknown_column');
    expect(leaf).toContain('"points":"1.50"');
    expect(leaf.endsWith('"kind":"score","v":1}')).toBe(true);
    expect(hash.equals(leafHash(Buffer.from(leaf)))).toBe(true);
  });

  it('keep appended facts as given, and refuse unknown versions', () => {
    expect(factOf('publication', 1, { b: 1, a: [2] })).toEqual({ b: 1, a: [2] });
    expect(encodeLeaf('publication', 1, { b: 1, a: 'é' }).leaf).toBe('{"fact":{"a":"é","b":1},"kind":"publication","v":1}');
    expect(() => factOf('score', 9, {})).toThrow(/no version 9/);
  });
});
