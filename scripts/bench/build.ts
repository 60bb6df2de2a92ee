import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Compiles src/ with the build config into a private directory (dist/ is left alone); null when it cannot. */
export function build(root: string, buildDir: string, say: (message: string) => void): { entry: string; sim: string; mode: string } | null {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const extra of [[], ['--noCheck']]) {
    try {
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', buildDir, '--sourceMap', 'false', ...extra], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const entry = join(buildDir, 'main.js');
      const sim = join(buildDir, 'simulators', 'main.js');
      if (existsSync(entry) && existsSync(sim)) return { entry, sim, mode: extra.length ? 'compiled (tsc --noCheck)' : 'compiled (tsc)' };
    } catch (error) {
      const out = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
      say(`build${extra.length ? ' --noCheck' : ''} failed: ${out.split('\n').slice(0, 5).join(' | ')}`);
    }
  }
  return null;
}

