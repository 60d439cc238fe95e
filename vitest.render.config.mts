import { defineConfig } from 'vitest/config';

// `npm run test:render`: the diff's local rendering with the real `helm` and `kustomize`, which
// scripts/test-render.mjs builds with Go (once per version) and puts on PATH. Plain `npm test` leaves
// these tests out (see vitest.config.mts) and needs no Go.
export default defineConfig({
  test: {
    include: ['test/**/*.render.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    // modules the library requires when first used are TypeScript here (see there)
    setupFiles: ['test/support/require-typescript.ts'],
  },
});
