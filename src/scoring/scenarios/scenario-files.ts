import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

/** A scenario kept as versioned configuration (config/scenarios/*.yaml), run on request, never applied by itself. */
export const scenarioFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'id may hold lower-case letters, digits and -'),
    version: z.string().min(1),
    title: z.string().min(1),
    baselineCatalogue: z.string().regex(/@/, 'write id@version'),
    scenarioCatalogue: z.string().regex(/@/, 'write id@version').optional(),
    weights: z
      .array(
        z
          .object({
            label: z.string().optional(),
            provinces: z.array(z.string().regex(/^\d{2}$/, 'a two-digit province code')).min(1),
            multipliers: z.record(z.number().positive().max(10)),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;

export const scenarioKey = (s: Pick<ScenarioFile, 'id' | 'version'>): string => `${s.id}@${s.version}`;

/** Loads every scenario file; a bad file stops start-up with the file and the field named. */
export function loadScenarioFiles(dir: string): ScenarioFile[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const file = join(dir, name);
    const result = scenarioFileSchema.safeParse(parse(readFileSync(file, 'utf8')));
    if (!result.success) {
      throw new Error(`invalid scenario ${file}:\n${result.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`);
    }
    return result.data;
  });
}
