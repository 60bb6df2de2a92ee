import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * A simulator stands for the other side of a contract: it must not share code with the service (parsers,
 * paging, mapping, types), or a misreading of the contract would be shared by both sides.
 */
const ROOT = __dirname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

describe('simulators are independent of the service', () => {
  it('no simulator file (code or spec) imports anything from src/', () => {
    const files = sources(ROOT);
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)]
        .map((m) => m[1])
        .filter((spec) => spec.startsWith('.') && !join(file, '..', spec).startsWith(ROOT))
        .map((spec) => `${relative(ROOT, file)} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
