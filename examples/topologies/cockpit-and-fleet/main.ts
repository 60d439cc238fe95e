// Writes examples/topologies/cockpit-and-fleet/dist: the cockpit's directory and one per fleet
// cluster's Argo CD (`npx tsx examples/topologies/cockpit-and-fleet/main.ts`). The output is
// committed; a test checks it is exactly what this code produces.
import * as path from 'path';
import { buildCockpitAndFleet } from './topology';

buildCockpitAndFleet(path.join(__dirname, 'dist')).synth();
