/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Jest leaves a core free by default; many suites wait on CLI subprocesses, so both cores pay.
  maxWorkers: 2,
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking runs once, separately (tsc --noEmit in npm test); jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  globalSetup: '<rootDir>/__tests__/support/global-setup.js',
  globalTeardown: '<rootDir>/__tests__/support/global-teardown.js',
};
