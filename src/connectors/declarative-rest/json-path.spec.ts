import { isMultiValuedPath, jsonPath, jsonPathError, jsonPathOne, parseJsonPath } from './json-path';

describe('jsonPath subset', () => {
  const doc = {
    status: 'success',
    data: {
      maDonVi: '000.00.00.H44',
      'so lieu': { 'tong so': 5, "it's": 1 },
      donVi: [{ maDonVi: 'a', n: 0 }, { maDonVi: 'b', n: null }, { maDonVi: 'c' }],
    },
    items: [[1, 2], [3]],
  };

  it('reads the root, keys, quoted keys, indexes and wildcards', () => {
    expect(jsonPath(doc, '$')).toEqual([doc]);
    expect(jsonPath(doc, '$.status')).toEqual(['success']);
    expect(jsonPath(doc, "$.data['so lieu']['tong so']")).toEqual([5]);
    expect(jsonPath(doc, '$.data["so lieu"]["it\'s"]')).toEqual([1]);
    expect(jsonPath(doc, "$.data['so lieu']['it\\'s']")).toEqual([1]);
    expect(jsonPath(doc, '$.data.donVi[1].maDonVi')).toEqual(['b']);
    expect(jsonPath(doc, '$.data.donVi[*].maDonVi')).toEqual(['a', 'b', 'c']);
    expect(jsonPath(doc, '$.items[*][*]')).toEqual([1, 2, 3]);
    expect(jsonPath({ a: { x: 1, y: 2 } }, '$.a[*]')).toEqual([1, 2]);
  });

  it('keeps null matches and drops absent ones', () => {
    expect(jsonPath(doc, '$.data.donVi[*].n')).toEqual([0, null]);
    expect(jsonPath(doc, '$.nothing.here')).toEqual([]);
    expect(jsonPath(doc, '$.data.donVi[9]')).toEqual([]);
    expect(jsonPath(doc, '$.status.length')).toEqual([]);
    expect(jsonPath(undefined, '$')).toEqual([]);
    expect(jsonPath('text', '$.a')).toEqual([]);
  });

  it('does not index arrays by key nor objects by index', () => {
    expect(jsonPath({ a: [1, 2] }, '$.a.length')).toEqual([]);
    expect(jsonPath({ a: { 0: 'x' } }, '$.a[0]')).toEqual([]);
  });

  it('never reads inherited properties', () => {
    expect(jsonPath({}, '$.constructor')).toEqual([]);
    expect(jsonPath({}, '$.__proto__')).toEqual([]);
    expect(jsonPath({}, "$['toString']")).toEqual([]);
  });

  it('jsonPathOne returns the first match or undefined', () => {
    expect(jsonPathOne(doc, '$.data.donVi[*].maDonVi')).toBe('a');
    expect(jsonPathOne(doc, '$.missing')).toBeUndefined();
    expect(jsonPathOne({ a: null }, '$.a')).toBeNull();
  });

  it.each([
    ['data.x', 'must start with $'],
    ['$..x', 'recursive descent'],
    ['$.*', '.* is not supported'],
    ['$.a[?(@.x.constructor)]', 'must not use the field "constructor"'],
    ["$.a[?(@.x == require('fs'))]", 'not allowed'],
    ['$.a[?(@.x = 1)]', 'not allowed'],
    ['$.a[?(1 == 1)]', 'must test a field'],
    ['$.a[?((@.x == 1)]', 'unmatched ('],
    ['$.a[?@.x]', 'a filter is written'],
    ['$.a[(@.length-1)]', 'no filters, scripts'],
    ['$.a[-1]', 'negative'],
    ['$.a[0:2]', 'only [n]'],
    ['$.a[0,1]', 'only [n]'],
    ["$.a['x'", 'expected ]'],
    ["$.a['x", 'unterminated'],
    ['$.a.', 'expected a key name'],
    ['$.1a', 'expected a key name'],
    ['$a', 'unexpected "a"'],
    ['$.a[01]', 'leading zeros'],
    ['$.a[*', 'expected ] after *'],
    ["$['a\\n']", 'unsupported escape'],
  ])('rejects %s', (path, reason) => {
    expect(jsonPathError(path)).toContain(reason);
    expect(() => jsonPath({}, path)).toThrow(/invalid JSON path/);
  });

  it('accepts the supported forms and reports multi-valued paths', () => {
    for (const p of ['$', '$.a', '$.a_b-c.$d', '$.vănBản', "$['a b'][0][*]", '$.a[10]']) expect(jsonPathError(p)).toBeNull();
    expect(parseJsonPath("$.a['b'][2][*]")).toEqual({
      ok: true,
      segments: [{ kind: 'key', key: 'a' }, { kind: 'key', key: 'b' }, { kind: 'index', index: 2 }, { kind: 'wildcard' }],
    });
    expect(isMultiValuedPath('$.a[*].b')).toBe(true);
    expect(isMultiValuedPath('$.a[0].b')).toBe(false);
  });

  describe('filters (jsonpath-plus, safe mode)', () => {
    const body = {
      data: [
        { type: 'x', value: 12 },
        { type: 'y', value: '0' },
        { type: 'x', value: 5, ok: true },
        { type: 'z', nested: { code: 'A' }, value: 7 },
      ],
    };

    it('selects the elements whose fields match', () => {
      expect(jsonPath(body, "$.data[?(@.type=='x')].value")).toEqual([12, 5]);
      expect(jsonPathOne(body, "$.data[?(@.type=='y')].value")).toBe('0');
      expect(jsonPath(body, '$.data[?(@.value > 6 && @.type != "x")].type')).toEqual(['z']);
      expect(jsonPath(body, "$.data[?(@.nested.code === 'A')].value")).toEqual([7]);
      expect(jsonPath(body, '$.data[?(@.ok)].value')).toEqual([5]);
      expect(jsonPath(body, "$.data[?(@.type=='none')].value")).toEqual([]);
      expect(jsonPath('text', "$.data[?(@.type=='x')]")).toEqual([]);
    });

    it('never evaluates code: a filter that tries is refused when the path is read', () => {
      for (const attack of [
        "$.data[?(@.type.constructor.constructor('return process')())]",
        "$.data[?(@.__proto__)]",
        '$.data[?(this.process)]',
        "$.data[?(@.type == 'x'; process.exit(1))]",
      ]) {
        expect(jsonPathError(attack)).not.toBeNull();
        expect(() => jsonPath(body, attack)).toThrow(/invalid JSON path/);
      }
    });
  });
});
