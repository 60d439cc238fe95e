#!/usr/bin/env node
// `npm run test:argo [-- --runs N] [-- --seed S] [vitest args...]`: builds the oracle, then runs the
// differential tests (test/argo/) that compare the library's answers with Argo CD's own code.
// --runs sets how many random cases each property test compares (default: each test's own count,
// chosen so that the whole run stays under 10 minutes on a 2-core machine); --seed fixes the seed.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { buildOracle } from './oracle-build.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const program = new Command('test:argo')
  .option('--runs <n>', 'random cases per property test', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--runs: expected a positive integer, got ${v}`);
    return n;
  })
  .option('--seed <n>', 'seed of every property test', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`--seed: expected an integer, got ${v}`);
    return n;
  })
  .allowUnknownOption(true)
  .allowExcessArguments(true)
  .parse(process.argv);
const opts = program.opts();

let binary;
try {
  binary = buildOracle();
} catch (e) {
  process.stderr.write(`test:argo: ${e.message}\n`);
  process.exit(1);
}
const env = { ...process.env, CDK8S_ARGOCD_ORACLE: binary };
if (opts.runs) env.ARGO_RUNS = String(opts.runs);
if (opts.seed !== undefined) env.ARGO_SEED = String(opts.seed);
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', '-c', 'vitest.argo.config.mts', ...program.args], {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
