// What an object's importer needs from the program being written: the imports it uses, the
// variables for projects, and notes for the summary.
import { Code } from './_code';

/** The names a program imports, by module. */
export class Imports {
  private readonly modules = new Map<string, Set<string>>();

  /** Imports `name` from `module` and returns a reference to it. */
  public use(module: string, name: string): string {
    let names = this.modules.get(module);
    if (!names) this.modules.set(module, (names = new Set()));
    names.add(name);
    return name;
  }

  /** The import lines, modules and names sorted. */
  public lines(): string[] {
    const order = (m: string) => (m === 'cdk8s' ? 0 : m === 'cdk8s-plus-28' ? 1 : m === 'cdk8s-argocd' ? 2 : 3);
    return [...this.modules.entries()]
      .sort(([a], [b]) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([m, names]) => `import { ${[...names].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0)).join(', ')} } from '${m}';`);
  }
}

/** What an importer of one object is given. */
export interface ImportContext {
  readonly imports: Imports;
  /** A reference to the project named `name`: the imported AppProject's variable, or one declared with `AppProject.fromProjectName()`. */
  projectRef(name: string): Code;
  /**
   * A reference to the secret store `name` of `kind` (`SecretStore`, `ClusterSecretStore`), as seen
   * from `namespace`: the imported store's variable, or one declared with `fromName(..., {
   * managedOutsideApp: true })`.
   */
  storeRef(kind: string, name: string, namespace: string | undefined): Code;
  /** A name from the library, imported. */
  lib(name: string): string;
}

/** Thrown by an importer when the L2 API cannot say the object; it is then imported as it is. */
export class NotExpressible extends Error {}

/** An object importer's answer: the construct to write and what it was written as. */
export interface ImportedConstruct {
  /** The library class, e.g. `Application`. */
  readonly className: string;
  /** The module it comes from. */
  readonly module: string;
  /** The props argument, or undefined for none. */
  readonly props: unknown;
  /** Statements to write after the construct, given the construct's variable name. */
  readonly after?: (variable: string) => string[];
}
