// Builds the oracle once per `npm run test:argo` (scripts/test-argo.mjs has usually done it already
// and passed its path in CDK8S_ARGOCD_ORACLE) and checks that it answers.
import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';

export default function setup(): void {
  const binary = process.env.CDK8S_ARGOCD_ORACLE
    ?? execFileSync(process.execPath, [path.join(__dirname, '..', '..', '..', 'scripts', 'oracle-build.mjs')], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  process.env.CDK8S_ARGOCD_ORACLE = binary;
  const ping = spawnSync(binary, [], { input: '{"id":0,"op":"ping"}\n', encoding: 'utf-8' });
  if (ping.status !== 0 || !ping.stdout.includes('"ok":true')) {
    throw new Error(`the oracle at ${binary} does not answer: ${ping.stderr || ping.stdout}`);
  }
}
