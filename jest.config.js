/**
 * Jest runs TypeScript through ts-jest; servers come from .tools/bin (see test/harness).
 * Two projects: `fast` (workflows on the time-skipping server, units, the CLI end to end) for everyday
 * work (`make test-fast`), and `slow` (faults, restarts, long cases, the bench harness). `make test` runs both.
 */
// Folders, or single files (10,000 case starts for the intake's memory test).
const SLOW = ['<rootDir>/test/reliability/', '<rootDir>/test/bench/', '<rootDir>/test/demo/', '<rootDir>/test/intake/streaming.test.ts'];
const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

module.exports = {
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  testTimeout: 120_000,
  // Each file starts its own Temporal server processes; two at a time fits a 2-core machine.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'fast', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: SLOW },
    { ...common, displayName: 'slow', testMatch: SLOW.map((p) => (p.endsWith('.ts') ? p : `${p}**/*.test.ts`)) },
  ],
};
