#!/usr/bin/env node
// Launches the cdk8s-argocd command line. In a checkout of this repository (the TypeScript source is
// there) it runs the source through tsx, so a stale build can never answer; in the published package
// (only the compiled build is shipped) it runs the build.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'lib', 'cli', 'main.ts');
const compiled = path.join(root, 'build', 'lib', 'cli', 'main.js');
let entry = compiled;
if (fs.existsSync(source)) {
  try {
    require('tsx/cjs');
    entry = source;
  } catch (e) {
    if (!fs.existsSync(compiled)) {
      process.stderr.write('cdk8s-argocd: tsx is not installed and there is no build (build/lib/cli/main.js); run `npm ci` or `npm run build`\n');
      process.exit(2);
    }
  }
}
require(entry).main().catch((e) => {
  process.stderr.write(`cdk8s-argocd: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 2;
});
