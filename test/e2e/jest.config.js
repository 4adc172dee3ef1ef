/** End-to-end tests (`npm run test:e2e`, which builds first): a real gateway and headless Chromium; run one file at a time. */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  maxWorkers: 1,
  testTimeout: 120000,
};
