/** Jest runs TypeScript through ts-jest; servers come from .tools/bin (see test/harness). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  testTimeout: 120_000,
  // Each file starts its own Temporal server processes; two at a time fits a 2-core machine.
  maxWorkers: 2,
};
