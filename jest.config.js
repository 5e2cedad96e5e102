'use strict';

// Unit tests need nothing running. Integration tests talk to the local stack
// (`npm run stack:up`); they share one Kafka broker, one registry and one
// database, so the whole suite runs in band.
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023' }, sourceMaps: 'inline' }],
};

module.exports = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.stack/'],
  setupFiles: ['<rootDir>/test/support/env.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 60_000,
};
