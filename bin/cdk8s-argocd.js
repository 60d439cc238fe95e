#!/usr/bin/env node
// Launches the cdk8s-argocd command line: the compiled build when present, else the TypeScript
// source through tsx, so that it works from a fresh clone without a build.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const compiled = path.join(root, 'build', 'lib', 'cli', 'main.js');
let entry = compiled;
if (!fs.existsSync(compiled)) {
  try {
    require('tsx/cjs');
  } catch (e) {
    process.stderr.write('cdk8s-argocd: no build found (build/lib/cli/main.js) and tsx is not installed; run `npm run build` or install tsx\n');
    process.exit(2);
  }
  entry = path.join(root, 'lib', 'cli', 'main.ts');
}
require(entry).main().catch((e) => {
  process.stderr.write(`cdk8s-argocd: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 2;
});
