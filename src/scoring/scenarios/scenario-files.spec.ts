import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadScenarioFiles, scenarioKey } from './scenario-files';

describe('scenario files', () => {
  it('loads the shipped scenarios', () => {
    const scenarios = loadScenarioFiles(resolve(__dirname, '../../../config/scenarios'));
    expect(scenarios.map(scenarioKey)).toContain('disadvantaged-provinces-2019@1');
  });

  it('names the file and the field of a bad scenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    writeFileSync(join(dir, 'bad.yaml'), 'id: Bad Id\nversion: "1"\ntitle: t\nbaselineCatalogue: x\nweights: [{ provinces: ["4"], multipliers: { "1.1": -2 } }]\n');
    expect(() => loadScenarioFiles(dir)).toThrow(/bad\.yaml[\s\S]*id: id may hold[\s\S]*baselineCatalogue: write id@version[\s\S]*weights\.0\.provinces\.0[\s\S]*weights\.0\.multipliers\.1\.1/);
  });
});
