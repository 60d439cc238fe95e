// Structure the import recognizes in the input: App of Apps roots, Applications whose git source
// is a directory of the input that holds other Applications. Each is reported in the summary with
// whether it has the shape of a `GitOpsRepo` environment's root, and why it is written as plain
// Applications (the round trip needs every object exactly as it is).
import { InputObject } from './program';

const isObject = (v: unknown): v is { [k: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);
const IN_CLUSTER = 'https://kubernetes.default.svc';

/** One App of Apps root found in the input. */
export interface AppOfApps {
  /** `file#document` of the root. */
  readonly from: string;
  readonly name: string;
  /** The input directory it syncs. */
  readonly directory: string;
  /** How many Applications that directory holds (the root itself left out). */
  readonly children: number;
  /** Why it is not written as a GitOpsRepo environment. */
  readonly reason: string;
}

function directoryOf(file: string): string {
  return file === '-' || !file.includes('/') ? '.' : file.slice(0, file.lastIndexOf('/'));
}

function normalize(p: string): string {
  return p.replace(/^\.\//, '').replace(/\/+$/, '');
}

/** The App of Apps roots of the input, in input order. */
export function appOfAppsRoots(inputs: readonly InputObject[]): AppOfApps[] {
  const apps = inputs.filter((i) => i.manifest?.kind === 'Application' && String(i.manifest.apiVersion ?? '').startsWith('argoproj.io/'));
  const dirs = [...new Set(apps.map((i) => directoryOf(i.file)))].filter((d) => d !== '.');
  const out: AppOfApps[] = [];
  for (const root of apps) {
    const s = root.manifest.spec?.source;
    if (!isObject(s) || typeof s.path !== 'string' || s.chart !== undefined || root.manifest.spec?.sources !== undefined) continue;
    const path = normalize(s.path);
    // the input may be a folder inside the repository (an output directory): its directories end the source path
    const dir = dirs.filter((d) => path === d || path.endsWith(`/${d}`)).sort((a, b) => b.length - a.length)[0];
    if (dir === undefined) continue;
    const recurse = isObject(s.directory) && s.directory.recurse === true;
    const children = apps.filter((a) => a !== root && (directoryOf(a.file) === dir || (recurse && directoryOf(a.file).startsWith(`${dir}/`))));
    if (children.length === 0) continue;
    out.push({
      from: `${root.file}#${root.document}`,
      name: String(root.manifest.metadata?.name ?? ''),
      directory: dir,
      children: children.length,
      reason: environmentFit(root.manifest, dir),
    });
  }
  return out;
}

/**
 * Whether the root has the shape `GitOpsRepo.addEnvironment()` writes (lib/repo/environment.ts):
 * `clusters/<env>` synced by `<env>-root` in project `default`, in-cluster in the Argo CD
 * namespace, automated prune and self-heal, the resources finalizer. The reason it is kept as plain
 * Applications either way.
 */
function environmentFit(m: any, dir: string): string {
  const env = dir.slice(dir.lastIndexOf('/') + 1);
  const misfits: string[] = [];
  if (!/(^|\/)clusters\/[^/]+$/.test(dir)) misfits.push(`its directory ${dir}/ is not clusters/<env>/, the layout GitOpsRepo writes (RepoLayout.DEFAULT)`);
  if (m.metadata?.name !== `${env}-root`) misfits.push(`its name is not '${env}-root'`);
  if ((m.spec?.project ?? 'default') !== 'default') misfits.push(`its project is '${m.spec.project}', not 'default'`);
  const d = m.spec?.destination ?? {};
  const ns = m.metadata?.namespace ?? 'argocd';
  if (!((d.server === IN_CLUSTER || d.name === 'in-cluster') && d.namespace === ns)) misfits.push(`it does not deploy in-cluster to the Argo CD namespace '${ns}'`);
  const auto = m.spec?.syncPolicy?.automated;
  if (!(isObject(auto) && auto.prune === true && auto.selfHeal === true)) misfits.push('it does not sync automatically with prune and self-heal');
  if (!(Array.isArray(m.metadata?.finalizers) && m.metadata.finalizers.includes('resources-finalizer.argocd.argoproj.io'))) misfits.push('it has no resources finalizer');
  if (misfits.length > 0) return `not the shape of a GitOpsRepo environment: ${misfits.join('; ')}`;
  return 'the shape of a GitOpsRepo environment\'s root, but rebuilding an environment from its objects (its apps\' charts and paths, which GitOpsRepo computes and checks) is not done yet';
}
