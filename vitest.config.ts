import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` is `npm test` (the README's test command, minutes on 2 cores); `integration`
 * (files named *.integration.test.ts: whole suites, real processes and signals) is `npm run test:integration`, which CI runs too.
 */
export default defineConfig({
  test: {
    setupFiles: ['tests/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: ['tests/**/*.integration.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['tests/**/*.integration.test.ts'], testTimeout: 180_000 } },
    ],
  },
});
