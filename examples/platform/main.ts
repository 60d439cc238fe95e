// Writes the flagship repository to examples/platform/dist (`npx cdk8s synth` from the repository
// root, or `npx tsx examples/platform/main.ts`). The output is committed; CI checks that it is
// exactly what this code produces (`npx cdk8s-argocd check`).
import * as path from 'path';
import { buildPlatform } from './platform';

buildPlatform(path.join(__dirname, 'dist')).synth();
