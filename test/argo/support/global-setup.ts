// Builds the oracle once per `npm run test:argo` (scripts/test-argo.mjs has usually done it already
// and passed its path in CDK8S_ARGOCD_ORACLE) and checks that it answers.
import { spawnSync } from 'child_process';
// eslint-disable-next-line import/no-extraneous-dependencies
// @ts-ignore -- an untyped ES module script, which vitest loads as it is
import { buildOracle } from '../../../scripts/oracle-build.mjs';

export default function setup(): void {
  const binary = process.env.CDK8S_ARGOCD_ORACLE ?? buildOracle();
  process.env.CDK8S_ARGOCD_ORACLE = binary;
  const ping = spawnSync(binary, [], { input: '{"id":0,"op":"ping"}\n', encoding: 'utf-8' });
  if (ping.status !== 0 || !ping.stdout.includes('"ok":true')) {
    throw new Error(`the oracle at ${binary} does not answer: ${ping.stderr || ping.stdout}`);
  }
}
