import { defineConfig } from 'vitest/config';

// `npm run test:argo`: the differential tests against the oracle (Argo CD's own code, oracle/).
// Plain `npm test` leaves them out (see vitest.config.mts) and needs no Go.
export default defineConfig({
  test: {
    include: ['test/argo/**/*.argo.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts', 'test/argo/support/global-setup.ts'],
    // modules the library requires when first used are TypeScript here (see there)
    setupFiles: ['test/support/require-typescript.ts'],
  },
});
