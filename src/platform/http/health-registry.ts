import { Global, Injectable, Module } from '@nestjs/common';

/** What a domain adds to /health/ready: details shown under its name; `degraded` is reported but stays 200. */
export interface HealthContribution {
  status: 'ok' | 'degraded';
  [detail: string]: unknown;
}

/** Domains register checks here; the readiness route runs them (platform code knows no domain). */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, () => Promise<HealthContribution>>();

  register(name: string, check: () => Promise<HealthContribution>): void {
    this.checks.set(name, check);
  }

  entries(): Array<[string, () => Promise<HealthContribution>]> {
    return [...this.checks];
  }
}

@Global()
@Module({ providers: [HealthRegistry], exports: [HealthRegistry] })
export class HealthRegistryModule {}
