// Types of scripts/oracle-build.mjs, for the TypeScript that imports it (test/argo/support/global-setup.ts).
export function oracleKey(): string;
export function buildOracle(options?: { quiet?: boolean }): string;
