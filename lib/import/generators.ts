// An ApplicationSet's generators as the library's factories: `ApplicationSetGenerator.list()`,
// `.clusters()`, `.gitDirectories()`, `.gitFiles()`, `.matrix()`, `.merge()` / `.mergeOf()`,
// `.scmProvider()` with a `ScmProvider`, `.pullRequest()` with a `PullRequestProvider`,
// `.clusterDecisionResource()` and `.plugin()`, each with its post-selector and its own template.
// A field a factory does not take is left to the JSON patches the comparison adds; a generator
// no factory can say (an unknown kind, a matrix of three, a third level of nesting, a provider
// the library does not know) makes the whole ApplicationSet an `ApiObject`.
import { Code, defined } from './_code';
import { ImportContext, NotExpressible } from './_context';
import { Shape, pick } from './_shape';
import { destination, specOptions } from './application';

const isObject = (v: unknown): v is { [k: string]: any } => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringMap = (v: unknown): v is { [k: string]: string } => isObject(v) && Object.values(v).every((x) => typeof x === 'string');
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

const KINDS = ['list', 'clusters', 'git', 'matrix', 'merge', 'scmProvider', 'pullRequest', 'clusterDecisionResource', 'plugin'];

const OPERATORS: { [wire: string]: string } = { In: 'IN', NotIn: 'NOT_IN', Exists: 'EXISTS', DoesNotExist: 'DOES_NOT_EXIST' };

const SECRET_REF: Shape = { 'secretName!': 'string', 'key!': 'string' };
const CONFIG_MAP_REF: Shape = { 'configMapName!': 'string', 'key!': 'string' };
const BASIC_AUTH: Shape = { 'username!': 'string', 'passwordRef!': SECRET_REF };

/** A provider: its wire key, the factory's name, and the fields it takes (wire names, which the options share). */
interface Provider { readonly wire: string; readonly factory: string; readonly shape: Shape }

const SCM_PROVIDERS: Provider[] = [
  { wire: 'github', factory: 'github', shape: { 'organization!': 'string', 'api': 'string', 'tokenRef': SECRET_REF, 'appSecretName': 'string', 'excludeArchivedRepos': 'boolean', 'allBranches': 'boolean' } },
  {
    wire: 'gitlab', factory: 'gitlab', shape: {
      'group!': 'string', 'api': 'string', 'tokenRef': SECRET_REF, 'caRef': CONFIG_MAP_REF, 'insecure': 'boolean', 'includeSubgroups': 'boolean',
      'includeSharedProjects': 'boolean', 'includeArchivedRepos': 'boolean', 'topic': 'string', 'allBranches': 'boolean',
    },
  },
  { wire: 'gitea', factory: 'gitea', shape: { 'owner!': 'string', 'api!': 'string', 'tokenRef': SECRET_REF, 'insecure': 'boolean', 'excludeArchivedRepos': 'boolean', 'allBranches': 'boolean' } },
  { wire: 'bitbucket', factory: 'bitbucket', shape: { 'owner!': 'string', 'user!': 'string', 'appPasswordRef!': SECRET_REF, 'allBranches': 'boolean' } },
  {
    wire: 'bitbucketServer', factory: 'bitbucketServer', shape: {
      'api!': 'string', 'project!': 'string', 'basicAuth': BASIC_AUTH, 'bearerToken': { 'tokenRef!': SECRET_REF }, 'caRef': CONFIG_MAP_REF, 'insecure': 'boolean', 'allBranches': 'boolean',
    },
  },
  { wire: 'azureDevOps', factory: 'azureDevOps', shape: { 'organization!': 'string', 'teamProject!': 'string', 'accessTokenRef!': SECRET_REF, 'api': 'string', 'allBranches': 'boolean' } },
  { wire: 'awsCodeCommit', factory: 'awsCodeCommit', shape: { region: 'string', role: 'string', tagFilters: [{ 'key!': 'string', 'value': 'string' }], allBranches: 'boolean' } },
];

const PULL_REQUEST_PROVIDERS: Provider[] = [
  { wire: 'github', factory: 'github', shape: { 'owner!': 'string', 'repo!': 'string', 'api': 'string', 'tokenRef': SECRET_REF, 'appSecretName': 'string', 'labels': 'string[]' } },
  {
    wire: 'gitlab', factory: 'gitlab', shape: {
      'project!': 'string', 'api': 'string', 'tokenRef': SECRET_REF, 'labels': 'string[]', 'pullRequestState': 'string', 'insecure': 'boolean', 'caRef': CONFIG_MAP_REF,
    },
  },
  { wire: 'gitea', factory: 'gitea', shape: { 'owner!': 'string', 'repo!': 'string', 'api!': 'string', 'tokenRef': SECRET_REF, 'insecure': 'boolean', 'labels': 'string[]' } },
  {
    wire: 'bitbucketServer', factory: 'bitbucketServer', shape: {
      'project!': 'string', 'repo!': 'string', 'api!': 'string', 'basicAuth': BASIC_AUTH, 'bearerToken': { 'tokenRef!': SECRET_REF }, 'insecure': 'boolean', 'caRef': CONFIG_MAP_REF,
    },
  },
  { wire: 'bitbucket', factory: 'bitbucket', shape: { 'owner!': 'string', 'repo!': 'string', 'api': 'string', 'basicAuth': BASIC_AUTH, 'bearerToken': { 'tokenRef!': SECRET_REF } } },
  // the wire spells it in lower case here, unlike the SCM provider's azureDevOps
  { wire: 'azuredevops', factory: 'azureDevOps', shape: { 'organization!': 'string', 'project!': 'string', 'repo!': 'string', 'api': 'string', 'tokenRef': SECRET_REF, 'labels': 'string[]' } },
];

/** The generators of `spec.generators`, as factory calls. */
export function importGenerators(ctx: ImportContext, list: unknown): Code[] {
  if (!Array.isArray(list) || list.length === 0) throw new NotExpressible('an ApplicationSet without generators');
  return list.map((g, i) => generator(ctx, g, `spec.generators[${i}]`, 0));
}

/**
 * One generator. `level` is how many matrix/merge generators hold it: the library (as Argo CD)
 * evaluates one nested level, so a matrix or merge at level 2 cannot be said.
 */
function generator(ctx: ImportContext, g: unknown, field: string, level: number): Code {
  if (!isObject(g)) throw new NotExpressible(`${field} that is not an object`);
  const kinds = Object.keys(g).filter((k) => k !== 'selector');
  if (kinds.length !== 1 || !KINDS.includes(kinds[0])) throw new NotExpressible(`${field} with ${kinds.length === 0 ? 'no generator' : `the generator keys ${kinds.join(', ')}`}; the library has one factory per kind (${KINDS.join(', ')})`);
  const kind = kinds[0];
  const body = g[kind];
  if (!isObject(body)) throw new NotExpressible(`${field}.${kind} that is not an object`);
  const G = ctx.lib('ApplicationSetGenerator');
  const common = defined({
    postSelector: g.selector !== undefined ? labelSelector(ctx, g.selector, `${field}.selector`) : undefined,
    template: body.template !== undefined ? generatorTemplate(ctx, body.template, `${field}.${kind}.template`) : undefined,
  });
  const withCommon = (o: { [k: string]: unknown }) => ({ ...defined(o), ...common });
  switch (kind) {
    case 'list': {
      if (body.elements !== undefined && !(Array.isArray(body.elements) && body.elements.every(isObject))) {
        throw new NotExpressible(`${field}.list.elements that are not a list of objects`);
      }
      if (body.elements === undefined && typeof body.elementsYaml !== 'string') throw new NotExpressible(`${field}.list without elements or elementsYaml`);
      return Code.call(`${G}.list`, withCommon({ elements: body.elements, elementsYaml: typeof body.elementsYaml === 'string' ? body.elementsYaml : undefined }));
    }
    case 'clusters':
      return Code.call(`${G}.clusters`, withCommon({
        selector: body.selector !== undefined ? labelSelector(ctx, body.selector, `${field}.clusters.selector`) : undefined,
        values: stringMap(body.values),
        flatList: body.flatList === true ? true : undefined,
      }));
    case 'git':
      return git(ctx, body, field, withCommon);
    case 'matrix': {
      const children = combined(ctx, body, `${field}.matrix`, level);
      if (children.length !== 2) throw new NotExpressible(`${field}.matrix with ${children.length} generators; a matrix combines exactly two`);
      return Object.keys(common).length > 0 ? Code.call(`${G}.matrix`, children[0], children[1], common) : Code.call(`${G}.matrix`, children[0], children[1]);
    }
    case 'merge': {
      const children = combined(ctx, body, `${field}.merge`, level);
      if (children.length < 2) throw new NotExpressible(`${field}.merge with ${children.length} generator; a merge needs two or more`);
      if (!isStringList(body.mergeKeys) || body.mergeKeys.length === 0) throw new NotExpressible(`${field}.merge without mergeKeys`);
      if (Object.keys(common).length > 0) return Code.call(`${G}.mergeOf`, { mergeKeys: body.mergeKeys, generators: children, ...common });
      return Code.call(`${G}.merge`, body.mergeKeys, ...children);
    }
    case 'scmProvider':
      return Code.call(`${G}.scmProvider`, withCommon({
        provider: provider(ctx, body, SCM_PROVIDERS, 'ScmProvider', `${field}.scmProvider`),
        filters: structList(body.filters, { repositoryMatch: 'string', pathsExist: 'string[]', pathsDoNotExist: 'string[]', labelMatch: 'string', branchMatch: 'string' }, `${field}.scmProvider.filters`),
        cloneProtocol: body.cloneProtocol === 'ssh' || body.cloneProtocol === 'https' ? Code.ref(`${ctx.lib('CloneProtocol')}.${body.cloneProtocol.toUpperCase()}`) : undefined,
        values: stringMap(body.values),
        requeueAfterSeconds: requeue(body.requeueAfterSeconds),
      }));
    case 'pullRequest':
      return Code.call(`${G}.pullRequest`, withCommon({
        provider: provider(ctx, body, PULL_REQUEST_PROVIDERS, 'PullRequestProvider', `${field}.pullRequest`),
        filters: structList(body.filters, { branchMatch: 'string', targetBranchMatch: 'string', titleMatch: 'string' }, `${field}.pullRequest.filters`),
        values: stringMap(body.values),
        requeueAfterSeconds: requeue(body.requeueAfterSeconds),
        continueOnRepoNotFoundError: typeof body.continueOnRepoNotFoundError === 'boolean' ? body.continueOnRepoNotFoundError : undefined,
      }));
    case 'clusterDecisionResource':
      if (typeof body.configMapRef !== 'string') throw new NotExpressible(`${field}.clusterDecisionResource without a configMapRef`);
      return Code.call(`${G}.clusterDecisionResource`, withCommon({
        configMapRef: body.configMapRef,
        name: typeof body.name === 'string' ? body.name : undefined,
        labelSelector: body.labelSelector !== undefined ? labelSelector(ctx, body.labelSelector, `${field}.clusterDecisionResource.labelSelector`) : undefined,
        values: stringMap(body.values),
        requeueAfterSeconds: requeue(body.requeueAfterSeconds),
      }));
    default: // plugin
      if (!isObject(body.configMapRef) || typeof body.configMapRef.name !== 'string') throw new NotExpressible(`${field}.plugin without a configMapRef name`);
      return Code.call(`${G}.plugin`, withCommon({
        configMapRef: body.configMapRef.name,
        inputParameters: isObject(body.input) && isObject(body.input.parameters) && Object.keys(body.input.parameters).length > 0 ? body.input.parameters : undefined,
        values: stringMap(body.values),
        requeueAfterSeconds: requeue(body.requeueAfterSeconds),
      }));
  }
}

function combined(ctx: ImportContext, body: any, field: string, level: number): Code[] {
  if (level >= 2) throw new NotExpressible(`${field} inside a matrix or merge that is itself inside one; Argo CD evaluates one nested level only`);
  if (!Array.isArray(body.generators)) throw new NotExpressible(`${field} without generators`);
  return body.generators.map((c: unknown, i: number) => generator(ctx, c, `${field}.generators[${i}]`, level + 1));
}

function git(ctx: ImportContext, body: any, field: string, withCommon: (o: { [k: string]: unknown }) => { [k: string]: unknown }): Code {
  if (typeof body.repoURL !== 'string' || typeof body.revision !== 'string') throw new NotExpressible(`${field}.git without repoURL or revision`);
  const G = ctx.lib('ApplicationSetGenerator');
  const base = {
    repoUrl: body.repoURL,
    revision: body.revision,
    pathParamPrefix: typeof body.pathParamPrefix === 'string' ? body.pathParamPrefix : undefined,
    values: stringMap(body.values),
    requeueAfterSeconds: requeue(body.requeueAfterSeconds),
  };
  const patterns = (list: unknown) => {
    if (!Array.isArray(list) || !list.every((p) => isObject(p) && typeof p.path === 'string')) return undefined;
    const include = list.filter((p) => p.exclude !== true).map((p) => p.path as string);
    const exclude = list.filter((p) => p.exclude === true).map((p) => p.path as string);
    return { include, exclude: exclude.length > 0 ? exclude : undefined };
  };
  // a git generator reads directories or files; one that has both is written with its directories
  // (the files are patched in)
  const dirs = patterns(body.directories);
  if (dirs && dirs.include.length > 0) {
    return Code.call(`${G}.gitDirectories`, withCommon({ ...base, directories: dirs.include, excludeDirectories: dirs.exclude }));
  }
  const files = patterns(body.files);
  if (files && files.include.length > 0) {
    return Code.call(`${G}.gitFiles`, withCommon({ ...base, files: files.include, excludeFiles: files.exclude }));
  }
  throw new NotExpressible(`${field}.git without a directory or file pattern to include`);
}

function provider(ctx: ImportContext, body: any, providers: Provider[], className: string, field: string): Code {
  const present = providers.filter((p) => body[p.wire] !== undefined);
  if (present.length !== 1) throw new NotExpressible(`${field} with ${present.length === 0 ? 'no provider the library knows' : `several providers (${present.map((p) => p.wire).join(', ')})`}`);
  const p = present[0];
  const options = pick(body[p.wire], p.shape, `${field}.${p.wire}`);
  // the options name the bearer token's Secret key `bearerTokenRef` (the wire nests it)
  if (isObject(options.bearerToken)) {
    const { bearerToken, ...rest } = options;
    return Code.call(`${ctx.lib(className)}.${p.factory}`, { ...rest, bearerTokenRef: (bearerToken as any).tokenRef });
  }
  return Code.call(`${ctx.lib(className)}.${p.factory}`, options);
}

/** A label selector; its operators as `LabelSelectorOperator` constants. */
function labelSelector(ctx: ImportContext, s: unknown, field: string): { [k: string]: unknown } {
  if (!isObject(s)) throw new NotExpressible(`${field} that is not an object`);
  const out: { [k: string]: unknown } = {};
  if (isStringMap(s.matchLabels)) out.matchLabels = s.matchLabels;
  if (Array.isArray(s.matchExpressions)) {
    out.matchExpressions = s.matchExpressions.map((e: any, i: number) => {
      if (!isObject(e) || typeof e.key !== 'string' || typeof e.operator !== 'string' || !OPERATORS[e.operator]) {
        throw new NotExpressible(`${field}.matchExpressions[${i}] without a key or with an operator other than In, NotIn, Exists and DoesNotExist`);
      }
      const values = e.values === undefined ? undefined : isStringList(e.values) ? e.values : undefined;
      const needsValues = e.operator === 'In' || e.operator === 'NotIn';
      // the library refuses what the API server refuses: In/NotIn without values, Exists/DoesNotExist with some
      if (needsValues !== (values !== undefined && values.length > 0)) throw new NotExpressible(`${field}.matchExpressions[${i}] with operator ${e.operator} and ${values?.length ? 'values' : 'no values'}`);
      return defined({ key: e.key, operator: Code.ref(`${ctx.lib('LabelSelectorOperator')}.${OPERATORS[e.operator]}`), values });
    });
  }
  return out;
}

/**
 * A generator's own template (`GeneratorTemplate`): every field optional; the empty project and
 * destination the CRD asks for (which override nothing when Argo CD merges) are what the library
 * writes when they are left out.
 */
function generatorTemplate(ctx: ImportContext, t: unknown, field: string): { [k: string]: unknown } {
  if (!isObject(t)) throw new NotExpressible(`${field} that is not an object`);
  const meta = isObject(t.metadata) ? t.metadata : {};
  const spec = isObject(t.spec) ? { ...t.spec } : {};
  const out: { [k: string]: unknown } = defined({
    name: typeof meta.name === 'string' ? meta.name : undefined,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
    labels: stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
    finalizers: isStringList(meta.finalizers) && meta.finalizers.length > 0 ? meta.finalizers : undefined,
  });
  if (typeof spec.project === 'string' && spec.project !== '') Object.assign(out, projectProp(ctx, spec.project));
  const emptyDestination = isObject(spec.destination) && Object.keys(spec.destination).length === 0;
  const { destination: d, project: _project, sourceHydrator: _hydrator, ...rest } = spec;
  Object.assign(out, specOptions(ctx, rest));
  if (d !== undefined && !emptyDestination) out.destination = destination(ctx, d);
  return out;
}

/**
 * The template's project: `project` (the imported AppProject, or one declared with
 * `AppProject.fromProjectName()`) for a plain name, `projectName` for one with placeholders.
 */
export function projectProp(ctx: ImportContext, name: string): { [k: string]: unknown } {
  return name.includes('{{') ? { projectName: name } : { project: ctx.projectRef(name) };
}

function stringMap(v: unknown): { [k: string]: string } | undefined {
  return isStringMap(v) && Object.keys(v).length > 0 ? v : undefined;
}

function requeue(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

function structList(v: unknown, shape: Shape, what: string): Array<{ [k: string]: unknown }> | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  return v.map((x, i) => pick(x, shape, `${what}[${i}]`));
}
