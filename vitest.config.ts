import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Creates the sandbox CA and exports NODE_EXTRA_CA_CERTS before workers fork (see file).
    globalSetup: ['tests/support/sandbox-ca.global-setup.ts'],
  },
});
