import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the differential tests against the oracle need Go: `npm run test:argo`; the diff's local
    // rendering needs helm and kustomize, built with Go: `npm run test:render`
    exclude: ['test/argo/**', 'test/**/*.render.test.ts', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // a temporary directory per run, removed at the end (see there)
    globalSetup: ['test/support/global-setup.ts'],
    // modules the library requires when first used are TypeScript here (see there)
    setupFiles: ['test/support/require-typescript.ts'],
  },
});
