import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { InjectPool } from '../../platform/database/database.module';
import { UnitsCatalogue } from '../../units/units.loader';
import { ScoringCatalogue, coversYear, scoreCatalogue } from '../catalogue';
import { SCORING_CATALOGUES, catalogueKey } from '../scoring-catalogues.provider';
import { loadScoringInputs } from '../scoring.service';
import { ScenarioFile, scenarioKey } from './scenario-files';
import { ScenarioWeight, runScenario } from './what-if';

export const SCENARIO_FILES = Symbol('SCENARIO_FILES');

export interface ScenarioRequest {
  year: number;
  /** a scenario of config/scenarios (id@version); its catalogues and weights are used */
  scenario?: string;
  /** the official catalogue version whose stored scores are the baseline */
  baselineCatalogue?: string;
  /** the catalogue version to score under (a draft, or the baseline itself); default: the baseline */
  scenarioCatalogue?: string;
  weights?: ScenarioWeight[];
}

/** Runs a what-if scenario over every province with evidence for the year; stores nothing. */
@Injectable()
export class ScenariosService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(SCORING_CATALOGUES) private readonly catalogues: ScoringCatalogue[],
    private readonly units: UnitsCatalogue,
    @Inject(SCENARIO_FILES) private readonly files: ScenarioFile[],
  ) {}

  list() {
    return this.files.map((f) => ({ key: scenarioKey(f), ...f }));
  }

  async evaluate(request: ScenarioRequest) {
    let req = request;
    if (req.scenario !== undefined) {
      const file = this.files.find((f) => scenarioKey(f) === req.scenario);
      if (!file) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`scenario: no scenario ${req.scenario} (known: ${this.files.map(scenarioKey).join(', ') || 'none'})`] });
      req = { year: req.year, baselineCatalogue: file.baselineCatalogue, scenarioCatalogue: file.scenarioCatalogue, weights: file.weights };
    }
    if (!req.baselineCatalogue) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['baselineCatalogue: required unless a scenario is named'] });
    const baseline = this.find(req.baselineCatalogue, req.year, 'baselineCatalogue');
    const scenario = this.find(req.scenarioCatalogue ?? req.baselineCatalogue, req.year, 'scenarioCatalogue');
    const weights = req.weights ?? [];
    const codes = new Set(scenario.subCriteria.map((s) => s.code));
    const errors: string[] = [];
    weights.forEach((w, i) => {
      for (const p of w.provinces) if (!this.units.isCurrentProvince(p)) errors.push(`weights[${i}].provinces: ${p} is not a province in force`);
      for (const [code, m] of Object.entries(w.multipliers)) {
        if (!codes.has(code)) errors.push(`weights[${i}].multipliers.${code}: not a sub-criterion of ${catalogueKey(scenario)}`);
        if (typeof m !== 'number' || !(m > 0 && m <= 10)) errors.push(`weights[${i}].multipliers.${code}: must be a number in (0, 10]`);
      }
    });
    if (errors.length > 0) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: errors });

    const { rows: provinces } = await this.pool.query(`SELECT DISTINCT province_code FROM evidence_record WHERE year = $1 ORDER BY 1`, [req.year]);
    const { rows: official } = await this.pool.query(
      `WITH latest AS (SELECT DISTINCT ON (province_code, sub_criterion) province_code, status, points FROM score
                        WHERE year = $1 AND period_key = $1::text AND catalogue_version = $2 ORDER BY province_code, sub_criterion, version DESC)
       SELECT province_code, coalesce(sum(points) FILTER (WHERE status = 'scored'), 0) AS points FROM latest GROUP BY province_code`,
      [req.year, catalogueKey(baseline)],
    );
    const officialOf = new Map(official.map((r) => [r.province_code as string, Number(r.points)]));
    const input = [];
    for (const { province_code: provinceCode } of provinces) {
      const { inputs } = await loadScoringInputs(this.pool, provinceCode, req.year);
      const items = scoreCatalogue(scenario, inputs).map((s) => ({ subCriterion: s.subCriterion, status: s.status, points: s.points, maxPoints: s.maxPoints }));
      input.push({ provinceCode, officialPoints: officialOf.get(provinceCode) ?? null, items });
    }
    return {
      year: req.year,
      scenario: request.scenario ?? null,
      baselineCatalogue: catalogueKey(baseline),
      scenarioCatalogue: catalogueKey(scenario),
      weights,
      note: 'A scenario is computed on request and never stored; official scores are unchanged.',
      rows: runScenario(input, weights),
    };
  }

  private find(key: string, year: number, field: string): ScoringCatalogue {
    const found = this.catalogues.find((c) => catalogueKey(c) === key);
    if (!found) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`${field}: no catalogue ${key} (known: ${this.catalogues.map(catalogueKey).join(', ')})`] });
    if (!coversYear(found, year)) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`${field}: ${key} does not cover ${year}`] });
    return found;
  }
}
