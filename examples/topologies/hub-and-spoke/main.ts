// Writes examples/topologies/hub-and-spoke/dist (`npx tsx examples/topologies/hub-and-spoke/main.ts`).
// The output is committed; a test checks it is exactly what this code produces.
import * as path from 'path';
import { buildHubAndSpoke } from './topology';

buildHubAndSpoke(path.join(__dirname, 'dist')).synth();
