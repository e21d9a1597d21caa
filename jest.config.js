/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type-checking runs once, separately (tsc --noEmit in npm test); jest only transpiles.
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
};
