#!/usr/bin/env node
// Builds `helm` and `kustomize` with Go, at the versions Argo CD v3.5.1 bundles in its image
// (hack/tool-versions.sh there: helm 4.2.1, kustomize 5.8.1), once per version: each binary is kept
// in the user's cache folder under its name and version, so that a second run of
// `npm run test:render` (or CI on the same machine) builds nothing. Prints the binaries' folders.
// A cold build (module downloads from the Go module proxy and compilation) takes about two to three
// minutes on a 2-core machine; a warm one, none.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What is built: the binary's name, its Go package, and its module version. */
export const TOOLS = [
  { name: 'helm', pkg: 'helm.sh/helm/v4/cmd/helm', version: 'v4.2.1' },
  { name: 'kustomize', pkg: 'sigs.k8s.io/kustomize/kustomize/v5', version: 'v5.8.1' },
];

/** Builds what is missing; the path of each binary by name. */
export function buildRenderTools({ quiet = false } = {}) {
  const cacheRoot = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const out = {};
  for (const tool of TOOLS) {
    const dir = path.join(cacheRoot, 'cdk8s-argocd', 'tools', `${tool.name}-${tool.version}`);
    const binary = path.join(dir, tool.name);
    out[tool.name] = binary;
    if (fs.existsSync(binary)) continue;
    try {
      execFileSync('go', ['version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`building ${tool.name} needs Go (1.26 or later) on PATH: \`go version\` failed; install Go, or put ${tool.name} on PATH yourself`);
    }
    if (!quiet) process.stderr.write(`building ${tool.name} ${tool.version} (go install ${tool.pkg}@${tool.version}) into ${dir}\n`);
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const scratch = fs.mkdtempSync(`${dir}.partial-`);
    try {
      // outside any module, so that the version asked for is the one built
      execFileSync('go', ['install', '-trimpath', `${tool.pkg}@${tool.version}`], {
        cwd: scratch,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, GOBIN: scratch, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' },
      });
      fs.mkdirSync(dir, { recursive: true });
      // renamed into place only when built: a build that is cut short leaves no binary behind
      fs.renameSync(path.join(scratch, tool.name), binary);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    for (const [name, binary] of Object.entries(buildRenderTools())) process.stdout.write(`${name} ${binary}\n`);
  } catch (e) {
    process.stderr.write(`render-tools: ${e.message}\n`);
    process.exit(1);
  }
}
