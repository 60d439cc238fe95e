import { ValidationError } from '../../errors';
import { fail, show } from '../../_internal/values';
import { _renderGeneratorTemplate } from '../application-set-template';
import { GeneratorBinding, GeneratorBindContext, isProduced, toWire, uniqueSorted } from './_params';
import { missingPlaceholderProblems, stringsOf } from './_placeholders';
import { ClusterDecisionResourceGeneratorOptions, _bindClusterDecisionResource } from './cluster-decision-resource';
import { ClustersGeneratorOptions, _bindClusters } from './clusters';
import { GeneratorOptions } from './generator-options';
import { GitDirectoriesGeneratorOptions, GitFilesGeneratorOptions, _bindGitDirectories, _bindGitFiles } from './git';
import { renderLabelSelector } from './label-selector';
import { ListGeneratorOptions, _bindList } from './list';
import { PluginGeneratorOptions, _bindPlugin } from './plugin';
import { PullRequestGeneratorOptions, _bindPullRequest } from './pull-request';
import { ScmProviderGeneratorOptions, _bindScmProvider } from './scm-provider';

/**
 * Options for `ApplicationSetGenerator.mergeOf()`.
 */
export interface MergeGeneratorOptions extends GeneratorOptions {
  /**
   * The parameters whose values pair parameter sets across the generators, e.g. `['server']`.
   * Under goTemplate they must be top-level keys.
   */
  readonly mergeKeys: string[];

  /**
   * Two or more generators: the first is the base, later ones override matching sets.
   */
  readonly generators: ApplicationSetGenerator[];
}

type Binder = (ctx: GeneratorBindContext) => { json: any; params: string[]; problems?: string[] };

/** The most matrix/merge levels Argo CD evaluates: a combination whose children combine plain generators. */
const MAX_DEPTH = 2;

/**
 * A source of parameter sets for an ApplicationSet (`spec.generators[]`).
 *
 * @example
 * ApplicationSetGenerator.list({ elements: [{ env: 'dev' }, { env: 'prod' }] })
 * ApplicationSetGenerator.clusters({ selector: { matchLabels: { env: 'production' } } })
 * ApplicationSetGenerator.gitDirectories({ repoUrl, directories: ['apps/*'] })
 * ApplicationSetGenerator.matrix(clusters, git)
 * ApplicationSetGenerator.merge(['server'], clusters, overrides)
 */
export class ApplicationSetGenerator {
  /**
   * A fixed list of parameter sets.
   *
   * @param options the elements
   */
  public static list(options: ListGeneratorOptions): ApplicationSetGenerator {
    return new ApplicationSetGenerator('list', options, [], (ctx) => _bindList(options, ctx));
  }

  /**
   * One parameter set per cluster registered in Argo CD.
   *
   * @param options which clusters, and extra values
   */
  public static clusters(options: ClustersGeneratorOptions = {}): ApplicationSetGenerator {
    return new ApplicationSetGenerator('clusters', options, [], (ctx) => _bindClusters(options, ctx));
  }

  /**
   * One parameter set per directory of a Git repository that matches the patterns.
   *
   * @param options the repository and the directory patterns
   */
  public static gitDirectories(options: GitDirectoriesGeneratorOptions): ApplicationSetGenerator {
    return new ApplicationSetGenerator('git', options, [], (ctx) => _bindGitDirectories(options, ctx));
  }

  /**
   * One parameter set per JSON/YAML file of a Git repository that matches the patterns.
   *
   * @param options the repository and the file patterns
   */
  public static gitFiles(options: GitFilesGeneratorOptions): ApplicationSetGenerator {
    return new ApplicationSetGenerator('git', options, [], (ctx) => _bindGitFiles(options, ctx));
  }

  /**
   * Every combination of two generators' parameter sets. The second generator's fields may use
   * the first's parameters. Either may itself be a matrix or merge of plain generators.
   *
   * @param first the first generator
   * @param second the second generator
   * @param options post-selector and template override
   */
  public static matrix(first: ApplicationSetGenerator, second: ApplicationSetGenerator, options: GeneratorOptions = {}): ApplicationSetGenerator {
    const children = [first, second];
    checkChildren('matrix', children);
    return new ApplicationSetGenerator('matrix', options, children, (ctx) => bindMatrix(children, ctx));
  }

  /**
   * Merges the parameter sets of two or more generators: the first is the base; a set of a later
   * generator whose merge keys match a base set overrides its parameters.
   *
   * @param mergeKeys the parameters that pair sets, e.g. `['server']`
   * @param first the base generator
   * @param second a generator whose sets override the base's
   * @param more further generators
   */
  public static merge(mergeKeys: string[], first: ApplicationSetGenerator, second: ApplicationSetGenerator, ...more: ApplicationSetGenerator[]): ApplicationSetGenerator {
    return ApplicationSetGenerator.mergeOf({ mergeKeys, generators: [first, second, ...more] });
  }

  /**
   * A merge generator, with a post-selector or template override.
   *
   * @param options merge keys, generators, post-selector and template override
   */
  public static mergeOf(options: MergeGeneratorOptions): ApplicationSetGenerator {
    const children = [...(options.generators ?? [])];
    if (children.length < 2) {
      fail(undefined, 'merge.generators', children.length, 'is too few generators; merge needs two or more (the base and at least one override)');
    }
    if (!Array.isArray(options.mergeKeys) || options.mergeKeys.length === 0) {
      fail(undefined, 'merge.mergeKeys', options.mergeKeys, 'is empty; give the parameters that pair sets, e.g. [\'server\']');
    }
    checkChildren('merge', children);
    return new ApplicationSetGenerator('merge', options, children, (ctx) => bindMerge(options.mergeKeys, children, ctx));
  }

  /**
   * One parameter set per repository (or branch) an SCM provider lists.
   *
   * @param options the provider, filters and clone protocol
   */
  public static scmProvider(options: ScmProviderGeneratorOptions): ApplicationSetGenerator {
    return new ApplicationSetGenerator('scmProvider', options, [], (ctx) => _bindScmProvider(options, ctx));
  }

  /**
   * One parameter set per open pull request.
   *
   * @param options the provider and filters
   */
  public static pullRequest(options: PullRequestGeneratorOptions): ApplicationSetGenerator {
    return new ApplicationSetGenerator('pullRequest', options, [], (ctx) => _bindPullRequest(options, ctx));
  }

  /**
   * One parameter set per cluster a duck-typed resource's `status.decisions` lists (e.g. an
   * Open Cluster Management PlacementDecision).
   *
   * @param options the ConfigMap describing the resource, and which resources
   */
  public static clusterDecisionResource(options: ClusterDecisionResourceGeneratorOptions): ApplicationSetGenerator {
    return new ApplicationSetGenerator('clusterDecisionResource', options, [], (ctx) => _bindClusterDecisionResource(options, ctx));
  }

  /**
   * Parameter sets returned by a plugin service over HTTP.
   *
   * @param options the plugin's ConfigMap and its input
   */
  public static plugin(options: PluginGeneratorOptions): ApplicationSetGenerator {
    return new ApplicationSetGenerator('plugin', options, [], (ctx) => _bindPlugin(options, ctx));
  }

  /** The generator kind as written to the manifest, e.g. `list`, `matrix`. */
  public readonly kind: string;

  /** How many matrix/merge levels this generator has: 0 for a plain generator. */
  public readonly depth: number;

  private constructor(
    kind: string,
    private readonly options: GeneratorOptions,
    private readonly children: ApplicationSetGenerator[],
    private readonly binder: Binder,
  ) {
    this.kind = kind;
    this.depth = children.length === 0 ? 0 : 1 + Math.max(...children.map((c) => c.depth));
  }

  /** A short description, e.g. `matrix(clusters, git)`. */
  public toString(): string {
    return this.children.length ? `${this.kind}(${this.children.map((c) => c.toString()).join(', ')})` : this.kind;
  }

  /**
   * Renders the generator and reports the parameters it produces.
   * @internal
   */
  public _bind(ctx: GeneratorBindContext): GeneratorBinding {
    const own = this.binder(ctx);
    const json: any = { [this.kind]: own.json };
    const problems = [...(own.problems ?? [])];
    const params = uniqueSorted(own.params);
    const o = this.options;
    if (o.template) {
      json[this.kind].template = _renderGeneratorTemplate(ctx.scope, `${ctx.field}.${this.kind}`, o.template);
      problems.push(...missingPlaceholderProblems(
        stringsOf(toWire(json[this.kind].template), `${ctx.field}.${this.kind}.template`), params, ctx.goTemplate, `${ctx.field} (${this.toString()})`));
    }
    if (o.postSelector) json.selector = renderLabelSelector(ctx.scope, `${ctx.field}.selector`, o.postSelector);
    return { json, params, problems, templates: [] };
  }
}

function checkChildren(kind: string, children: ApplicationSetGenerator[]): void {
  children.forEach((c, i) => {
    if (!(c instanceof ApplicationSetGenerator)) {
      fail(undefined, `${kind}.generators[${i}]`, c, 'is not an ApplicationSetGenerator; use ApplicationSetGenerator.list(), .clusters(), ...');
    }
  });
}

function bindChildren(kind: string, children: ApplicationSetGenerator[], ctx: GeneratorBindContext) {
  return children.map((c, i) => {
    const field = `${ctx.field}.${kind}.generators[${i}]`;
    // checked here, where the ApplicationSet is known, rather than in matrix()/merge(), so that the
    // message names the construct and the generator's place in spec.generators
    if (c.depth >= MAX_DEPTH) {
      throw new ValidationError(`${field} ${show(c.toString())} nests matrix/merge ${c.depth + 1} levels deep; Argo CD evaluates one nested level only (a matrix or merge inside a matrix or merge, whose children are plain generators); flatten it or split the ApplicationSet`, ctx.scope);
    }
    const b = c._bind({ ...ctx, field });
    // the L1 types two levels of generators and renames repoUrl to repoURL there; below, it
    // writes the JSON as given (matrix/merge children of a nested matrix/merge are `any`)
    return (field.match(/generators\[/g) ?? []).length >= 3 ? { ...b, json: toWire(b.json) } : b;
  });
}

function bindMatrix(children: ApplicationSetGenerator[], ctx: GeneratorBindContext) {
  const bound = bindChildren('matrix', children, ctx);
  return {
    json: { generators: bound.map((b) => b.json) },
    params: bound.flatMap((b) => b.params),
    problems: bound.flatMap((b) => b.problems),
  };
}

function bindMerge(mergeKeys: string[], children: ApplicationSetGenerator[], ctx: GeneratorBindContext) {
  const bound = bindChildren('merge', children, ctx);
  const problems = bound.flatMap((b) => b.problems);
  mergeKeys.forEach((key, i) => {
    const field = `${ctx.field}.merge.mergeKeys[${i}]`;
    if (typeof key !== 'string' || key === '') {
      problems.push(`${field} ${show(key)} is not a parameter name; give a parameter every merged generator produces`);
      return;
    }
    if (ctx.goTemplate && key.includes('.')) {
      problems.push(`${field} ${show(key)} is not a top-level key; under goTemplate merge keys are looked up at the top level of the parameters, so a nested key never matches; merge on a top-level key (e.g. move it out of values)`);
      return;
    }
    bound.forEach((b, j) => {
      if (!isProduced(key, b.params)) {
        problems.push(`${field} ${show(key)} is not produced by ${ctx.field}.merge.generators[${j}] (${children[j].toString()}, which produces: ${b.params.join(', ') || 'none'}); use a key every merged generator produces`);
      }
    });
  });
  return {
    json: { mergeKeys: [...mergeKeys], generators: bound.map((b) => b.json) },
    params: bound.flatMap((b) => b.params),
    problems,
  };
}
