// Warns about a chart whose files no Application of the app reads: written and committed, but
// never applied by Argo CD.
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { IManifestCheck, RenderedManifest } from '../manifest-check';
import { ApplicationSetPreview } from '../argocd/preview/application-set-preview';
import { repositoryIdentity } from '../_internal/repo-url';
import { RepoFacts, isApplication, isUnder, normalizeRepoPath, repoPathOf, repoSources } from './_checks';

/** A source path as a pattern: `{{...}}` placeholders match anything. */
function pathPattern(p: string): RegExp {
  const parts = normalizeRepoPath(p).split(/\{\{.*?\}\}/);
  return new RegExp(`^${parts.map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}(/.*)?$`);
}

/**
 * A warning for each chart under the output root whose directory no Application of the app reads
 * (its source path, a recursing ancestor, or an ApplicationSet's templated path that could name
 * it), other than the bootstrap directory, which is applied by hand.
 */
export class UnreadChartWarning implements IManifestCheck {
  constructor(private readonly facts: RepoFacts, private readonly root: IConstruct, private readonly bootstrapDirectory: () => string) {}

  public check(manifests: RenderedManifest[]): string[] {
    const read: Array<(dir: string) => boolean> = [];
    const url = repositoryIdentity(this.facts.repoUrl);
    let clusterSecrets: any[] | undefined;
    for (const m of manifests) {
      const obj = m.manifest;
      if (isApplication(obj)) {
        for (const { source } of repoSources(obj, this.facts)) {
          const p = normalizeRepoPath(source.path);
          read.push(source.directory?.recurse === true ? (d) => isUnder(d, p) : (d) => d === p);
        }
      } else if (obj?.kind === 'ApplicationSet' && String(obj.apiVersion ?? '').startsWith('argoproj.io/')) {
        const spec = obj.spec?.template?.spec ?? {};
        const sources = [spec.source, ...(spec.sources ?? []), spec.sourceHydrator?.drySource].filter((s) => s && typeof s.path === 'string');
        const repoUrls = sources.map((s) => String(s.repoURL ?? ''));
        // a templated repository could be this one: every directory may be read
        if (repoUrls.some((u) => u.includes('{{'))) return [];
        for (const s of sources) {
          if (repositoryIdentity(String(s.repoURL)) !== url) continue;
          const re = pathPattern(s.path);
          read.push((d) => re.test(d));
        }
        // an ApplicationSet that templates the whole source reads what its expansion says
        if (sources.length === 0 && obj.spec?.templatePatch === undefined) {
          try {
            clusterSecrets ??= ApplicationSetPreview.clusterSecretsIn(manifests.map((x) => x.manifest));
            for (const a of ApplicationSetPreview.expand(obj, { clusterSecrets })) {
              for (const { source } of repoSources(a, this.facts)) {
                const p = normalizeRepoPath(source.path);
                read.push((d) => isUnder(d, p));
              }
            }
          } catch {
            return [];
          }
        } else if (obj.spec?.templatePatch !== undefined) {
          return [];
        }
      }
    }
    const bootstrap = normalizeRepoPath(repoPathOf(this.facts.outputRoot, this.bootstrapDirectory()));
    const charts = new Map<string, { chart: string; files: number }>();
    for (const m of manifests) {
      const i = m.file.lastIndexOf('/');
      const dir = repoPathOf(this.facts.outputRoot, i < 0 ? '.' : m.file.slice(0, i));
      if (dir === bootstrap || read.some((r) => r(dir))) continue;
      const entry = charts.get(dir);
      if (entry) entry.files++;
      else charts.set(dir, { chart: this.chartPathOf(m.constructPath) ?? m.constructPath, files: 1 });
    }
    return [...charts].map(([dir, { chart, files }]) => `[${chart}] chart writes ${dir}/ (${files} file${files === 1 ? '' : 's'}), which no Application of this app reads, `
      + 'so Argo CD would never apply it; deploy it with Environment.addApp(), point an Application at it, or leave the chart out');
  }

  /** The construct path of the chart holding the object at `objectPath`. */
  private chartPathOf(objectPath: string): string | undefined {
    let c: IConstruct | undefined = this.root.node.root;
    for (const id of objectPath.split('/')) {
      c = c?.node.tryFindChild(id);
      if (!c) return undefined;
    }
    try {
      return Chart.of(c!).node.path;
    } catch {
      return undefined;
    }
  }
}
