import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Compiles src/ and the simulators with their build configs into private directories (dist/ is left alone);
 * null when it cannot.
 */
export function build(root: string, buildDir: string, simBuildDir: string, say: (message: string) => void): { entry: string; sim: string; mode: string } | null {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const extra of [[], ['--noCheck']]) {
    try {
      for (const [config, outDir] of [
        ['tsconfig.build.json', buildDir],
        ['tsconfig.simulators.json', simBuildDir],
      ]) {
        execFileSync(process.execPath, [tsc, '-p', config, '--outDir', outDir, '--sourceMap', 'false', ...extra], {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      }
      const entry = join(buildDir, 'main.js');
      const sim = join(simBuildDir, 'test', 'simulators', 'main.js');
      if (existsSync(entry) && existsSync(sim)) return { entry, sim, mode: extra.length ? 'compiled (tsc --noCheck)' : 'compiled (tsc)' };
    } catch (error) {
      const out = (error as { stdout?: Buffer }).stdout?.toString() ?? String(error);
      say(`build${extra.length ? ' --noCheck' : ''} failed: ${out.split('\n').slice(0, 5).join(' | ')}`);
    }
  }
  return null;
}
