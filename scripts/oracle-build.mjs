#!/usr/bin/env node
// Builds the oracle (oracle/, a Go program linking Argo CD v3.5.1) once per content of its sources:
// the binary is kept in the user's cache folder under a key made of go.mod, go.sum and every .go
// file, so that a second run of `npm run test:argo` (or CI on the same machine) does not build again.
// Prints the binary's path. Fails, naming what is missing, when Go is not installed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const oracleDir = path.join(root, 'oracle');

export function oracleKey() {
  const hash = createHash('sha256');
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.go$|^go\.(mod|sum)$/.test(entry.name)) files.push(full);
    }
  };
  walk(oracleDir);
  files.sort();
  for (const file of files) {
    hash.update(path.relative(oracleDir, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export function buildOracle({ quiet = false } = {}) {
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = path.join(cacheRoot, 'cdk8s-argocd', 'oracle', oracleKey());
  const binary = path.join(dir, 'oracle');
  if (fs.existsSync(binary)) return binary;
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
  } catch {
    throw new Error('the oracle needs Go (1.26 or later) on PATH: `go version` failed; install Go, or run `npm test`, which needs only Node');
  }
  if (!quiet) process.stderr.write(`building the oracle (Argo CD v3.5.1 as a Go module) into ${dir}\n`);
  fs.mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  execFileSync('go', ['build', '-trimpath', '-o', partial, '.'], {
    cwd: oracleDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  fs.renameSync(partial, binary);
  return binary;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    process.stdout.write(`${buildOracle()}\n`);
  } catch (e) {
    process.stderr.write(`oracle-build: ${e.message}\n`);
    process.exit(1);
  }
}
