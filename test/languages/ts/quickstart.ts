// The README's first app, in TypeScript: the twin the Python, Java and Go apps are compared with.
import { Chart } from 'cdk8s';
import { AppProject, Application, ApplicationSource, ArgoCdApp, Destination } from '../../../lib';

const app = new ArgoCdApp({ outdir: process.env.OUTDIR ?? 'gitops' });
const chart = new Chart(app, 'apps');
new Application(chart, 'guestbook', {
  project: AppProject.fromProjectName(chart, 'default', 'default'),
  source: ApplicationSource.git({ repoUrl: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook' }),
  destination: Destination.inCluster('guestbook'),
});
app.synth();
