/**
 * Three tiers: unit specs beside the code (src/**\/*.spec.ts), the source simulators' own specs
 * (test/simulators/**\/*.spec.ts), integration and end-to-end specs in test/.
 */
const tsJest = ['ts-jest', { isolatedModules: true, diagnostics: false }];
const base = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
};
module.exports = {
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'unit', rootDir: 'src', testRegex: '.*\\.spec\\.ts$' },
    { ...base, displayName: 'simulators', rootDir: 'test/simulators', testRegex: '.*\\.spec\\.ts$' },
    {
      ...base,
      displayName: 'integration',
      rootDir: '.',
      testRegex: 'test/.*\\.(int|e2e)-spec\\.ts$',
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
