// Runs once per `npm test`, before the test files: the run gets a temporary directory of its own
// (TMPDIR, which os.tmpdir() reads, and which the test processes and the apps they start inherit),
// removed with everything in it when the run ends. cdk8s' `Testing.app()` makes a directory in the
// temporary directory for every app and never removes it; without this, each run left hundreds of
// empty `cdk8s.outdir.*` directories behind.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export default function setup(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-argocd-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
