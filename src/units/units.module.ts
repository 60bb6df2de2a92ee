import { Global, Module } from '@nestjs/common';
import { resolve } from 'node:path';
import { AppConfig } from '../platform/config/app-config';
import { APP_CONFIG } from '../platform/config/config.module';
import { UnitsController } from './units.controller';
import { RegionsCatalogue, loadRegions } from './regions.loader';
import { loadUnits, UnitsCatalogue } from './units.loader';

/**
 * Provides the provincial units catalogue (UnitsCatalogue) everywhere, loaded once at start from UNITS_DIR
 * (relative paths are resolved against the working directory). Bad data stops start-up.
 */
@Global()
@Module({
  controllers: [UnitsController],
  providers: [
    {
      provide: UnitsCatalogue,
      useFactory: (config: AppConfig): UnitsCatalogue => loadUnits(resolve(config.UNITS_DIR)),
      inject: [APP_CONFIG],
    },
    {
      provide: RegionsCatalogue,
      useFactory: (config: AppConfig, units: UnitsCatalogue): RegionsCatalogue =>
        loadRegions(resolve(config.UNITS_DIR), units.currentProvinces().map((p) => p.code)),
      inject: [APP_CONFIG, UnitsCatalogue],
    },
  ],
  exports: [UnitsCatalogue, RegionsCatalogue],
})
export class UnitsModule {}
