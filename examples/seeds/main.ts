// Synthesizes the reproduced seed manifests into examples/seeds/dist, one directory per seed.
import * as path from 'path';
import { Chart } from 'cdk8s';
import { ArgoCdApp, OutputDirectory } from '../../lib';
import { APPLICATION_SET_SEEDS } from './application-sets';
import { SEEDS } from './seeds';

const app = new ArgoCdApp({ outdir: path.join(__dirname, 'dist') });
for (const [file, build] of Object.entries({ ...SEEDS, ...APPLICATION_SET_SEEDS })) {
  const chart = new Chart(app, file.replace(/\.yaml$/, ''));
  OutputDirectory.set(chart, file.replace(/\.yaml$/, ''));
  build(chart);
}
app.synth();
