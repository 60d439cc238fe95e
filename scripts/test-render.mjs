#!/usr/bin/env node
// `npm run test:render [-- vitest args...]`: builds helm and kustomize with Go (scripts/render-tools.mjs,
// once per version, kept in the cache folder), then runs the tests of the diff's local rendering
// (test/**/*.render.test.ts) with both on PATH and named by CDK8S_ARGOCD_HELM and
// CDK8S_ARGOCD_KUSTOMIZE.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRenderTools } from './render-tools.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
let tools;
try {
  tools = buildRenderTools();
} catch (e) {
  process.stderr.write(`test:render: ${e.message}\n`);
  process.exit(1);
}
const dirs = [...new Set(Object.values(tools).map((b) => path.dirname(b)))];
const env = {
  ...process.env,
  PATH: [...dirs, process.env.PATH ?? ''].join(path.delimiter),
  CDK8S_ARGOCD_HELM: tools.helm,
  CDK8S_ARGOCD_KUSTOMIZE: tools.kustomize,
};
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(process.execPath, [vitest, 'run', '-c', 'vitest.render.config.mts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
