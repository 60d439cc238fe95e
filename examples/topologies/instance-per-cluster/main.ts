// Writes examples/topologies/instance-per-cluster/dist, one directory per cluster's Argo CD
// (`npx tsx examples/topologies/instance-per-cluster/main.ts`). The output is committed; a test
// checks it is exactly what this code produces.
import * as path from 'path';
import { buildInstancePerCluster } from './topology';

buildInstancePerCluster(path.join(__dirname, 'dist')).synth();
