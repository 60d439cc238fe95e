// Writes examples/topologies/instance-per-group/dist, one directory per group's Argo CD
// (`npx tsx examples/topologies/instance-per-group/main.ts`). The output is committed; a test
// checks it is exactly what this code produces.
import * as path from 'path';
import { buildInstancePerGroup } from './topology';

buildInstancePerGroup(path.join(__dirname, 'dist')).synth();
