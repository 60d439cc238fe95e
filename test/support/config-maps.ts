import { ApiObject, Chart } from 'cdk8s';
import { ArgoCdApp, ArgoCdAppProps } from '../../lib';

/** An app of `n` ConfigMaps in three charts (directories), with strings YAML must quote. */
export function configMaps(outdir: string | undefined, n: number, props: ArgoCdAppProps = {}): ArgoCdApp {
  const app = new ArgoCdApp({ ...props, outdir });
  for (let c = 0; c < 3; c++) {
    const chart = new Chart(app, `chart${c}`);
    for (let i = 0; i < n / 3; i++) {
      new ApiObject(chart, `cm${i}`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${i}`, namespace: `ns-${i % 4}` },
        data: { yes: 'yes', n: '0x10', text: 'line one\nline two  \n', empty: '', unicode: 'é ✓' },
      } as any);
    }
  }
  return app;
}
